import XCTest
import Glibc
@testable import WebSocketTransport

/// Happy Eyeballs against real sockets on loopback: a black-holed address (a listener whose
/// accept queue is full drops SYNs) must not hold the connection to the next address.
final class TCPConnectorTests: XCTestCase {
    private func connect(_ addresses: [ResolvedAddress]) -> (Result<Int32, TransportError>?, elapsed: Double) {
        let loop = EventLoop()
        let connector = TCPConnector(loop: loop, host: "test", port: 0, addresses: addresses)
        var result: Result<Int32, TransportError>?
        let safetyNet = loop.schedule(after: 5) { loop.stop() }
        let start = MonotonicClock.now()
        connector.start { outcome in
            result = outcome
            loop.stop()
        }
        loop.run()
        loop.cancel(safetyNet)
        connector.cancel()
        return (result, MonotonicClock.now() - start)
    }

    private func peerPort(_ fd: Int32) -> UInt16 {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getpeername(fd, $0, &length) }
        }
        return UInt16(bigEndian: address.sin_port)
    }

    func testTheNextAddressIsTriedAfter250msWithoutWaitingForABlackHoledOne() throws {
        let blackHole = try XCTUnwrap(LoopbackListener.blackHoled())
        defer { blackHole.close() }
        let live = try XCTUnwrap(LoopbackListener.listening())
        defer { live.close() }
        let addresses = try XCTUnwrap(AddressResolver.literal(host: "127.0.0.1", port: blackHole.port))
            + XCTUnwrap(AddressResolver.literal(host: "127.0.0.1", port: live.port))
        let (result, elapsed) = connect(addresses)
        let fd = try XCTUnwrap(result).get()
        defer { close(fd) }
        XCTAssertEqual(peerPort(fd), live.port, "the first to connect wins")
        XCTAssertGreaterThanOrEqual(elapsed, 0.2, "the second attempt waits for the attempt delay")
        XCTAssertLessThan(elapsed, 1.5, "a black-holed first address must not hold the connection")
    }

    func testARefusedAddressFallsThroughAtOnceAndAllRefusedIsAFailure() throws {
        let refused = try XCTUnwrap(LoopbackListener.listening())
        let port = refused.port
        refused.close()   // nothing listens there now: connects are refused
        let live = try XCTUnwrap(LoopbackListener.listening())
        defer { live.close() }
        let first = try XCTUnwrap(AddressResolver.literal(host: "127.0.0.1", port: port))
        let (result, elapsed) = connect(first + (try XCTUnwrap(AddressResolver.literal(host: "127.0.0.1", port: live.port))))
        let fd = try XCTUnwrap(result).get()
        close(fd)
        XCTAssertLessThan(elapsed, 0.2, "a refusal starts the next attempt without the delay")

        let (failure, _) = connect(first + first)
        guard case let .failure(.connectionFailed(_, _, reason))? = failure else {
            return XCTFail("expected a connection failure, got \(String(describing: failure))")
        }
        XCTAssertEqual(reason, "Connection refused")
    }
}

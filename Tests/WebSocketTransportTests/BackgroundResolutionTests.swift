import XCTest
import Glibc
@testable import WebSocketTransport

/// Name resolution runs on a helper thread: a slow resolver does not hold the poll loop (its
/// timers and signals), and a cancelled resolution never answers.
final class BackgroundResolutionTests: XCTestCase {
    func testASlowLookupDoesNotHoldTheLoop() throws {
        let loop = EventLoop()
        var answer: [ResolvedAddress]?
        var timerRanWhileResolving = false
        let resolution = BackgroundResolution(loop: loop, host: "slow.example", port: 80, lookup: { _, port in
            usleep(600_000)
            return AddressResolver.literal(host: "127.0.0.1", port: port).map { .success($0) }
                ?? .failure(.nameResolution(host: "127.0.0.1", reason: "no literal"))
        }, completion: { result in
            answer = try? result.get()
            loop.stop()
        })
        loop.schedule(after: 0.05) { timerRanWhileResolving = answer == nil }
        let safetyNet = loop.schedule(after: 5) { loop.stop() }
        loop.run()
        loop.cancel(safetyNet)
        withExtendedLifetime(resolution) {}
        XCTAssertTrue(timerRanWhileResolving)
        XCTAssertEqual(answer?.first?.numericHost, "127.0.0.1")
    }

    func testACancelledResolutionNeverAnswersAndFreesTheLoop() {
        let loop = EventLoop()
        var answered = false
        let resolution = BackgroundResolution(loop: loop, host: "dead.example", port: 80, lookup: { host, _ in
            usleep(400_000)
            return .failure(.nameResolution(host: host, reason: "too late"))
        }, completion: { _ in answered = true })
        loop.schedule(after: 0.05) { resolution.cancel() }
        let start = MonotonicClock.now()
        loop.run()   // returns once nothing is registered: the cancel removed the wake-up watch
        XCTAssertLessThan(MonotonicClock.now() - start, 0.3, "the loop waited for the resolver")
        XCTAssertFalse(answered)
        usleep(500_000)   // the helper thread finishes, drops its answer and closes the pipe
        XCTAssertFalse(answered)
    }

    func testLocalhostResolvesThroughTheHelperThread() throws {
        let loop = EventLoop()
        var result: Result<[ResolvedAddress], TransportError>?
        let resolution = BackgroundResolution(loop: loop, host: "localhost", port: 8080) { outcome in
            result = outcome
        }
        loop.run()
        withExtendedLifetime(resolution) {}
        let addresses = try XCTUnwrap(result).get()
        XCTAssertFalse(addresses.isEmpty)
        XCTAssertTrue(addresses.allSatisfy { ["127.0.0.1", "::1"].contains($0.numericHost) })
    }

    func testAnUnresolvableNameFails() throws {
        let loop = EventLoop()
        var result: Result<[ResolvedAddress], TransportError>?
        let resolution = BackgroundResolution(loop: loop, host: "nonexistent.invalid", port: 80) { result = $0 }
        loop.run()
        withExtendedLifetime(resolution) {}
        guard case .failure(.nameResolution(host: "nonexistent.invalid", _))? = result else {
            return XCTFail("expected a resolution failure, got \(String(describing: result))")
        }
    }
}

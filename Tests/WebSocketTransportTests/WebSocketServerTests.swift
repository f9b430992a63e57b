import XCTest
import Glibc
import WebSocketCore
@testable import WebSocketTransport

/// The server and a client on one loop in this process, on 127.0.0.1 port 0.
final class WebSocketServerTests: XCTestCase {
    func testClientAndServerOnOneLoopExchangeAMessageAndCloseCleanly() throws {
        let serverSide = RecordingServerDelegate(echo: true)
        let exchange = try OneLoopExchange(serverDelegate: serverSide)
        let server = exchange.server

        let clientSide = RecordingClientDelegate { client in
            let sent: Bool = Array("ping".utf8).withUnsafeBytes { raw in
                do throws(SendError) { try client.sendText(raw); return true } catch { return false }
            }
            XCTAssertTrue(sent)
        }
        clientSide.onText = { client, _ in client.close(code: 1000, reason: "done", timeout: 2) }
        clientSide.onFinish = { exchange.loop.stop() }
        _ = try exchange.runClient(path: "/chat", delegate: clientSide)

        XCTAssertEqual(clientSide.texts, ["ping"])
        // The server echoes the code of our close frame (its reply carries no reason).
        XCTAssertEqual(clientSide.outcome, .closed(code: 1000, reason: "", initiatedByPeer: false))
        // Let the server see the end too.
        exchange.run(for: 0.2)
        XCTAssertEqual(serverSide.opened, [1])
        XCTAssertEqual(serverSide.targets, ["/chat"])
        XCTAssertEqual(serverSide.texts, ["ping"])
        XCTAssertEqual(serverSide.finished.first?.1, .closed(code: 1000, reason: "done", initiatedByPeer: true))
        XCTAssertEqual(server.activeConnectionCount, 0)
    }

    func testAConnectionThatSendsNothingIsDroppedAfterTheHandshakeTimeout() throws {
        let loop = EventLoop()
        let serverSide = RecordingServerDelegate(echo: false)
        var options = ServerOptions(host: "127.0.0.1", port: 0)
        options.handshakeTimeout = 0.2
        let server = WebSocketServer(loop: loop, options: options, delegate: serverSide)
        try server.start()
        let fd = try connectRaw(port: try XCTUnwrap(server.endpoint?.port))
        defer { close(fd) }
        serverSide.onFailure = { loop.stop() }
        loop.schedule(after: 3) { loop.stop() }
        loop.run()
        XCTAssertEqual(serverSide.failures, [.timedOut(0.2)])
        XCTAssertEqual(server.activeConnectionCount, 0)
    }

    func testShutDownClosesOpenClientsWithGoingAway() throws {
        let serverSide = RecordingServerDelegate(echo: false)
        let exchange = try OneLoopExchange(serverDelegate: serverSide)
        let server = exchange.server
        serverSide.onOpen = { server.shutDown(timeout: 2) }
        let clientSide = RecordingClientDelegate { _ in }
        clientSide.onFinish = { exchange.loop.stop() }
        _ = try exchange.runClient(delegate: clientSide)
        XCTAssertEqual(clientSide.outcome, .closed(code: 1001, reason: "server shutting down", initiatedByPeer: true))
        XCTAssertFalse(server.isListening)
    }

    func testBindingAPortInUseFailsWithAReadableError() throws {
        let loop = EventLoop()
        let first = WebSocketServer(loop: loop, options: ServerOptions(host: "127.0.0.1", port: 0),
                                    delegate: RecordingServerDelegate(echo: false))
        try first.start()
        let port = try XCTUnwrap(first.endpoint?.port)
        let second = WebSocketServer(loop: loop, options: ServerOptions(host: "127.0.0.1", port: port),
                                     delegate: RecordingServerDelegate(echo: false))
        XCTAssertThrowsError(try second.start()) { error in
            XCTAssertTrue("\(error)".contains("cannot listen on 127.0.0.1:\(port): Address already in use"), "\(error)")
        }
    }

    private func connectRaw(port: UInt16) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        XCTAssertEqual(rc, 0)
        return fd
    }
}

private final class RecordingServerDelegate: WebSocketServerDelegate {
    let echo: Bool
    var opened: [Int] = []
    var targets: [String] = []
    var texts: [String] = []
    var finished: [(Int, ConnectionOutcome)] = []
    var failures: [HandshakeFailure] = []
    var onOpen: () -> Void = {}
    var onFailure: () -> Void = {}

    init(echo: Bool) { self.echo = echo }

    func server(_ server: WebSocketServer, didOpen connection: ServerConnection) {
        opened.append(connection.id)
        targets.append(connection.handshake?.request.target ?? "?")
        onOpen()
    }

    func server(_ server: WebSocketServer, connection: ServerConnection, didReceive event: WebSocketEvent) {
        guard case let .text(payload) = event else { return }
        texts.append(String(decoding: payload, as: UTF8.self))
        if echo {
            _ = payload.withUnsafeBytes { raw in
                do throws(SendError) { try connection.sendText(raw); return true } catch { return false }
            }
        }
    }

    func server(_ server: WebSocketServer, connection: ServerConnection, didFinish outcome: ConnectionOutcome) {
        finished.append((connection.id, outcome))
    }

    func server(_ server: WebSocketServer, connection: ServerConnection, didFailHandshake failure: HandshakeFailure) {
        failures.append(failure)
        onFailure()
    }
}

private final class RecordingClientDelegate: MessageChannelDelegate {
    var texts: [String] = []
    var outcome: ConnectionOutcome?
    let onOpen: (MessageChannel) -> Void
    var onText: (MessageChannel, String) -> Void = { _, _ in }
    var onFinish: () -> Void = {}

    init(onOpen: @escaping (MessageChannel) -> Void) { self.onOpen = onOpen }

    func channelDidOpen(_ channel: MessageChannel, result: HandshakeResult) { onOpen(channel) }

    func source(_ channel: MessageChannel, didReceive event: WebSocketEvent) {
        guard case let .text(payload) = event else { return }
        let text = String(decoding: payload, as: UTF8.self)
        texts.append(text)
        onText(channel, text)
    }

    func sourceCanAcceptMoreOutput(_ channel: MessageChannel) {}
    func channel(_ channel: MessageChannel, didReport event: ChannelEvent) {}

    func source(_ channel: MessageChannel, didFinish outcome: ConnectionOutcome) {
        self.outcome = outcome
        onFinish()
    }
}

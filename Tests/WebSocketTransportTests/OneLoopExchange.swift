import XCTest
import WebSocketCore
@testable import WebSocketTransport

/// A `WebSocketServer` and a `WebSocketClient` of this process on one loop, on 127.0.0.1 port 0:
/// the transport's own tests of what goes between the two ends.
struct OneLoopExchange {
    let loop = EventLoop()
    let server: WebSocketServer
    let port: UInt16
    /// Kept here: the server holds its delegate weakly.
    private let serverDelegate: any WebSocketServerDelegate

    init(serverDelegate: any WebSocketServerDelegate, options: ServerOptions = ServerOptions(host: "127.0.0.1", port: 0)) throws {
        self.serverDelegate = serverDelegate
        server = WebSocketServer(loop: loop, options: options, delegate: serverDelegate)
        try server.start()
        port = try XCTUnwrap(server.endpoint?.port)
        XCTAssertNotEqual(port, 0)
    }

    /// Connects a client to `path` and runs the loop until something stops it, or `limit` seconds.
    func runClient(path: String = "/", delegate: any MessageChannelDelegate, limit: Double = 5) throws -> WebSocketClient {
        let client = WebSocketClient(loop: loop, options: ConnectionOptions(url: try WebSocketURL(parsing: "ws://127.0.0.1:\(port)\(path)")),
                                     tlsContext: nil, delegate: delegate)
        client.connect()
        run(for: limit)
        return client
    }

    /// Runs the loop until something stops it, or `limit` seconds.
    func run(for limit: Double) {
        let loop = self.loop
        loop.schedule(after: limit) { loop.stop() }
        loop.run()
    }
}

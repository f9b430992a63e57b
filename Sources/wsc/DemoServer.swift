import WebSocketCore
import WebSocketTransport

extension ServerConnection {
    /// Sends a received data message back as it came (text as text, binary as binary);
    /// returns why it could not, if so. Control messages are not echoed (pings are
    /// already answered by the connection).
    func echo(_ event: WebSocketEvent) -> SendError? {
        let result: Result<Void, SendError>
        switch event {
        case let .text(payload):
            result = payload.withUnsafeBytes { raw in
                do throws(SendError) { try sendText(raw); return .success(()) } catch { return .failure(error) }
            }
        case let .binary(payload):
            result = payload.withUnsafeBytes { raw in
                do throws(SendError) { try sendBinary(raw); return .success(()) } catch { return .failure(error) }
            }
        default:
            return nil
        }
        if case let .failure(error) = result { return error }
        return nil
    }
}

/// `wsc --demo`: the listen mode's server code as a silent echo server on a free loopback
/// port, on the same loop as the client session that connects to it.
final class DemoServer: WebSocketServerDelegate {
    private var server: WebSocketServer!

    init(loop: EventLoop, configuration: WebSocketConfiguration) {
        var options = ServerOptions(host: "127.0.0.1", port: 0)
        options.configuration = configuration
        server = WebSocketServer(loop: loop, options: options, delegate: self)
    }

    /// Binds the port; returns the URL to connect to.
    func start() throws(ListenError) -> String {
        try server.start()
        return server.endpoint?.webSocketURL ?? "ws://127.0.0.1/"
    }

    func server(_ server: WebSocketServer, didOpen connection: ServerConnection) {}

    func server(_ server: WebSocketServer, connection: ServerConnection, didReceive event: WebSocketEvent) {
        _ = connection.echo(event)
        if connection.isAboveHighWaterMark { connection.pauseReading(for: .echo) }
    }

    func server(_ server: WebSocketServer, connectionCanAcceptMoreOutput connection: ServerConnection) {
        connection.resumeReading(for: .echo)
    }

    func server(_ server: WebSocketServer, connection: ServerConnection, didFinish outcome: ConnectionOutcome) {}
}

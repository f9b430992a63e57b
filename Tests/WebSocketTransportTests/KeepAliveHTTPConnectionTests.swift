import XCTest
import Glibc
import WebSocketCore
@testable import WebSocketTransport

/// The long-poll GET's connection, against a server played here on loopback.
final class KeepAliveHTTPConnectionTests: XCTestCase {
    private static let firstAnswer = Array("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst".utf8)
    private static let secondAnswer = Array("HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nsecond".utf8)

    /// Engine.IO polling sends the next GET from the previous answer's completion, before that
    /// answer's packets are handed up. An answer already on the socket when the next request
    /// goes out (a fast server, or a slow client) must still come after: completing inside
    /// `send` made the packets of two polls arrive swapped (SocketIOTransportTests flaked).
    func testAnAnswerWaitingOnTheSocketIsNotCompletedInsideSend() throws {
        let listener = try XCTUnwrap(LoopbackListener.listening())
        defer { listener.close() }
        let loop = EventLoop()
        let options = ConnectionOptions(url: try WebSocketURL(parsing: "ws://127.0.0.1:\(listener.port)/"))
        let connection = KeepAliveHTTPConnection(loop: loop, options: options, tlsContext: nil, maxBodySize: 1 << 16)
        var server: Int32 = -1
        defer { if server >= 0 { close(server) } }
        var requestsSeen = 0
        var serverWatch: WatchID?
        let accepting = loop.watch(listener.listeningSocket, for: .readable) { _ in
            server = accept(listener.listeningSocket, nil, nil)
            serverWatch = loop.watch(server, for: .readable) { _ in
                var buffer = [UInt8](repeating: 0, count: 4096)
                let count = read(server, &buffer, buffer.count)
                guard count > 0 else {
                    if let serverWatch { loop.unwatch(serverWatch) }
                    return
                }
                requestsSeen += 1
                // Only the first request is answered here; the second's answer is written early.
                if requestsSeen == 1 { _ = Self.firstAnswer.withUnsafeBytes { write(server, $0.baseAddress, $0.count) } }
            }
        }
        defer {
            loop.unwatch(accepting)
            if let serverWatch { loop.unwatch(serverWatch) }
        }
        let safetyNet = loop.schedule(after: 5) { loop.stop() }
        defer { loop.cancel(safetyNet) }

        var bodies: [String] = []
        var secondCompletedInsideSend: Bool?
        connection.send(Array("GET /first HTTP/1.1\r\nHost: x\r\n\r\n".utf8)) { first in
            bodies.append((try? first.get()).map { String(decoding: $0.body, as: UTF8.self) } ?? "failed")
            // The second answer is on the client's socket before the second request is sent.
            _ = Self.secondAnswer.withUnsafeBytes { write(server, $0.baseAddress, $0.count) }
            var insideSend = true
            connection.send(Array("GET /second HTTP/1.1\r\nHost: x\r\n\r\n".utf8)) { second in
                secondCompletedInsideSend = insideSend
                bodies.append((try? second.get()).map { String(decoding: $0.body, as: UTF8.self) } ?? "failed")
                loop.stop()
            }
            insideSend = false
        }
        loop.run()
        connection.close()
        XCTAssertEqual(bodies, ["first", "second"])
        XCTAssertEqual(secondCompletedInsideSend, false, "the completion ran inside send")
    }
}

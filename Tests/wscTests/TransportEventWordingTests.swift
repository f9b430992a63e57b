import XCTest
import SocketIO
import WebSocketCore
import WebSocketTransport
@testable import wsc

/// The status lines for the transport's events: the transport reports values, these are the
/// lines users (and scripts reading stderr) see, unchanged from when the transport wrote them.
final class TransportEventWordingTests: XCTestCase {
    func testAReconnectSaysWhyThenWhenAndHowManyMessagesWait() {
        XCTAssertEqual(TransportEventWording.lines(.reconnecting(after: .abnormalClosure(.peerEndedStream), delay: 1.26,
                                                                 attempt: 3, unsentMessages: 2)),
                       ["server closed the connection without sending a close frame",
                        "reconnecting in 1.3 s (attempt 3); 2 unsent message(s) kept"])
        XCTAssertEqual(TransportEventWording.lines(.reconnecting(after: .closed(code: 1012, reason: "restart", initiatedByPeer: true),
                                                                 delay: 0.25, attempt: 1, unsentMessages: 0)),
                       ["server closed the connection (\(CloseCode.describe(1012, reason: "restart")))",
                        "reconnecting in 250 ms (attempt 1)"])
        XCTAssertEqual(TransportEventWording.lines(.reconnecting(after: .abnormalClosure(.aborted(.pollRejected(statusLine: "HTTP/1.1 502 Bad Gateway"))),
                                                                 delay: 2, attempt: 2, unsentMessages: 0)),
                       ["connection lost: the server answered a poll with HTTP/1.1 502 Bad Gateway",
                        "reconnecting in 2.0 s (attempt 2)"])
        XCTAssertEqual(TransportEventWording.lines(.reconnecting(after: .pingTimeout(5), delay: 1, attempt: 4, unsentMessages: 0))[0],
                       "no pong within 5 s: connection presumed dead")
    }

    /// The transport names why it dropped a connection; these are the lines wsc has always printed.
    func testEveryAbortReasonIsWordedByWsc() {
        let cases: [(AbortReason, String)] = [
            (.connectionDropped, "connection dropped"),
            (.interrupted, "dropped: interrupted"),
            (.pollAnswerNotEngineIO(.empty), "the server's poll answer is not Engine.IO: \(EngineIOError.empty)"),
            (.pollRejected(statusLine: "HTTP/1.1 500 Internal Server Error"),
             "the server answered a poll with HTTP/1.1 500 Internal Server Error"),
            (.upgradeProbeFailed, "upgrade probe failed"),
            (.engineIOSessionEnded, "the Engine.IO session ended"),
        ]
        for (reason, line) in cases {
            XCTAssertEqual(OutcomeReport(.abnormalClosure(.aborted(reason))).message, line)
            XCTAssertEqual(OutcomeReport(.abnormalClosure(.aborted(reason))).status, .abnormalClose)
        }
    }

    func testRunningOutOfAttemptsSaysHowMany() {
        XCTAssertEqual(TransportEventWording.lines(.gaveUp(attempts: 2)), ["giving up after 2 reconnect attempts"])
    }

    func testARedirectNamesTheURLWithoutItsCredentials() throws {
        let url = try WebSocketURL(parsing: "ws://user:secret@127.0.0.1:9001/next")
        XCTAssertEqual(TransportEventWording.lines(.channel(.redirected(to: url))), ["redirected to ws://127.0.0.1:9001/next"])
    }

    func testEngineIOTransportChanges() {
        XCTAssertEqual(TransportEventWording.line(.engineIO(.polling(probingUpgrade: false))),
                       "engine.io: transport polling (HTTP long-polling)")
        XCTAssertEqual(TransportEventWording.line(.engineIO(.polling(probingUpgrade: true))),
                       "engine.io: transport polling (HTTP long-polling); probing a WebSocket upgrade")
        XCTAssertEqual(TransportEventWording.line(.engineIO(.upgraded)), "engine.io: upgraded to WebSocket")
        XCTAssertEqual(TransportEventWording.line(.engineIO(.upgradeFailed(.timedOut(seconds: 10)))),
                       "engine.io: the WebSocket upgrade failed (no answer to the probe within 10 s); staying on polling")
        XCTAssertEqual(TransportEventWording.line(.engineIO(.upgradeFailed(.ended(.closed(code: nil, reason: "", initiatedByPeer: true))))),
                       "engine.io: the WebSocket upgrade failed (closed); staying on polling")
        XCTAssertEqual(TransportEventWording.line(.engineIO(.upgradeFailed(.ended(.failed(.io("refused")))))),
                       "engine.io: the WebSocket upgrade failed (refused); staying on polling")
        XCTAssertEqual(TransportEventWording.line(.engineIO(.pollingRefused(.status(statusLine: "HTTP/1.1 400 Bad Request",
                                                                                     bodyExcerpt: "Transport unknown")))),
                       "engine.io: polling failed (HTTP/1.1 400 Bad Request: Transport unknown); connecting over WebSocket")
        XCTAssertEqual(TransportEventWording.line(.engineIO(.pollingRefused(.status(statusLine: "HTTP/1.1 403 Forbidden",
                                                                                     bodyExcerpt: "")))),
                       "engine.io: polling failed (HTTP/1.1 403 Forbidden); connecting over WebSocket")
    }

    func testAFailedAcceptQuotesTheSystemsReason() {
        XCTAssertEqual(TransportEventWording.line(.acceptFailed(errno: 24, reason: "Too many open files")),
                       "cannot accept a connection: Too many open files")
    }
}

import WebSocketCore
import WebSocketTransport

/// What a client session's front end (pipe and one-shot: `ClientSession`; the prompt:
/// `InteractiveSession`) does with what its `SessionCore` hands it. The core has already
/// recorded every message, worded the status lines and routed Socket.IO; the front end decides
/// where text goes (stdout, above the prompt, a command's stdin) and what it sends next.
protocol SessionFrontEnd: AnyObject {
    /// A status line (connected, reconnecting, Socket.IO's session): silenced by `-q`.
    func showStatus(_ text: String)
    /// Something that changes what the user gets: shown even with `-q`.
    func showWarning(_ text: String)
    /// `-v`: prefixed lines, each ending in a newline.
    func showTrace(_ lines: String)

    /// A connection opened (each one: reconnects too), before Socket.IO's handshake.
    func sessionDidConnect(reconnected: Bool)
    /// The connection (with --socketio: the namespace) is ready for messages; `reconnected`
    /// from the second time on.
    func sessionIsReady(reconnected: Bool)
    /// A message, ping or pong, recorded already. With --socketio, text and binary messages go
    /// to the adapter instead, and what it makes of them to `sessionDidReceive(socketIOLine:)`.
    func sessionDidReceive(_ event: WebSocketEvent)
    /// A Socket.IO event or ack reply, formatted as one line.
    func sessionDidReceive(socketIOLine line: String)
    /// The outgoing buffer drained below the low-water mark (or a connection reopened).
    func sessionCanSendMore()
    /// A reconnected connection is ready, just before the kept messages are replayed.
    func sessionWillReplay()
    /// Socket.IO ended the conversation (`status` and `message` are the core's already): stop
    /// the input; the core closes the connection next.
    func sessionSocketIODidEnd(_ status: ExitStatus, message: String)
    /// The connection ended for good; `report` says how. Returns the report the session ends
    /// with, and stops the loop (now or once its output is written).
    func sessionDidFinish(_ outcome: ConnectionOutcome, report: OutcomeReport) -> OutcomeReport

    /// Written before each sleep of the loop, and once more when it has ended.
    func flushOutput()
    /// The loop has ended: leave the terminal as it was found.
    func sessionLoopDidEnd()
    /// The first error writing the front end's output, if any.
    var outputFailure: String? { get }
}

extension SessionFrontEnd {
    func sessionDidConnect(reconnected: Bool) {}
    func sessionWillReplay() {}
    func sessionLoopDidEnd() {}
}

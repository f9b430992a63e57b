import SocketIO

/// Why a connection ended without a close handshake (close code 1006). The causes are kept
/// apart because they mean different things to a user: a peer that simply hangs up without a
/// close frame (websocketd when its program exits, many brokers) is not a network failure.
public enum AbnormalClosure: Equatable, Sendable {
    /// The peer ended the stream (TCP FIN, or TLS end of stream) without sending a close frame.
    case peerEndedStream
    /// Reading or writing the socket failed (reset, broken pipe, TLS error).
    case transportFailed(TransportError)
    /// This side dropped the connection, for the reason given (worded by the executable).
    case aborted(AbortReason)
}

/// Why this side dropped a connection without a close handshake.
public enum AbortReason: Equatable, Sendable {
    /// Its owner let it go while ending something larger (a client leaving its open phase, a
    /// server closing a client's stream): nobody waits for this outcome.
    case connectionDropped
    /// The user interrupted the session (a second Ctrl-C, or one while a close was pending).
    case interrupted
    /// Engine.IO long-polling: the answer to a poll was not Engine.IO.
    case pollAnswerNotEngineIO(EngineIOError)
    /// Engine.IO long-polling: the server answered a poll with this status line instead of 200.
    case pollRejected(statusLine: String)
    /// The WebSocket probe of an Engine.IO upgrade failed (the failure itself is reported as an event).
    case upgradeProbeFailed
    /// The Engine.IO session a WebSocket probe belonged to ended before the upgrade.
    case engineIOSessionEnded
}

/// Why a connection ended without a close handshake (close code 1006). The causes are kept
/// apart because they mean different things to a user: a peer that simply hangs up without a
/// close frame (websocketd when its program exits, many brokers) is not a network failure.
public enum AbnormalClosure: Equatable, Sendable {
    /// The peer ended the stream (TCP FIN, or TLS end of stream) without sending a close frame.
    case peerEndedStream
    /// Reading or writing the socket failed (reset, broken pipe, TLS error).
    case transportFailed(TransportError)
    /// This side dropped the connection; the text, worded by the caller, says why.
    case aborted(String)
}

/// Why a `WebSocketConnection.send…` or `close` call was refused. Nothing is queued when one is
/// thrown, so the connection is unchanged and the caller may go on.
public enum SendError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The opening handshake has not completed (state `.connecting`).
    case handshakeNotCompleted
    /// We already sent a close frame (state `.closing`): RFC 6455 5.5.1 forbids sending data
    /// after it, and a second close frame makes no sense.
    case closeAlreadySent
    /// The connection is closed: the close handshake finished, the connection failed, or the
    /// transport ended.
    case connectionClosed
    /// A ping or pong payload above the 125 bytes a control frame can carry.
    case controlPayloadTooLong(Int)
    /// A close reason above the 123 bytes left after the status code.
    case closeReasonTooLong(Int)
    /// A close code that may not be sent (1004–1006, 1015, or outside 1000–4999's usable ranges).
    case invalidCloseCode(UInt16)
    /// The bytes given as a text message are not valid UTF-8; the peer would fail the connection.
    case invalidUTF8

    public var description: String {
        switch self {
        case .handshakeNotCompleted:
            return "cannot send before the opening handshake completes"
        case .closeAlreadySent:
            return "cannot send after the close frame was sent"
        case .connectionClosed:
            return "cannot send on a closed connection"
        case .controlPayloadTooLong(let length):
            return "ping or pong payload of \(length) bytes exceeds the 125-byte limit"
        case .closeReasonTooLong(let length):
            return "close reason of \(length) bytes exceeds the 123-byte limit"
        case .invalidCloseCode(let code):
            return "close code \(code) may not be sent (use 1000–1003, 1007–1014 or 3000–4999)"
        case .invalidUTF8:
            return "text message is not valid UTF-8"
        }
    }
}

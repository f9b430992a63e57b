/// What `WebSocketConnection.receive` and `receiveEndOfStream` report, in order of arrival.
public enum WebSocketEvent: Sendable, Equatable {
    /// A complete text message: valid UTF-8 (checked), as bytes so the caller decides whether
    /// it needs a `String`.
    case text([UInt8])
    /// A complete binary message.
    case binary([UInt8])
    /// A ping; the pong reply is already queued when the connection was open.
    case ping([UInt8])
    /// A pong, solicited or not. Nothing is sent in reply.
    case pong([UInt8])
    /// The peer's close frame arrived. `code` is `nil` when it carried no status (1005).
    /// `initiatedByPeer: true`: the peer closed first and our echo is queued; `false`: this is
    /// the reply to our close. Either way the close handshake is complete (state `.closed`).
    case closed(code: UInt16?, reason: String, initiatedByPeer: Bool)
    /// The peer broke the protocol; a close frame with the violation's code is already queued
    /// (unless we had sent ours already) and further input is ignored.
    case protocolViolation(ProtocolViolation)
    /// The transport ended without a completed close handshake (1006).
    case abnormalClosure
}

extension WebSocketEvent {
    /// A text or binary message (not a control frame or an ending).
    public var isData: Bool {
        switch self {
        case .text, .binary: return true
        case .ping, .pong, .closed, .protocolViolation, .abnormalClosure: return false
        }
    }

    /// A data or control message (text, binary, ping, pong), not one of the endings (the peer's
    /// close, a violation, the end of the stream), which a connection reports once as its outcome.
    public var isMessage: Bool {
        switch self {
        case .text, .binary, .ping, .pong: return true
        case .closed, .protocolViolation, .abnormalClosure: return false
        }
    }
}

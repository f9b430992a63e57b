import WebSocketCore

/// How one connection ended.
public enum ConnectionOutcome: Equatable, Sendable {
    /// The close handshake finished (or the peer closed and we echoed it).
    case closed(code: UInt16?, reason: String, initiatedByPeer: Bool)
    /// The peer broke the protocol or a limit; we sent a close frame with the code it causes.
    case protocolViolation(ProtocolViolation)
    /// The connection ended without a close frame (close code 1006).
    case abnormalClosure(AbnormalClosure)
    /// We sent a close frame and the peer never answered it.
    case closeTimeout(Double)
    /// No pong came within the ping timeout: the peer or the path is dead (we closed with 1011).
    case pingTimeout(Double)
    /// A protocol on top of WebSocket found the peer silent (Socket.IO: no Engine.IO ping within
    /// pingInterval + pingTimeout); the text says what was missing, for the user.
    case applicationTimeout(String)
    /// The connection was never opened, or broke at the transport level.
    case failed(TransportError)
}

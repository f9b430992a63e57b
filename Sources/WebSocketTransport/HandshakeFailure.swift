import WebSocketCore

/// Why an accepted connection never became a WebSocket; the executable words it.
public enum HandshakeFailure: Equatable, Sendable {
    /// The request broke RFC 6455 4.2.1; the client was sent `rejectionResponseBytes`.
    case rejected(ServerHandshakeError)
    /// No complete request arrived within the handshake timeout (seconds).
    case timedOut(Double)
    /// Reading the request failed (the socket reported an error).
    case readFailed(TransportError)
    /// The client hung up before its request was complete.
    case abandoned(ServerHandshakeAbandonment)
    /// The TLS handshake failed: not TLS, no or a refused client certificate, a hang-up.
    case tlsFailed(TransportError)
}

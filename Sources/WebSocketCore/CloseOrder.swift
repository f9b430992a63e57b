/// What the transport does with the TCP connection (or TLS, or Unix socket) under a WebSocket
/// connection, as RFC 6455 7.1.1 orders it: `WebSocketConnection.closeOrder`.
///
/// After a clean close handshake the server closes TCP at once, so that it, not the client, holds
/// the TIME_WAIT state; the client waits for the server to do so and closes TCP itself only when
/// the server is slow to (`waitForPeerToClose`). A failed connection (7.1.7: a protocol violation,
/// our close frame already queued) and a stream the peer already ended are closed at once by
/// either role. Nothing is closed while queued bytes (the echo of the peer's close, the close frame
/// of a violation) are still to be written.
public enum CloseOrder: Sendable, Equatable {
    /// The connection is not closed yet, or bytes are still queued for the peer: keep the stream.
    case keepOpen
    /// Close the stream now.
    case closeNow
    /// The close handshake finished on the client's side: keep reading (anything read is
    /// ignored) until the server ends the stream, and close it after `timeout` seconds if the
    /// server has not.
    case waitForPeerToClose(timeout: Double)
}

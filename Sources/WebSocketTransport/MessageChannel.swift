import WebSocketCore

/// One connection that carries whole messages, as `ManagedConnection` drives it: a WebSocket
/// (`WebSocketClient`) or Engine.IO over HTTP long-polling with its upgrade
/// (`EngineIOPollingClient`). Byte counts are the channel's own unit, consistent between
/// `bytesWritten` and `bufferedAmount`, which is all the replay queue needs.
public protocol MessageChannel: AnyObject {
    /// The URL of the connection (after redirects).
    var url: WebSocketURL { get }
    var isOpen: Bool { get }
    /// Bytes accepted by `send…` and not yet gone.
    var bufferedAmount: Int { get }
    /// Bytes gone since the channel opened.
    var bytesWritten: Int { get }
    /// The server's `Retry-After`, when it refused the connection with one.
    var retryAfter: Double? { get }
    /// Seconds from the opening request to the server's answer, once open.
    var handshakeRoundTrip: Double? { get }
    /// When (`MonotonicClock`) bytes last arrived; 0 before the channel opened.
    var lastReadTime: Double { get }
    /// Steps, messages and bytes so far (for the statistics summary).
    var statistics: ConnectionStatistics { get }
    /// Whether the caller should stop feeding messages until `…CanAcceptMoreOutput`.
    var isAboveHighWaterMark: Bool { get }
    func connect()
    func sendText(_ utf8: UnsafeRawBufferPointer) throws(SendError)
    func sendBinary(_ bytes: UnsafeRawBufferPointer) throws(SendError)
    func sendPing(_ payload: [UInt8]) throws(SendError)
    func sendPong(_ payload: [UInt8]) throws(SendError)
    /// Stops taking in messages until `resumeReading()` (the session's output is full).
    func pauseReading()
    func resumeReading()
    func close(code: UInt16, reason: String, timeout: Double)
    func abort(_ outcome: ConnectionOutcome)
}

extension WebSocketClient: MessageChannel {}

/// Receives what happens on a `MessageChannel`, on the loop's thread: the one delegate protocol
/// of `WebSocketClient` and `EngineIOPollingClient`, so `ManagedConnection` (and the polling
/// client, for the WebSocket under it) hears both the same way. The message events are
/// `MessageSourceDelegate`'s.
public protocol MessageChannelDelegate: MessageSourceDelegate where Source == any MessageChannel {
    /// The channel opened; messages may be sent.
    func channelDidOpen(_ channel: MessageChannel, result: HandshakeResult)
    /// Something worth a status line (a redirect being followed, an Engine.IO transport change).
    func channel(_ channel: MessageChannel, didReport event: ChannelEvent)
}

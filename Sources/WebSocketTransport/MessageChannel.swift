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
/// client, for the WebSocket under it) hears both the same way.
public protocol MessageChannelDelegate: AnyObject {
    /// The channel opened; messages may be sent.
    func channelDidOpen(_ channel: MessageChannel, result: HandshakeResult)
    /// A data or control message arrived (pings are already answered), or the peer's close
    /// frame (`.closed`, just before `didFinish`).
    func channel(_ channel: MessageChannel, didReceive event: WebSocketEvent)
    /// The outgoing buffer fell below half the high-water mark: input may be read again.
    func channelCanAcceptMoreOutput(_ channel: MessageChannel)
    /// Something worth a status line (a redirect being followed, an Engine.IO transport change).
    func channel(_ channel: MessageChannel, didReport event: ChannelEvent)
    /// The channel ended; it will do nothing more.
    func channel(_ channel: MessageChannel, didFinish outcome: ConnectionOutcome)
    /// The opening request about to be sent: request line, then header lines (for a trace).
    func channel(_ channel: MessageChannel, willSendHandshake request: [String])
    /// The server's answer to the opening request, before it is checked (for a trace).
    func channel(_ channel: MessageChannel, didReceiveHandshake response: HTTPResponseHead)
}

extension MessageChannelDelegate {
    public func channel(_ channel: MessageChannel, willSendHandshake request: [String]) {}
    public func channel(_ channel: MessageChannel, didReceiveHandshake response: HTTPResponseHead) {}
}

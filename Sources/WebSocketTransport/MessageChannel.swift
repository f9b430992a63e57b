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
    /// Steps, messages and bytes so far (`--stats`).
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

/// What a channel other than `WebSocketClient` reports (the same events as
/// `WebSocketClientDelegate`).
public protocol MessageChannelDelegate: AnyObject {
    func channelDidOpen(_ channel: MessageChannel, result: HandshakeResult)
    func channel(_ channel: MessageChannel, didReceive event: WebSocketEvent)
    func channelCanAcceptMoreOutput(_ channel: MessageChannel)
    func channel(_ channel: MessageChannel, notice: String)
    func channel(_ channel: MessageChannel, didFinish outcome: ConnectionOutcome)
    func channel(_ channel: MessageChannel, willSendHandshake request: [String])
    func channel(_ channel: MessageChannel, didReceiveHandshake response: HTTPResponseHead)
}

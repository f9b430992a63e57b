import WebSocketCore
import WebSocketTransport

/// The client's `ManagedConnection` as the sessions (and the Socket.IO adapter and `--exec`'s
/// bridge) use it: every message sent through it, and every event handed to `received(_:)`, is
/// recorded (`--jsonl`, `--transcript`). The connection itself is not reachable from outside, so
/// a send that is not recorded cannot be written.
///
/// What is recorded is what goes on the wire: a message once it is accepted (sent, or kept for
/// the next connection), our close frame once, the pong the connection answers each ping with;
/// not wsc's own probe ping (`sendProbe`) nor the pong that answers it.
final class RecordingConnection {
    private let connection: ManagedConnection
    private let recorder: MessageRecorder?
    /// A close was asked for (and recorded if it could go out): nothing more is sent.
    private(set) var closeRequested = false
    /// The payload of wsc's own ping while its pong is awaited.
    private var probe: [UInt8]?

    init(_ connection: ManagedConnection, recorder: MessageRecorder?) {
        self.connection = connection
        self.recorder = recorder
    }

    // MARK: - Receiving

    /// Records an event the connection reported, unless it is the answer to `sendProbe`.
    func received(_ event: WebSocketEvent) {
        if case let .pong(payload) = event, let probe, payload == probe {
            self.probe = nil
            return
        }
        recorder?.recordIncoming(event, pingAnswered: connection.isOpen)
    }

    // MARK: - Sending

    /// One whole text or binary message; see `ManagedConnection.send`.
    func send(_ payload: [UInt8], binary: Bool, repeatsOnReconnect: Bool = false) -> Result<Void, SendError> {
        let sent = connection.send(payload, binary: binary, repeatsOnReconnect: repeatsOnReconnect)
        if case .success = sent { recorder?.record(.outgoing, binary ? .binary : .text, payload) }
        return sent
    }

    /// One message from a buffer (a line of stdin or of a command's output).
    func send(_ bytes: UnsafeRawBufferPointer, binary: Bool) throws(SendError) {
        if binary {
            try connection.sendBinary(bytes)
        } else {
            // The connection checks the UTF-8 itself, once.
            try connection.sendText(bytes)
        }
        recorder?.record(.outgoing, binary ? .binary : .text, bytes)
    }

    /// A message that belongs to this connection only (a Socket.IO handshake step or answer),
    /// never kept for a reconnect; see `ManagedConnection.sendUnrecorded`.
    func sendOnThisConnection(text: String) throws(SendError) {
        try connection.sendUnrecorded(text: text)
        recorder?.record(.outgoing, .text, Array(text.utf8))
    }

    func sendOnThisConnection(binary bytes: [UInt8]) throws(SendError) {
        try connection.sendUnrecorded(binary: bytes)
        recorder?.record(.outgoing, .binary, bytes)
    }

    func sendPing(_ payload: [UInt8]) throws(SendError) {
        try connection.sendPing(payload)
        recorder?.record(.outgoing, .ping, payload)
    }

    func sendPong(_ payload: [UInt8]) throws(SendError) {
        try connection.sendPong(payload)
        recorder?.record(.outgoing, .pong, payload)
    }

    /// A ping of wsc's own, not the user's (the end-of-input probe): neither it nor its pong is
    /// recorded. A connection that cannot send it (down, between reconnects) just does not.
    func sendProbe(_ payload: [UInt8]) {
        do {
            try connection.sendPing(payload)
            probe = payload
        } catch {
            return
        }
    }

    /// Our close, recorded when a close frame actually goes out (once, however often asked).
    func close(code: UInt16, reason: String, timeout: Double) {
        if connection.isOpen && !closeRequested {
            recorder?.record(.outgoing, .close, Array(reason.utf8), code: code)
        }
        closeRequested = true
        connection.close(code: code, reason: reason, timeout: timeout)
    }

    // MARK: - The connection's life, as `ManagedConnection` has it

    func start() { connection.start() }
    func abort(_ outcome: ConnectionOutcome) { connection.abort(outcome) }
    func drop(_ outcome: ConnectionOutcome) { connection.drop(outcome) }
    func holdUntilReleased() { connection.holdUntilReleased() }
    func releaseHeldMessages() { connection.releaseHeldMessages() }
    func pauseReading(for reason: ReadingPauses) { connection.pauseReading(for: reason) }
    func resumeReading(for reason: ReadingPauses) { connection.resumeReading(for: reason) }
    var isOpen: Bool { connection.isOpen }
    var isAboveHighWaterMark: Bool { connection.isAboveHighWaterMark }
    var statistics: ConnectionStatistics { connection.statistics }
    var gaveUpAfterAttempts: Int? { connection.gaveUpAfterAttempts }
    var handshakeRoundTrip: Double? { connection.handshakeRoundTrip }
    var lastReadTime: Double { connection.lastReadTime }
}

extension RecordingConnection: CommandBridgeConnection {
    func sendBinary(_ bytes: UnsafeRawBufferPointer) throws(SendError) { try send(bytes, binary: true) }
    func sendTextMessage(_ utf8: UnsafeRawBufferPointer) throws(SendError) { try send(utf8, binary: false) }
}

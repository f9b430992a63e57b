import WebSocketCore
import WebSocketTransport

/// One listen-mode client's connection as `ListenSession` and `ClientCommands` use it: as with
/// the client's `RecordingConnection`, every message sent through it (stdin lines, echoes, a
/// command's output), our close, each event handed to `received(_:)` and the automatic pong are
/// recorded (`--jsonl`, `--transcript`), labelled with the client's number.
final class RecordingServerConnection {
    private let connection: ServerConnection
    private let recorder: MessageRecorder?
    /// Our close was asked for (recorded once, if it could go out).
    private var closeRequested = false

    init(_ connection: ServerConnection, recorder: MessageRecorder?) {
        self.connection = connection
        self.recorder = recorder
    }

    /// The client's number, as in "client N connected".
    var id: Int { connection.id }
    var peer: SocketEndpoint { connection.peer }
    var handshake: ServerHandshake? { connection.handshake }
    var clientCertificateSubject: String? { connection.clientCertificateSubject }
    var isOpen: Bool { connection.isOpen }
    var isAboveHighWaterMark: Bool { connection.isAboveHighWaterMark }
    func pauseReading(for reason: ReadingPauses) { connection.pauseReading(for: reason) }
    func resumeReading(for reason: ReadingPauses) { connection.resumeReading(for: reason) }
    func abort(_ outcome: ConnectionOutcome) { connection.abort(outcome) }

    // MARK: - Receiving

    /// Records a message, ping or pong the client sent (and the pong that answered a ping).
    func received(_ event: WebSocketEvent) {
        recorder?.recordIncoming(event, pingAnswered: connection.isOpen, client: id)
    }

    /// Records how the connection ended, when it ended with a close handshake.
    func finished(_ outcome: ConnectionOutcome) {
        guard case let .closed(code, reason, initiatedByPeer) = outcome else { return }
        recorder?.recordIncoming(.closed(code: code, reason: reason, initiatedByPeer: initiatedByPeer),
                                 pingAnswered: false, client: id)
    }

    // MARK: - Sending

    func send(_ bytes: UnsafeRawBufferPointer, binary: Bool) throws(SendError) {
        if binary {
            try connection.sendBinary(bytes)
        } else {
            try connection.sendText(bytes)
        }
        recorder?.record(.outgoing, binary ? .binary : .text, bytes, client: id)
    }

    /// `--echo`: a received data message back as it came; returns why it could not, if so.
    func echo(_ event: WebSocketEvent) -> SendError? {
        if let error = connection.echo(event) { return error }
        switch event {
        case let .text(payload): recorder?.record(.outgoing, .text, payload, client: id)
        case let .binary(payload): recorder?.record(.outgoing, .binary, payload, client: id)
        case .ping, .pong, .closed, .protocolViolation, .abnormalClosure: break
        }
        return nil
    }

    /// Our close, recorded when a close frame actually goes out (once, however often asked).
    func close(code: UInt16, reason: String, timeout: Double) {
        if connection.isOpen && !closeRequested {
            recorder?.record(.outgoing, .close, Array(reason.utf8), code: code, client: id)
        }
        closeRequested = true
        connection.close(code: code, reason: reason, timeout: timeout)
    }
}

extension RecordingServerConnection: CommandBridgeConnection {
    func sendBinary(_ bytes: UnsafeRawBufferPointer) throws(SendError) { try send(bytes, binary: true) }
    func sendTextMessage(_ utf8: UnsafeRawBufferPointer) throws(SendError) { try send(utf8, binary: false) }
}

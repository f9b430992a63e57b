import Glibc
import WebSocketCore

/// Writes `MessageRecord` lines to stdout (`--jsonl`) and/or appends them to a file
/// (`--transcript`). The connections the sessions send and receive through call it for every
/// message in and out (`RecordingConnection`, `RecordingServerConnection`), so no session site
/// records by hand; with `-P` also pings and pongs.
final class MessageRecorder {
    private var sinks: [OutputBuffer]
    private var files: [Int32] = []
    /// Whether pings and pongs are recorded (`-P`).
    let includesControlFrames: Bool

    init(includesControlFrames: Bool) {
        self.sinks = []
        self.includesControlFrames = includesControlFrames
    }

    /// `--jsonl`: lines go to this buffer (stdout).
    func addOutput(_ buffer: OutputBuffer) {
        sinks.append(buffer)
    }

    /// `--transcript FILE`: lines are appended to `path` (created with mode 0600).
    func addFile(_ path: String) throws(SetupError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw SetupError(status: .failure,
                             description: "--transcript: cannot open \(path): \(String(cString: strerror(errno)))")
        }
        files.append(fd)
        sinks.append(OutputBuffer(fd: fd))
    }

    var isEmpty: Bool { sinks.isEmpty }

    /// The first write error of any sink.
    var failure: String? { sinks.lazy.compactMap(\.failure).first }

    /// `client`: listen mode's client number, written as the record's `client` field.
    func record(_ direction: MessageRecord.Direction, _ kind: MessageRecord.Kind, _ payload: [UInt8], code: UInt16? = nil,
                client: Int? = nil) {
        guard !sinks.isEmpty else { return }
        if !includesControlFrames && (kind == .ping || kind == .pong) { return }
        let line = MessageRecord(time: RFC3339Time.now(), direction: direction, kind: kind,
                                 payload: payload, code: code, client: client).jsonLine + "\n"
        for sink in sinks { sink.append(line) }
    }

    func record(_ direction: MessageRecord.Direction, _ kind: MessageRecord.Kind, _ payload: UnsafeRawBufferPointer,
                client: Int? = nil) {
        guard !sinks.isEmpty else { return }
        record(direction, kind, Array(payload), client: client)
    }

    /// A received event (text, binary, ping, pong, the close). `pingAnswered`: the connection
    /// was open, so it answered a ping with a pong of the same data (RFC 6455 5.5.3), recorded
    /// as going out; while closing it answers none (the close frame is its last).
    func recordIncoming(_ event: WebSocketEvent, pingAnswered: Bool, client: Int? = nil) {
        switch event {
        case let .text(payload): record(.incoming, .text, payload, client: client)
        case let .binary(payload): record(.incoming, .binary, payload, client: client)
        case let .ping(payload):
            record(.incoming, .ping, payload, client: client)
            if pingAnswered { record(.outgoing, .pong, payload, client: client) }
        case let .pong(payload): record(.incoming, .pong, payload, client: client)
        case let .closed(code, reason, initiatedByPeer):
            record(.incoming, .close, Array(reason.utf8), code: code, client: client)
            // The connection answers a peer's close with its code and no reason (RFC 6455 5.5.1).
            if initiatedByPeer { record(.outgoing, .close, [], code: code, client: client) }
        case .protocolViolation, .abnormalClosure: break
        }
    }

    func flush() {
        for sink in sinks { sink.flush() }
    }

    /// Flushes and closes the transcript files.
    func finish() {
        flush()
        for fd in files { _ = close(fd) }
        files.removeAll()
    }
}

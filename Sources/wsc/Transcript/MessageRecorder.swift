#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import WebSocketCore

/// Writes `MessageRecord` lines to stdout (`--jsonl`) and/or appends them to a file
/// (`--transcript`). Sessions call `record` for every message in and out; with `-P` (or in
/// JSON lines mode when asked) also for pings and pongs.
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

    func record(_ direction: MessageRecord.Direction, _ kind: MessageRecord.Kind, _ payload: [UInt8], code: UInt16? = nil) {
        guard !sinks.isEmpty else { return }
        if !includesControlFrames && (kind == .ping || kind == .pong) { return }
        let line = MessageRecord(time: RFC3339Time.now(), direction: direction, kind: kind,
                                 payload: payload, code: code).jsonLine + "\n"
        for sink in sinks { sink.append(line) }
    }

    func record(_ direction: MessageRecord.Direction, _ kind: MessageRecord.Kind, _ payload: UnsafeRawBufferPointer) {
        guard !sinks.isEmpty else { return }
        record(direction, kind, Array(payload))
    }

    /// A received event (text, binary, ping, pong, the close).
    func recordIncoming(_ event: WebSocketEvent) {
        switch event {
        case let .text(payload): record(.incoming, .text, payload)
        case let .binary(payload): record(.incoming, .binary, payload)
        case let .ping(payload): record(.incoming, .ping, payload)
        case let .pong(payload): record(.incoming, .pong, payload)
        case let .closed(code, reason, initiatedByPeer):
            record(.incoming, .close, Array(reason.utf8), code: code)
            // The connection answers a peer's close with its code and no reason (RFC 6455 5.5.1).
            if initiatedByPeer { record(.outgoing, .close, [], code: code) }
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

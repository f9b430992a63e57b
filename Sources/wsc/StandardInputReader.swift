import Glibc
import WebSocketTransport

/// stdin cut into lines, for pipe mode and listen mode alike: one reader so the two cannot
/// drift. It reads only while its owner can take more (`canTakeMore`: the connection's, or
/// every client's, outgoing buffer below the high-water mark) and hands over each line with
/// its number; at the end of input the last, unterminated line goes out, then `ended` runs.
final class StandardInputReader {
    enum Ending {
        /// Every line was handed over.
        case endOfInput
        /// A read failed: the system's reason.
        case readFailed(String)
    }

    private let loop: EventLoop
    private var watch: WatchID?
    private var splitter: LineSplitter
    private var buffer = [UInt8](repeating: 0, count: 256 * 1024)
    /// Returns false to stop reading (the owner failed and is closing).
    private let line: (UnsafeRawBufferPointer, Int) -> Bool
    private let canTakeMore: () -> Bool
    private let ended: (Ending) -> Void

    /// `keepsCarriageReturn`: lines are bytes (`-b`), only the LF is removed.
    init(loop: EventLoop, keepsCarriageReturn: Bool, canTakeMore: @escaping () -> Bool,
         line: @escaping (UnsafeRawBufferPointer, Int) -> Bool, ended: @escaping (Ending) -> Void) {
        self.loop = loop
        self.splitter = LineSplitter(keepsCarriageReturn: keepsCarriageReturn)
        self.canTakeMore = canTakeMore
        self.line = line
        self.ended = ended
    }

    var isReading: Bool { watch != nil }
    /// The number of the line being read, for messages about input left unsent.
    var nextLineNumber: Int { splitter.nextLineNumber }

    /// Starts watching stdin (a pipe gets a larger buffer first).
    func start() {
        guard watch == nil else { return }
        StandardInputPipe.enlargeBuffer()
        watch = loop.watch(0, for: canTakeMore() ? .readable : []) { [unowned self] _ in self.read() }
    }

    /// The owner's capacity changed: read again, or pause, as `canTakeMore` now says.
    func settle() {
        guard let watch else { return }
        loop.update(watch, interest: canTakeMore() ? .readable : [])
    }

    /// No more reading, and no `ended` call.
    func stop() {
        if let watch { loop.unwatch(watch) }
        watch = nil
    }

    /// Is there input not handed over? A partial line, or stdin readable with data (not at
    /// end). Input the producer has not written yet is not counted.
    func unsentInputRemains() -> Bool {
        if splitter.bufferedCount > 0 { return true }
        guard Self.isReady() else { return false }
        let count = buffer.withUnsafeMutableBytes { Glibc.read(0, $0.baseAddress, $0.count) }
        return count > 0
    }

    private func read() {
        var reads = 0
        while watch != nil {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(0, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR || errno == EAGAIN { return }
                let reason = String(cString: strerror(errno))
                stop()
                ended(.readFailed(reason))
                return
            }
            if count == 0 {
                let handedOver = splitter.finish(line)
                guard watch != nil else { return }
                stop()
                if handedOver { ended(.endOfInput) }
                return
            }
            let handedOver = buffer.withUnsafeBytes { raw in
                splitter.feed(UnsafeRawBufferPointer(rebasing: raw[0..<count]), line)
            }
            guard handedOver, watch != nil else { return }
            guard canTakeMore() else {
                settle()
                return
            }
            // After a short read the producer may already have ended (`echo hello | wsc`): taking
            // the end in this loop round sends the last line and the end-of-input probe in one
            // write, so the server wakes up once for both instead of twice.
            reads += 1
            guard count < buffer.count, reads < 4, Self.isReady() else { return }
        }
    }

    /// Whether a read of stdin would return at once (data, or its end).
    private static func isReady() -> Bool {
        var pfd = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
        return poll(&pfd, 1, 0) == 1 && pfd.revents & Int16(POLLIN | POLLHUP) != 0
    }
}

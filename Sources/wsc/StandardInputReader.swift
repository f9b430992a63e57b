import Glibc
import WebSocketTransport

/// How stdin ended, for `StandardInputConsumer.standardInputEnded(_:)`.
enum StandardInputEnding {
    /// Every line was handed over.
    case endOfInput
    /// A read failed: the system's reason.
    case readFailed(String)
}

/// The owner of a `StandardInputReader` (pipe mode's session, listen mode's server).
protocol StandardInputConsumer: AnyObject {
    /// Whether to read now: the connection's (or every client's) outgoing buffer is below the
    /// high-water mark.
    var canTakeMoreInput: Bool { get }
    /// One line without its LF, and its number; false stops reading (the owner failed and is closing).
    func standardInput(line: UnsafeRawBufferPointer, number: Int) -> Bool
    /// Called once, after the last line (not after `stop()`).
    func standardInputEnded(_ ending: StandardInputEnding)
}

/// stdin cut into lines, for pipe mode and listen mode alike: one reader so the two cannot
/// drift. It reads only while its consumer can take more and hands over each line with its
/// number; at the end of input the last, unterminated line goes out, then `standardInputEnded`.
///
/// Generic over its consumer, and the consumer is loaded once per read rather than once per
/// line: a million short lines cost a million direct calls, not a million closure calls that
/// each take and drop a strong reference to the session (measured: about 5% of `seq 1 1000000 | wsc`).
final class StandardInputReader<Consumer: StandardInputConsumer> {
    private let loop: EventLoop
    private unowned let consumer: Consumer
    private var watch: WatchID?
    private var splitter: LineSplitter
    private var buffer = [UInt8](repeating: 0, count: 256 * 1024)

    /// `keepsCarriageReturn`: lines are bytes (`-b`), only the LF is removed. The consumer owns
    /// the reader.
    init(loop: EventLoop, keepsCarriageReturn: Bool, consumer: Consumer) {
        self.loop = loop
        self.consumer = consumer
        self.splitter = LineSplitter(keepsCarriageReturn: keepsCarriageReturn)
    }

    var isReading: Bool { watch != nil }
    /// The number of the line being read, for messages about input left unsent.
    var nextLineNumber: Int { splitter.nextLineNumber }

    /// Starts watching stdin (a pipe gets a larger buffer first).
    func start() {
        guard watch == nil else { return }
        StandardInputPipe.enlargeBuffer()
        watch = loop.watch(0, for: consumer.canTakeMoreInput ? .readable : []) { [unowned self] _ in self.read() }
    }

    /// The owner's capacity changed: read again, or pause, as `canTakeMoreInput` now says.
    func settle() {
        guard let watch else { return }
        loop.update(watch, interest: consumer.canTakeMoreInput ? .readable : [])
    }

    /// No more reading, and no `standardInputEnded` call.
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
        let consumer = self.consumer
        var reads = 0
        while watch != nil {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(0, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR || errno == EAGAIN { return }
                let reason = String(cString: strerror(errno))
                stop()
                consumer.standardInputEnded(.readFailed(reason))
                return
            }
            if count == 0 {
                let handedOver = splitter.finish { consumer.standardInput(line: $0, number: $1) }
                guard watch != nil else { return }
                stop()
                if handedOver { consumer.standardInputEnded(.endOfInput) }
                return
            }
            let handedOver = buffer.withUnsafeBytes { raw in
                splitter.feed(UnsafeRawBufferPointer(rebasing: raw[0..<count])) { consumer.standardInput(line: $0, number: $1) }
            }
            guard handedOver, watch != nil else { return }
            guard consumer.canTakeMoreInput else {
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

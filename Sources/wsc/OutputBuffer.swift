import Glibc
import WebSocketTransport

/// Buffered writes to a file descriptor (stdout, a transcript file, stderr): many messages, one
/// `write`, and, once attached to the poll loop, never a write that waits for a slow reader.
///
/// The loop flushes it before every sleep, so nothing printed waits while wsc idles, and a
/// burst of small messages costs one system call per 64 KiB instead of one each. What the
/// descriptor cannot take now waits here, written when poll says there is room; while `isFull`
/// the producer holds back (stdout: the session stops reading the socket, so memory stays
/// bounded and back-pressure reaches the server; stderr: `StatusReporter` drops status lines),
/// while signals and timers are still served. The first failed write is reported once
/// (`onFailure`); everything appended after it is dropped.
final class OutputBuffer {
    private let fd: Int32
    private let kind: DescriptorKind
    private var buffer: [UInt8] = []
    /// Bytes at the start of `buffer` already written.
    private var written = 0
    private let threshold = 64 * 1024
    /// Above this many unwritten bytes the buffer is full (`isFull`): the session stops reading.
    let highWaterMark: Int
    private var loop: EventLoop?
    private var watch: WatchID?
    private var wasFull = false
    /// When the buffer last became full, and the seconds it spent full before that.
    private var fullSince: Double?
    private var fullSeconds = 0.0
    /// After a failed write: nothing more is kept.
    private var discarding = false
    /// After `stopWaiting()`.
    private var dropsWhatWaits = false
    /// Without a loop, how long one flush may wait for room (nil: as long as it takes).
    private let unattachedWait: Double?
    private var emptyActions: [() -> Void] = []
    /// The first write error, as the line to print (e.g. "cannot write output: Broken pipe").
    private(set) var failure: String?
    /// Called once, on the first failed write.
    var onFailure: ((String) -> Void)?
    /// Called when a full buffer has drained to half its high-water mark.
    var onDrained: (() -> Void)?

    /// `unattachedWait`: without a loop (before it runs, after it stopped), a flush waits at
    /// most this long for room; then what waits is dropped, and from then on so is whatever
    /// the descriptor does not take at once (as after `stopWaiting()`). nil: it waits.
    init(fd: Int32, highWaterMark: Int = 1 << 20, unattachedWait: Double? = nil) {
        self.fd = fd
        self.kind = DescriptorKind(fd)
        self.highWaterMark = highWaterMark
        self.unattachedWait = unattachedWait
        buffer.reserveCapacity(threshold * 2)
    }

    /// From now on flushing never waits: what does not fit is written when the loop reports
    /// the descriptor writable. Without a loop (the final drain) a flush waits, as long as
    /// `unattachedWait` allows.
    func attach(to loop: EventLoop) {
        self.loop = loop
    }

    /// The loop has stopped: from now on a flush writes without it again (what waits would
    /// otherwise wait for a writable report that never comes).
    func detach() {
        if let watch, let loop { loop.unwatch(watch) }
        watch = nil
        loop = nil
    }

    var pendingCount: Int { buffer.count - written }

    /// Whether the session should stop producing output (stop reading the socket) until `onDrained`.
    var isFull: Bool {
        let full = pendingCount >= highWaterMark
        if full && !wasFull {
            wasFull = true
            fullSince = MonotonicClock.now()
        }
        return full
    }

    func append(_ bytes: UnsafeRawBufferPointer) {
        guard !discarding else { return }
        buffer.append(contentsOf: bytes)
        if pendingCount >= threshold { flush() }
    }

    func append(_ bytes: [UInt8]) {
        guard !discarding else { return }
        buffer.append(contentsOf: bytes)
        if pendingCount >= threshold { flush() }
    }

    func append(_ text: String) {
        guard !discarding else { return }
        buffer.append(contentsOf: text.utf8)
        if pendingCount >= threshold { flush() }
    }

    func append(byte: UInt8) {
        guard !discarding else { return }
        buffer.append(byte)
    }

    /// Runs `action` once everything appended so far is written (at once if it is), or has
    /// been given up (a write failed, `stopWaiting()`): how a session waits for its output before it ends.
    func whenEmpty(_ action: @escaping () -> Void) {
        if pendingCount == 0 {
            action()
        } else {
            emptyActions.append(action)
        }
    }

    /// From now on what the descriptor does not take at once is dropped instead of kept (the
    /// user interrupted wsc: output nobody reads must not hold the exit, nor grow memory).
    func stopWaiting() {
        dropsWhatWaits = true
        flush()
    }

    /// Writes what the descriptor takes without waiting (attached), or everything (not attached).
    func flush() {
        let deadline = unattachedWait.map { MonotonicClock.now() + $0 }
        while pendingCount > 0 {
            let result = buffer.withUnsafeBytes { raw in
                kind.writeWithoutWaiting(fd, UnsafeRawBufferPointer(rebasing: raw[written...]))
            }
            switch result {
            case let .wrote(count):
                written += count
            case .wouldWait where dropsWhatWaits:
                discardPending()
                return
            case .wouldWait:
                if let loop {
                    if watch == nil {
                        watch = loop.watch(fd, for: .writable) { [unowned self] _ in self.flush() }
                    }
                    compact()
                    return
                }
                // Not attached: wait for room (the last drain after the loop), within the bound.
                var timeout: Int32 = -1
                if let deadline {
                    let remaining = deadline - MonotonicClock.now()
                    guard remaining > 0 else {
                        dropsWhatWaits = true
                        discardPending()
                        return
                    }
                    timeout = Int32(min(remaining * 1000 + 1, Double(Int32.max)))
                }
                var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                _ = poll(&pfd, 1, timeout)
            case let .failed(code):
                fail(code)
                return
            }
        }
        buffer.removeAll(keepingCapacity: true)
        written = 0
        if let watch, let loop {
            loop.unwatch(watch)
            self.watch = nil
        }
        becameEmpty()
    }

    deinit {
        if case let .privateNonBlocking(copy) = kind { _ = close(copy) }
    }

    private func compact() {
        if written >= threshold && written >= buffer.count / 2 {
            buffer.removeFirst(written)
            written = 0
        }
        if wasFull && pendingCount <= highWaterMark / 2 {
            drained()
            onDrained?()
        }
    }

    private func becameEmpty() {
        if wasFull {
            drained()
            onDrained?()
        }
        let actions = emptyActions
        emptyActions.removeAll()
        for action in actions { action() }
    }

    /// Seconds spent full so far (the socket was not read meanwhile): timings of the peer's
    /// answers, such as the end-of-input rule's probe, leave them out.
    func secondsFull(at now: Double) -> Double {
        fullSeconds + (fullSince.map { now - $0 } ?? 0)
    }

    private func drained() {
        wasFull = false
        if let since = fullSince { fullSeconds += MonotonicClock.now() - since }
        fullSince = nil
    }

    private func fail(_ code: Int32) {
        discarding = true
        if failure == nil {
            let message = "cannot write output: \(String(cString: strerror(code)))"
            failure = message
            discardPending()
            onFailure?(message)
        } else {
            discardPending()
        }
    }

    private func discardPending() {
        buffer.removeAll(keepingCapacity: false)
        written = 0
        if let watch, let loop {
            loop.unwatch(watch)
            self.watch = nil
        }
        let actions = emptyActions
        emptyActions.removeAll()
        for action in actions { action() }
    }
}

/// How a descriptor is written without ever waiting for its reader, chosen once from `fstat`.
///
/// Setting O_NONBLOCK on stdout is not an option: its open file description is shared with the
/// shell and the other programs of the pipeline, and the flag would stay behind on it after
/// wsc exits (a later `cat` in the same shell would fail with EAGAIN).
private enum DescriptorKind {
    /// Regular files and devices such as /dev/null or /dev/full: a write completes or fails
    /// without waiting for anyone (poll always calls them writable), so it is done whole.
    case neverWaits
    /// Pipes, FIFOs and terminals, written through a second open file description of the same
    /// pipe or terminal (opened from /proc/self/fd) that is wsc's alone, so it can be
    /// non-blocking without touching the shared one: a write takes what fits (up to the whole
    /// pipe) and returns, or fails with EAGAIN. One system call per pipe's worth of output.
    case privateNonBlocking(Int32)
    /// Pipes, FIFOs and terminals when no private description can be opened (no /proc):
    /// written only after poll reports POLLOUT, at most PIPE_BUF bytes per write.
    ///
    /// Why such a write cannot block: Linux reports POLLOUT on a pipe only when at least one
    /// of its page-sized slots is free (`pipe_poll`: not `pipe_full`), and a write of at most
    /// PIPE_BUF (4096, never more than a page) bytes either joins the last partly filled page
    /// or takes that free slot in one step, so it never waits for the reader. wsc is the only
    /// writer of its output pipe while it runs (the shell that shares it waits for wsc), so no
    /// one can take the slot between the poll and the write. The poll has a zero timeout: when
    /// the pipe is full the loop's writable watch takes over. A terminal reports POLLOUT while
    /// its output queue has room; only one stopped with Ctrl-S (XOFF) could hold a write, and
    /// then for at most one 4 KiB chunk's worth of room, not for a whole backlog.
    case pipeOrTerminal
    /// Sockets (stdout handed over by a service manager): `send` with MSG_DONTWAIT is
    /// non-blocking for that one call, without changing the shared description.
    case socket

    enum WriteResult {
        case wrote(Int)
        case wouldWait
        case failed(Int32)
    }

    init(_ fd: Int32) {
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            self = .pipeOrTerminal
            return
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG, S_IFBLK: self = .neverWaits
        case S_IFSOCK: self = .socket
        case S_IFIFO: self = Self.reopenedNonBlocking(fd)
        case S_IFCHR: self = isatty(fd) == 1 ? Self.reopenedNonBlocking(fd) : .neverWaits
        default: self = .pipeOrTerminal
        }
    }

    /// A private non-blocking description of the pipe or terminal `fd` refers to. Fails when
    /// /proc is missing, and for a pipe without a reader (ENXIO): writing then fails anyway.
    private static func reopenedNonBlocking(_ fd: Int32) -> DescriptorKind {
        let copy = open("/proc/self/fd/\(fd)", O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
        return copy >= 0 ? .privateNonBlocking(copy) : .pipeOrTerminal
    }

    func writeWithoutWaiting(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> WriteResult {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return .wrote(0) }
        while true {
            let count: Int
            switch self {
            case .neverWaits:
                count = write(fd, base, bytes.count)
            case let .privateNonBlocking(copy):
                count = write(copy, base, bytes.count)
            case .socket:
                count = send(fd, base, bytes.count, Int32(MSG_DONTWAIT))
            case .pipeOrTerminal:
                var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                let ready = poll(&pfd, 1, 0)
                if ready < 0 && errno == EINTR { continue }
                // POLLERR/POLLHUP (the reader is gone): the write reports the error itself.
                guard ready > 0 else { return .wouldWait }
                count = write(fd, base, min(bytes.count, Int(PIPE_BUF)))
            }
            if count > 0 { return .wrote(count) }
            if count == 0 { return .wouldWait }
            switch errno {
            case EINTR: continue
            // The private description is full, or someone else made the shared one non-blocking.
            case EAGAIN, EWOULDBLOCK: return .wouldWait
            default: return .failed(errno)
            }
        }
    }
}

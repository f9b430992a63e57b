#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Buffered writes to a file descriptor (stdout): many messages, one `write`.
///
/// The poll loop flushes it before every sleep, so nothing printed waits while wsc idles,
/// and a burst of small messages costs one system call per 64 KiB instead of one each.
final class OutputBuffer {
    private let fd: Int32
    private var buffer: [UInt8] = []
    private let threshold = 64 * 1024
    /// The first write error, reported once by the session (e.g. stdout closed).
    private(set) var failure: String?

    init(fd: Int32) {
        self.fd = fd
        buffer.reserveCapacity(threshold * 2)
    }

    func append(_ bytes: UnsafeRawBufferPointer) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= threshold { flush() }
    }

    func append(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= threshold { flush() }
    }

    func append(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= threshold { flush() }
    }

    func append(byte: UInt8) {
        buffer.append(byte)
    }

    func flush() {
        guard !buffer.isEmpty else { return }
        var offset = 0
        buffer.withUnsafeBytes { raw in
            while offset < raw.count {
                let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n > 0 {
                    offset += n
                } else if n < 0 && errno == EINTR {
                    continue
                } else if n < 0 && errno == EAGAIN {
                    // A non-blocking descriptor someone else set up: wait until it drains.
                    var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                    _ = poll(&pfd, 1, -1)
                } else {
                    if failure == nil { failure = "cannot write output: \(String(cString: strerror(errno)))" }
                    offset = raw.count
                }
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

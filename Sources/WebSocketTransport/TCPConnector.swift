#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CSystemShims

/// Connects to each resolved address in turn with a non-blocking `connect`, until one succeeds.
///
/// The caller's overall deadline (the connect timeout) bounds the whole sequence; a refused
/// IPv6 address falls through to IPv4 at once, so `localhost` works whichever family listens.
final class TCPConnector {
    private let loop: EventLoop
    private let host: String
    private let port: UInt16
    private var addresses: [ResolvedAddress]
    private var index = 0
    private var fd: Int32 = -1
    private var watch: WatchID?
    private var lastError = "no address to try"
    private var completion: ((Result<Int32, TransportError>) -> Void)?

    init(loop: EventLoop, host: String, port: UInt16, addresses: [ResolvedAddress]) {
        self.loop = loop
        self.host = host
        self.port = port
        self.addresses = addresses
    }

    func start(_ completion: @escaping (Result<Int32, TransportError>) -> Void) {
        self.completion = completion
        tryNext()
    }

    /// Stops any attempt in progress (timeout or user interrupt) and closes its socket.
    func cancel() {
        completion = nil
        finishAttempt(closing: true)
    }

    private func tryNext() {
        while index < addresses.count {
            var address = addresses[index]
            index += 1
            let sock = socket(address.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            if sock < 0 {
                lastError = systemErrorMessage(errno)
                continue
            }
            _ = fcntl(sock, F_SETFL, fcntl(sock, F_GETFL) | O_NONBLOCK)
            var one: Int32 = 1
            // Small frames (a typed line, a pong) must not wait for Nagle's timer;
            // bulk output is already batched into large writes by the connection.
            setsockopt(sock, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            let rc = withUnsafePointer(to: &address.storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(sock, $0, address.length) }
            }
            if rc == 0 {
                succeed(sock)
                return
            }
            if errno == EINPROGRESS || errno == EINTR {
                fd = sock
                watch = loop.watch(sock, for: .writable) { [unowned self] _ in self.connectFinished() }
                return
            }
            lastError = systemErrorMessage(errno)
            close(sock)
        }
        let completion = self.completion
        self.completion = nil
        completion?(.failure(.connectionFailed(host: host, port: port, reason: lastError)))
    }

    private func connectFinished() {
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
        if error == 0 {
            let sock = fd
            finishAttempt(closing: false)
            succeed(sock)
        } else {
            lastError = systemErrorMessage(error)
            finishAttempt(closing: true)
            tryNext()
        }
    }

    private func finishAttempt(closing: Bool) {
        if let watch { loop.unwatch(watch) }
        watch = nil
        if closing && fd >= 0 { close(fd) }
        fd = -1
    }

    private func succeed(_ sock: Int32) {
        let completion = self.completion
        self.completion = nil
        completion?(.success(sock))
    }
}

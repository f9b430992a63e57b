import Glibc
import CSystemShims
import WebSocketCore

/// Connects to a host's resolved addresses with Happy Eyeballs (RFC 8305): the core's
/// `ConnectionAttemptSchedule` says which address is next and when; this class opens the
/// non-blocking sockets. A new attempt starts 250 ms after the previous one without waiting for
/// it to fail (at once when it does), so one black-holed address does not eat the connect
/// timeout; the first socket to connect wins and the others are closed. (A Unix domain
/// socket's address, `ResolvedAddress.unixSocket`, is connected the same way.)
///
/// The caller's overall deadline (the connect timeout) bounds the whole sequence.
final class TCPConnector {
    private struct Attempt {
        var fd: Int32
        var watch: WatchID
    }

    private let loop: EventLoop
    private let host: String
    private let port: UInt16
    private let addresses: [ResolvedAddress]
    private var schedule: ConnectionAttemptSchedule
    /// Attempts in flight, by address index.
    private var attempts: [Int: Attempt] = [:]
    private var timer: TimerID?
    private var lastError = "no address to try"
    private var completion: ((Result<Int32, TransportError>) -> Void)?

    init(loop: EventLoop, host: String, port: UInt16, addresses: [ResolvedAddress],
         attemptDelay: Double = ConnectionAttemptSchedule.defaultAttemptDelay) {
        self.loop = loop
        self.host = host
        self.port = port
        self.addresses = addresses
        self.schedule = ConnectionAttemptSchedule(families: addresses.map(\.attemptFamily), attemptDelay: attemptDelay)
    }

    func start(_ completion: @escaping (Result<Int32, TransportError>) -> Void) {
        self.completion = completion
        advance()
    }

    /// Stops every attempt in progress (timeout or user interrupt) and closes their sockets.
    func cancel() {
        completion = nil
        closeAttempts()
    }

    /// Does what the schedule says until it says to wait.
    private func advance() {
        while completion != nil {
            let now = MonotonicClock.now()
            switch schedule.nextStep(now: now) {
            case let .attempt(index):
                startAttempt(index)
            case let .wait(until: time):
                loop.cancel(timer)
                timer = loop.schedule(after: time - now) { [unowned self] in
                    self.timer = nil
                    self.advance()
                }
                return
            case .waitForAttempts:
                return
            case .exhausted:
                completion.take()?(.failure(.connectionFailed(host: host, port: port, reason: lastError)))
                return
            }
        }
    }

    private func startAttempt(_ index: Int) {
        let address = addresses[index]
        let sock = socket(address.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        if sock < 0 {
            attemptFailed(reason: systemErrorMessage(errno))
            return
        }
        _ = fcntl(sock, F_SETFL, fcntl(sock, F_GETFL) | O_NONBLOCK)
        if address.family != AF_UNIX {
            var one: Int32 = 1
            // Small frames (a typed line, a pong) must not wait for Nagle's timer;
            // bulk output is already batched into large writes by the connection.
            setsockopt(sock, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        }
        let rc = address.withSocketAddress { connect(sock, $0, address.length) }
        if rc == 0 {
            succeed(sock)
            return
        }
        if errno == EINPROGRESS || errno == EINTR {
            let watch = loop.watch(sock, for: .writable) { [unowned self] _ in self.connectFinished(index) }
            attempts[index] = Attempt(fd: sock, watch: watch)
            return
        }
        let reason = systemErrorMessage(errno)
        close(sock)
        attemptFailed(reason: reason)
    }

    private func connectFinished(_ index: Int) {
        guard let attempt = attempts.removeValue(forKey: index) else { return }
        loop.unwatch(attempt.watch)
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(attempt.fd, SOL_SOCKET, SO_ERROR, &error, &length)
        if error == 0 {
            succeed(attempt.fd)
        } else {
            close(attempt.fd)
            attemptFailed(reason: systemErrorMessage(error))
            advance()
        }
    }

    /// Called from `startAttempt` (inside `advance`'s loop) or `connectFinished` (which advances).
    private func attemptFailed(reason: String) {
        lastError = reason
        schedule.attemptFailed()
    }

    private func succeed(_ sock: Int32) {
        closeAttempts()
        completion.take()?(.success(sock))
    }

    private func closeAttempts() {
        loop.cancel(timer)
        timer = nil
        for attempt in attempts.values {
            loop.unwatch(attempt.watch)
            close(attempt.fd)
        }
        attempts.removeAll()
    }

    /// The timer and watches capture this connector unowned: none may outlive it.
    deinit {
        closeAttempts()
    }
}

extension ResolvedAddress {
    var attemptFamily: ConnectionAttemptSchedule.Family {
        switch family {
        case AF_INET6: .ipv6
        case AF_INET: .ipv4
        default: .other
        }
    }
}

import Glibc
import Synchronization

/// One name resolution run on a helper thread, reported on the poll loop's thread through a
/// wake-up pipe the loop watches, so the loop never waits for a resolver: a dead DNS server
/// can hold `getaddrinfo` for its own timeouts (5 s per try, several tries), during which
/// Ctrl-C, the connect timeout and every timer must still work.
///
/// `getaddrinfo` cannot be interrupted: `cancel()` (the connect timeout, an interrupt) only
/// stops listening. The helper thread then finishes on its own, discards its answer and closes
/// the pipe; at exit the process does not wait for it.
final class BackgroundResolution {
    typealias Lookup = @Sendable (_ host: String, _ port: UInt16) -> Result<[ResolvedAddress], TransportError>

    /// The helper thread's side: it writes the answer here, then one byte into the pipe.
    private final class Mailbox: Sendable {
        enum State: Sendable {
            case waiting
            case answered(Result<[ResolvedAddress], TransportError>)
            /// The loop side stopped listening: whoever comes last closes the pipe.
            case abandoned
            case taken
        }

        let readEnd: Int32
        let writeEnd: Int32
        let state = Mutex<State>(.waiting)

        init(readEnd: Int32, writeEnd: Int32) {
            self.readEnd = readEnd
            self.writeEnd = writeEnd
        }

        func closePipe() {
            _ = close(readEnd)
            _ = close(writeEnd)
        }
    }

    private final class Job: Sendable {
        let host: String
        let port: UInt16
        let lookup: Lookup
        let mailbox: Mailbox

        init(host: String, port: UInt16, lookup: @escaping Lookup, mailbox: Mailbox) {
            self.host = host
            self.port = port
            self.lookup = lookup
            self.mailbox = mailbox
        }

        func run() {
            let result = lookup(host, port)
            mailbox.state.withLock { state in
                guard case .waiting = state else {
                    mailbox.closePipe()
                    return
                }
                state = .answered(result)
                var byte: UInt8 = 1
                _ = write(mailbox.writeEnd, &byte, 1)
            }
        }
    }

    private let loop: EventLoop
    private var mailbox: Mailbox?
    private var watch: WatchID?
    private var completion: ((Result<[ResolvedAddress], TransportError>) -> Void)?

    /// Starts resolving `host`; `completion` runs on the loop's thread, unless cancelled first.
    init(loop: EventLoop, host: String, port: UInt16, lookup: @escaping Lookup = BackgroundResolution.systemLookup,
         completion: @escaping (Result<[ResolvedAddress], TransportError>) -> Void) {
        self.loop = loop
        self.completion = completion
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else {
            let reason = systemErrorMessage(errno)
            // Report on the loop's thread like any answer, never from inside the initialiser.
            loop.schedule(after: 0) { [weak self] in
                self?.deliver(.failure(.nameResolution(host: host, reason: "cannot start resolving: \(reason)")))
            }
            return
        }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        let mailbox = Mailbox(readEnd: ends[0], writeEnd: ends[1])
        self.mailbox = mailbox
        watch = loop.watch(mailbox.readEnd, for: .readable) { [unowned self] _ in self.answerArrived() }
        let job = Job(host: host, port: port, lookup: lookup, mailbox: mailbox)
        if let failure = Self.startThread(job) {
            // Out of threads: fail rather than resolve on the loop's thread without a bound.
            mailbox.state.withLock { $0 = .answered(.failure(.nameResolution(host: host, reason: "cannot start resolving: \(failure)"))) }
            var byte: UInt8 = 1
            _ = write(mailbox.writeEnd, &byte, 1)
        }
    }

    static let systemLookup: Lookup = { host, port in
        do throws(TransportError) {
            return .success(try AddressResolver.resolve(host: host, port: port))
        } catch {
            return .failure(error)
        }
    }

    /// Stops listening for the answer; the completion will not run.
    func cancel() {
        completion = nil
        stopWatching()
        guard let mailbox else { return }
        self.mailbox = nil
        let threadIsDone = mailbox.state.withLock { state -> Bool in
            if case .waiting = state {
                state = .abandoned
                return false
            }
            return true
        }
        if threadIsDone { mailbox.closePipe() }
    }

    private func answerArrived() {
        guard let mailbox else { return }
        let result = mailbox.state.withLock { state -> Result<[ResolvedAddress], TransportError>? in
            guard case let .answered(result) = state else { return nil }
            state = .taken
            return result
        }
        guard let result else { return }
        stopWatching()
        self.mailbox = nil
        mailbox.closePipe()
        deliver(result)
    }

    private func deliver(_ result: Result<[ResolvedAddress], TransportError>) {
        completion.take()?(result)
    }

    private func stopWatching() {
        if let watch { loop.unwatch(watch) }
        watch = nil
    }

    /// Starts a detached thread running `job`; the reason if none could be started.
    private static func startThread(_ job: Job) -> String? {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        let context = Unmanaged.passRetained(job).toOpaque()
        var thread = pthread_t()
        let rc = pthread_create(&thread, &attributes, { raw in
            guard let raw else { return nil }
            Unmanaged<Job>.fromOpaque(raw).takeRetainedValue().run()
            return nil
        }, context)
        if rc != 0 {
            Unmanaged<Job>.fromOpaque(context).release()
            return systemErrorMessage(rc)
        }
        return nil
    }

    deinit {
        cancel()
    }
}

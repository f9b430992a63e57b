import Glibc
import CSystemShims

/// Signals delivered as readable data instead of asynchronous handlers.
///
/// The signals are blocked for the process and read from a `signalfd`, so the poll loop
/// learns of Ctrl-C, termination and terminal resizes like any other input. That avoids
/// the global state a classic self-pipe needs (the handler must find the pipe somewhere).
public final class SignalChannel {
    public enum Signal: Sendable, Equatable {
        case interrupt, terminate, hangup, windowChanged, other(Int32)
    }

    public let fileDescriptor: Int32
    private var previousMask = sigset_t()

    public init(signals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGWINCH]) {
        var mask = sigset_t()
        sigemptyset(&mask)
        for signal in signals { sigaddset(&mask, signal) }
        sigprocmask(SIG_BLOCK, &mask, &previousMask)
        fileDescriptor = signalfd(-1, &mask, Int32(SFD_NONBLOCK | SFD_CLOEXEC))
    }

    /// The signals that arrived since the last call.
    public func drain() -> [Signal] {
        var result: [Signal] = []
        var info = signalfd_siginfo()
        let size = MemoryLayout<signalfd_siginfo>.size
        while read(fileDescriptor, &info, size) == size {
            switch Int32(info.ssi_signo) {
            case SIGINT: result.append(.interrupt)
            case SIGTERM: result.append(.terminate)
            case SIGHUP: result.append(.hangup)
            case SIGWINCH: result.append(.windowChanged)
            case let other: result.append(.other(other))
            }
        }
        return result
    }

    /// Unblocks the signals again, restoring their default effect.
    public func close() {
        sigprocmask(SIG_SETMASK, &previousMask, nil)
        Glibc.close(fileDescriptor)
    }
}

import Glibc
import CSystemShims

/// A program run as the other end of a WebSocket connection: `/bin/sh -c COMMAND`
/// with its stdin and stdout on pipes and its stderr shared with wsc.
///
/// Started with `posix_spawn` (a fork of a Swift process would copy its runtime state) in a
/// process group of its own, so a signal for the command reaches every process of a pipeline it
/// starts and never wsc itself; with an empty signal mask and default dispositions (wsc blocks
/// SIGINT and friends for its signalfd, and a blocked or ignored signal would be inherited).
/// wsc's ends of the pipes are non-blocking and close-on-exec, and the child gets no other
/// descriptor of wsc's. Its end is seen by poll through a pidfd, so no SIGCHLD handler is needed.
public final class CommandProcess {
    /// How the command ended.
    public enum Termination: Equatable, Sendable {
        case exited(Int32)
        case signalled(Int32)

        /// The status a shell would report: the exit code, or 128 + the signal number.
        public var shellStatus: Int32 {
            switch self {
            case let .exited(code): return code
            case let .signalled(signal): return 128 + signal
            }
        }
    }

    public enum WriteResult: Equatable {
        case wrote(Int)
        case wouldBlock
        /// The command closed its stdin (or exited): nothing more can be written.
        case closed
    }

    public enum ReadResult: Equatable {
        case bytes(Int)
        case wouldBlock
        case endOfStream
        case failed(Int32)
    }

    public let pid: pid_t
    /// wsc's end of the command's stdin (-1 once closed).
    public private(set) var standardInput: Int32
    /// wsc's end of the command's stdout (-1 once closed).
    public private(set) var standardOutput: Int32
    /// Readable when the command has exited; -1 where pidfds are not available (then
    /// `reap()` must be polled).
    public private(set) var exitDescriptor: Int32
    public private(set) var termination: Termination?

    /// Starts `/bin/sh -c command` with wsc's environment plus `environment`.
    public static func spawn(_ command: String, environment extra: [(String, String)] = []) throws(CommandError) -> CommandProcess {
        var input: [Int32] = [-1, -1]
        var output: [Int32] = [-1, -1]
        guard wsc_pipe_cloexec(&input) == 0 else { throw .spawnFailed(errno) }
        guard wsc_pipe_cloexec(&output) == 0 else {
            let saved = errno
            close(input[0]); close(input[1])
            throw .spawnFailed(saved)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // dup2 leaves the new descriptor without close-on-exec; every other one of wsc's is
        // closed in the child anyway (belt and braces: all of ours are close-on-exec already).
        posix_spawn_file_actions_adddup2(&actions, input[0], 0)
        posix_spawn_file_actions_adddup2(&actions, output[1], 1)
        wsc_spawn_close_from(&actions, 3)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setpgroup(&attributes, 0)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGWINCH, SIGCHLD, SIGUSR1, SIGUSR2] {
            sigaddset(&defaults, signal)
        }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        var environment: [String] = []
        let overridden = Set(extra.map(\.0))
        var entry = environ
        while let pointer = entry.pointee {
            let text = String(cString: pointer)
            let name = text.split(separator: "=", maxSplits: 1).first.map(String.init) ?? text
            if !overridden.contains(name) { environment.append(text) }
            entry += 1
        }
        environment += extra.map { $0.0 + "=" + $0.1 }

        let arguments = ["/bin/sh", "-c", command]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        var envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup($0) } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, "/bin/sh", &actions, &attributes, &argv, &envp)
        close(input[0])
        close(output[1])
        guard status == 0 else {
            close(input[1]); close(output[0])
            throw .spawnFailed(status)
        }
        for fd in [input[1], output[0]] {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        }
        return CommandProcess(pid: pid, standardInput: input[1], standardOutput: output[0],
                              exitDescriptor: wsc_pidfd_open(pid))
    }

    private init(pid: pid_t, standardInput: Int32, standardOutput: Int32, exitDescriptor: Int32) {
        self.pid = pid
        self.standardInput = standardInput
        self.standardOutput = standardOutput
        self.exitDescriptor = exitDescriptor
    }

    /// Writes to the command's stdin without blocking; SIGPIPE (the command is gone) becomes `.closed`.
    public func write(_ bytes: UnsafeRawBufferPointer) -> WriteResult {
        guard standardInput >= 0 else { return .closed }
        while true {
            let n = Self.writeWithoutSIGPIPE(standardInput, bytes)
            if n >= 0 { return .wrote(n) }
            switch errno {
            case EINTR: continue
            case EAGAIN: return .wouldBlock
            default: return .closed
            }
        }
    }

    /// `write(2)` with SIGPIPE blocked (the shim consumes one the write raised), so writing to a
    /// command that closed its stdin fails with EPIPE instead of killing wsc.
    private static func writeWithoutSIGPIPE(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int {
        var old = sigset_t()
        wsc_block_sigpipe(&old)
        defer { wsc_restore_sigpipe(&old) }
        return Glibc.write(fd, bytes.baseAddress, bytes.count)
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) -> ReadResult {
        guard standardOutput >= 0 else { return .endOfStream }
        while true {
            let n = Glibc.read(standardOutput, buffer.baseAddress, buffer.count)
            if n > 0 { return .bytes(n) }
            if n == 0 { return .endOfStream }
            switch errno {
            case EINTR: continue
            case EAGAIN: return .wouldBlock
            case let code: return .failed(code)
            }
        }
    }

    /// The command sees end of file on its stdin.
    public func closeStandardInput() {
        guard standardInput >= 0 else { return }
        close(standardInput)
        standardInput = -1
    }

    public func closeStandardOutput() {
        guard standardOutput >= 0 else { return }
        close(standardOutput)
        standardOutput = -1
    }

    /// Sends `signal` to the command's process group (the shell and what it started).
    public func signal(_ signal: Int32) {
        guard termination == nil else { return }
        // The group may already be gone while the shell is not yet reaped: ESRCH is fine.
        if kill(-pid, signal) != 0 { _ = kill(pid, signal) }
    }

    /// Collects the exit status if the command has ended (never blocks); the pidfd is closed then.
    @discardableResult
    public func reap() -> Termination? {
        if let termination { return termination }
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        guard result == pid else { return nil }
        let code = status & 0x7f
        termination = code == 0 ? .exited((status >> 8) & 0xff) : .signalled(code)
        if exitDescriptor >= 0 {
            close(exitDescriptor)
            exitDescriptor = -1
        }
        return termination
    }

    /// Closes wsc's descriptors. The process itself must have been reaped (or be reaped later):
    /// `deinit` does not wait for it.
    public func closeDescriptors() {
        closeStandardInput()
        closeStandardOutput()
        if exitDescriptor >= 0 {
            close(exitDescriptor)
            exitDescriptor = -1
        }
    }

    deinit {
        closeDescriptors()
    }
}

/// Why a command could not be started.
public enum CommandError: Error, Equatable, Sendable {
    case spawnFailed(Int32)
}

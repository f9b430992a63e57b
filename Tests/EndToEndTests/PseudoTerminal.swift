import Glibc

/// A child process running on a pseudo-terminal, for end-to-end tests of what `wsc` does on a
/// terminal: typing, Ctrl-C, resizing, and what it draws.
///
/// The child is a session leader with the terminal as its controlling terminal and its process
/// group in the foreground, as under a shell, so a Ctrl-C written here reaches it as SIGINT and a
/// resize as SIGWINCH. Every read has a deadline, and `deinit` kills and reaps a child that is
/// still running, so a test that goes wrong fails instead of hanging.
final class PseudoTerminal {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    enum Termination: Equatable {
        case exited(Int32)
        case signaled(Int32)
    }

    let processIdentifier: pid_t
    /// The terminal side the test reads and writes.
    private let controller: Int32
    /// Everything the child has written so far.
    private(set) var output: [UInt8] = []
    private var termination: Termination?

    /// The output decoded as UTF-8.
    var outputText: String { String(decoding: output, as: UTF8.self) }

    /// Starts `executable` on a new terminal of the given size.
    /// - Parameter environment: the child's whole environment; `TERM`, `LANG` and `PATH` get
    ///   defaults (`xterm`, `C.UTF-8`, `/usr/bin:/bin`) when missing.
    init(
        executable: String,
        arguments: [String] = [],
        environment: [String: String] = [:],
        columns: Int = 80,
        rows: Int = 24
    ) throws {
        var size = winsize(ws_row: UInt16(rows), ws_col: UInt16(columns), ws_xpixel: 0, ws_ypixel: 0)
        var controller: Int32 = -1
        var device: Int32 = -1
        guard openpty(&controller, &device, nil, nil, &size) == 0 else { throw Self.failure("openpty") }
        // The child opens the device by name (below); the test keeps only the controller.
        defer { close(device) }
        _ = fcntl(controller, F_SETFD, FD_CLOEXEC)
        _ = fcntl(device, F_SETFD, FD_CLOEXEC)
        var nameBuffer = [CChar](repeating: 0, count: 256)
        guard ttyname_r(device, &nameBuffer, nameBuffer.count) == 0 else {
            close(controller)
            throw Self.failure("ttyname_r")
        }

        var fullEnvironment = environment
        fullEnvironment["TERM"] = fullEnvironment["TERM"] ?? "xterm"
        fullEnvironment["LANG"] = fullEnvironment["LANG"] ?? "C.UTF-8"
        fullEnvironment["PATH"] = fullEnvironment["PATH"] ?? "/usr/bin:/bin"

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // After setsid (POSIX_SPAWN_SETSID runs before the file actions), opening the terminal
        // without O_NOCTTY makes it the controlling terminal of the child's session.
        posix_spawn_file_actions_addopen(&actions, 0, nameBuffer, O_RDWR, 0)
        posix_spawn_file_actions_adddup2(&actions, 0, 1)
        posix_spawn_file_actions_adddup2(&actions, 0, 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        // POSIX_SPAWN_SETSID (0x80, glibc 2.26) is a GNU extension Swift's Glibc module hides.
        let setSessionIdentifier: Int32 = 0x80
        posix_spawnattr_setflags(
            &attributes, Int16(setSessionIdentifier | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = fullEnvironment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var child: pid_t = 0
        let status = posix_spawn(&child, executable, &actions, &attributes, argv, envp)
        guard status == 0 else {
            close(controller)
            throw Failure(description: "cannot start \(executable): \(String(cString: strerror(status)))")
        }
        self.processIdentifier = child
        self.controller = controller
    }

    deinit {
        if termination == nil {
            kill(processIdentifier, SIGKILL)
            var status: Int32 = 0
            while waitpid(processIdentifier, &status, 0) < 0, errno == EINTR {}
        }
        close(controller)
    }

    // MARK: - Input

    /// Types `text`: "\r" is Enter, "\u{3}" Ctrl-C, "\u{4}" Ctrl-D, "\u{1B}[A" the up arrow.
    func write(_ text: String) throws {
        try write(bytes: Array(text.utf8))
    }

    func write(bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { Glibc.write(controller, $0.baseAddress, $0.count) }
            if count > 0 {
                offset += count
            } else if count < 0, errno != EINTR, errno != EAGAIN {
                throw Self.failure("write to the terminal")
            }
        }
    }

    /// Changes the terminal size; the kernel sends SIGWINCH to the foreground process group.
    func resize(columns: Int, rows: Int) {
        var size = winsize(ws_row: UInt16(rows), ws_col: UInt16(columns), ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(controller, UInt(TIOCSWINSZ), &size)
    }

    func send(signal: Int32) {
        kill(processIdentifier, signal)
    }

    // MARK: - Output

    /// Reads output until `condition` holds for everything read so far, or until `timeout`
    /// passes. Returns whether the condition held.
    @discardableResult
    func read(timeout: Duration = .seconds(10), until condition: (PseudoTerminal) -> Bool) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !condition(self) {
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero, readChunk(waitingAtMost: remaining) else { return condition(self) }
        }
        return true
    }

    /// Reads until the output contains `text`; throws with the output so far if it does not in time.
    func expect(_ text: String, timeout: Duration = .seconds(10)) throws {
        guard read(timeout: timeout, until: { $0.outputText.contains(text) }) else {
            throw Failure(description: "no \(text.debugDescription) within \(timeout); output: \(outputText.debugDescription)")
        }
    }

    /// Reads until no output has come for `quiet` (the child is waiting), at most `timeout`.
    func readUntilQuiet(quiet: Duration = .milliseconds(200), timeout: Duration = .seconds(10)) {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            guard readChunk(waitingAtMost: min(quiet, deadline - ContinuousClock.now)) else { return }
        }
    }

    /// Reads what arrives within `limit`; false when nothing did (or the child side is closed).
    private func readChunk(waitingAtMost limit: Duration) -> Bool {
        var readiness = pollfd(fd: controller, events: Int16(POLLIN), revents: 0)
        let milliseconds = max(0, Int32(clamping: limit.components.seconds * 1000
            + limit.components.attoseconds / 1_000_000_000_000_000))
        let ready = poll(&readiness, 1, milliseconds)
        guard ready > 0 else { return false }
        var chunk = [UInt8](repeating: 0, count: 8192)
        let count = chunk.withUnsafeMutableBytes { Glibc.read(controller, $0.baseAddress, $0.count) }
        guard count > 0 else { return false }  // EIO once every copy of the other side is closed
        output += chunk[0..<count]
        return true
    }

    /// Forgets the output read so far (to look only at what comes next).
    func clearOutput() {
        output = []
    }

    // MARK: - Exit

    /// Waits for the child to end, reading its output meanwhile.
    func waitForExit(timeout: Duration = .seconds(10)) throws -> Termination {
        if let termination { return termination }
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            var status: Int32 = 0
            let result = waitpid(processIdentifier, &status, WNOHANG)
            if result == processIdentifier {
                let signal = status & 0x7F
                let ended: Termination = signal == 0 ? .exited((status >> 8) & 0xFF) : .signaled(signal)
                termination = ended
                readUntilQuiet(quiet: .milliseconds(50), timeout: .milliseconds(500))
                return ended
            }
            if !readChunk(waitingAtMost: .milliseconds(20)) {
                _ = poll(nil, 0, 10)
            }
        }
        throw Failure(description: "process \(processIdentifier) still running after \(timeout); output: \(outputText.debugDescription)")
    }

    private static func failure(_ operation: String) -> Failure {
        Failure(description: "\(operation) failed: \(String(cString: strerror(errno)))")
    }
}

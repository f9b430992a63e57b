import Foundation

/// Process plumbing for the harness on POSIX calls only: pipes, `posix_spawn`, and waits that are
/// always bounded. Every descriptor the harness opens is close-on-exec, and each child gets
/// exactly stdin, stdout and stderr, so no child holds another child's pipe open.
enum ChildProcess {
    /// What became of a child that ran to completion (or was killed at its deadline).
    struct Outcome {
        /// The exit code, or 128 + the signal number if a signal ended the child.
        var status: Int32
        /// The signal that ended the child, if one did.
        var signal: Int32?
        var stdout: [UInt8]
        var stderr: [UInt8]
        /// Seconds from spawn to exit.
        var elapsed: Double
        /// The child outlived its deadline and was killed with SIGKILL.
        var timedOut: Bool
        /// The child's peak resident set size in KiB (`VmHWM`) as last sampled before it exited.
        var peakResidentKiB: Int?
    }

    /// A pipe whose two ends are close-on-exec and numbered 3 or above.
    struct Pipe {
        var readEnd: Int32
        var writeEnd: Int32
    }

    /// Writing to a pipe whose reader has exited must fail with EPIPE, not kill the test process.
    private static let ignoreSIGPIPE: Void = {
        _ = signal(SIGPIPE, SIG_IGN)
    }()

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+), looked up at run time because
    /// Swift does not see GNU extensions: it closes every descriptor from 3 up in the child, so a
    /// descriptor opened without close-on-exec elsewhere in the test process does not leak.
    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private static let addCloseFrom: AddCloseFrom? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else {
            return nil
        }
        return unsafeBitCast(symbol, to: AddCloseFrom.self)
    }()

    static func makePipe() throws -> Pipe {
        // pipe2 is not visible to Swift without _GNU_SOURCE; the harness spawns from one thread,
        // so setting close-on-exec right after pipe() leaves no window.
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else {
            throw HarnessError("pipe failed: \(errnoText())")
        }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        // If the test process runs with 0, 1 or 2 closed, a pipe could land there, and dup2 onto
        // the same number would keep close-on-exec set; move such ends up.
        return Pipe(readEnd: try aboveStandardDescriptors(ends[0]),
                    writeEnd: try aboveStandardDescriptors(ends[1]))
    }

    /// Opens (creating or truncating) a file for the child's output, close-on-exec.
    static func openForWriting(_ path: String) throws -> Int32 {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw HarnessError("cannot open \(path): \(errnoText())") }
        return try aboveStandardDescriptors(descriptor)
    }

    /// Starts `executable` (looked up in PATH when `searchPATH`) with the given descriptors as its
    /// stdin, stdout and stderr and the test process's environment plus `environment`. The
    /// signals the harness changes are reset to their defaults in the child.
    static func spawn(
        executable: String,
        arguments: [String],
        environment: [String: String] = [:],
        searchPATH: Bool = false,
        stdin: Int32,
        stdout: Int32,
        stderr: Int32
    ) throws -> pid_t {
        _ = ignoreSIGPIPE

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdin, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr, 2)
        if let addCloseFrom = addCloseFrom {
            _ = addCloseFrom(&actions, 3)
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signalNumber in [SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD] {
            sigaddset(&defaults, signalNumber)
        }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        var merged = ProcessInfo.processInfo.environment
        merged.merge(environment) { _, override in override }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }

        var pid: pid_t = 0
        let result = searchPATH
            ? posix_spawnp(&pid, executable, &actions, &attributes, argv, envp)
            : posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard result == 0 else {
            throw HarnessError("cannot start \(executable): \(String(cString: strerror(result)))")
        }
        return pid
    }

    /// Runs a child to completion: feeds it `stdin` (then closes it, unless `keepStdinOpen`: then
    /// it stays open until the child exits), collects stdout and stderr, sends `signal` to it
    /// after the given number of seconds if asked, and kills it with SIGKILL if it is still
    /// running after `timeout` seconds.
    static func run(
        executable: String,
        arguments: [String],
        environment: [String: String] = [:],
        searchPATH: Bool = false,
        stdin input: [UInt8],
        keepStdinOpen: Bool = false,
        signal scheduledSignal: (number: Int32, after: Double)? = nil,
        timeout: Double
    ) throws -> Outcome {
        let stdinPipe = try makePipe()
        let stdoutPipe = try makePipe()
        let stderrPipe: Pipe
        do {
            stderrPipe = try makePipe()
        } catch {
            [stdinPipe.readEnd, stdinPipe.writeEnd, stdoutPipe.readEnd, stdoutPipe.writeEnd].forEach { _ = close($0) }
            throw error
        }
        let started = ContinuousClock.now
        let pid: pid_t
        do {
            pid = try spawn(executable: executable, arguments: arguments, environment: environment,
                            searchPATH: searchPATH, stdin: stdinPipe.readEnd,
                            stdout: stdoutPipe.writeEnd, stderr: stderrPipe.writeEnd)
        } catch {
            [stdinPipe, stdoutPipe, stderrPipe].forEach { _ = close($0.readEnd); _ = close($0.writeEnd) }
            throw error
        }
        [stdinPipe.readEnd, stdoutPipe.writeEnd, stderrPipe.writeEnd].forEach { _ = close($0) }

        var stdinFD: Int32? = stdinPipe.writeEnd
        var stdoutFD: Int32? = stdoutPipe.readEnd
        var stderrFD: Int32? = stderrPipe.readEnd
        _ = fcntl(stdinPipe.writeEnd, F_SETFL, fcntl(stdinPipe.writeEnd, F_GETFL) | O_NONBLOCK)
        var written = 0
        var stdout: [UInt8] = []
        var stderr: [UInt8] = []
        var exitStatus: Int32?
        var peakResidentKiB: Int?
        var exitedAt: ContinuousClock.Instant?
        var timedOut = false
        let deadline = started + .seconds(timeout)
        var buffer = [UInt8](repeating: 0, count: 65536)

        func closeStdin() {
            if let descriptor = stdinFD { _ = close(descriptor) }
            stdinFD = nil
        }
        if input.isEmpty && !keepStdinOpen { closeStdin() }
        var signalSent = false

        while true {
            if exitStatus == nil {
                // Sampled while the child lives: its ru_maxrss would not do, as a child spawned
                // with vfork semantics inherits the harness's own peak at exec.
                if let peak = residentPeakKiB(pid) { peakResidentKiB = peak }
                var status: Int32 = 0
                if waitpid(pid, &status, WNOHANG) == pid {
                    exitStatus = status
                    exitedAt = .now
                }
            }
            // Done when the child has exited and both outputs reached end of file; a descendant
            // that keeps an output open gets one more second.
            if let exitedAt, (stdoutFD == nil && stderrFD == nil) || ContinuousClock.now > exitedAt + .seconds(1) {
                break
            }
            let now = ContinuousClock.now
            if exitStatus == nil && now >= deadline {
                timedOut = true
                break
            }
            if let scheduledSignal, !signalSent, exitStatus == nil, now >= started + .seconds(scheduledSignal.after) {
                _ = kill(pid, scheduledSignal.number)
                signalSent = true
            }

            var descriptors: [pollfd] = []
            if let descriptor = stdinFD, written < input.count {
                descriptors.append(pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0))
            }
            if let descriptor = stdoutFD { descriptors.append(pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)) }
            if let descriptor = stderrFD { descriptors.append(pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)) }
            let remaining = exitStatus == nil ? deadline - now : .milliseconds(20)
            let waitMilliseconds = Int32(max(1, min(remaining, .milliseconds(20)).milliseconds))
            let ready = descriptors.isEmpty
                ? poll(nil, 0, waitMilliseconds)
                : poll(&descriptors, nfds_t(descriptors.count), waitMilliseconds)
            if ready <= 0 { continue }

            for entry in descriptors where entry.revents != 0 {
                if entry.fd == stdinFD {
                    let count = input.withUnsafeBytes { bytes in
                        write(entry.fd, bytes.baseAddress! + written, min(bytes.count - written, 65536))
                    }
                    if count > 0 {
                        written += count
                        if written == input.count && !keepStdinOpen { closeStdin() }
                    } else if count < 0 && errno != EAGAIN && errno != EINTR {
                        closeStdin()  // EPIPE: the child no longer reads its stdin.
                    }
                } else {
                    let count = read(entry.fd, &buffer, buffer.count)
                    if count > 0 {
                        if entry.fd == stdoutFD { stdout += buffer[0..<count] } else { stderr += buffer[0..<count] }
                    } else if count == 0 || (errno != EAGAIN && errno != EINTR) {
                        _ = close(entry.fd)
                        if entry.fd == stdoutFD { stdoutFD = nil } else { stderrFD = nil }
                    }
                }
            }
        }

        if exitStatus == nil {
            _ = kill(pid, SIGKILL)
            exitStatus = waitForExit(pid, timeout: 10)
            exitedAt = .now
        }
        closeStdin()
        for descriptor in [stdoutFD, stderrFD].compactMap({ $0 }) {
            _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
            while true {
                let count = read(descriptor, &buffer, buffer.count)
                if count <= 0 { break }
                if descriptor == stdoutFD { stdout += buffer[0..<count] } else { stderr += buffer[0..<count] }
            }
            _ = close(descriptor)
        }

        let (status, signalNumber) = decode(exitStatus ?? (128 + SIGKILL) << 8)
        let elapsed = ((exitedAt ?? .now) - started).seconds
        return Outcome(status: status, signal: signalNumber, stdout: stdout, stderr: stderr,
                       elapsed: elapsed, timedOut: timedOut, peakResidentKiB: peakResidentKiB)
    }

    /// The peak resident set size of a running process in KiB (`VmHWM` in /proc/PID/status).
    static func residentPeakKiB(_ pid: pid_t) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return nil }
        return Int(line.dropFirst("VmHWM:".count).trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "")
    }

    /// Waits for `pid` to exit, polling every 10 ms for at most `timeout` seconds; returns the
    /// raw wait status, or nil if it is still running (or was already reaped).
    static func waitForExit(_ pid: pid_t, timeout: Double) -> Int32? {
        let deadline = ContinuousClock.now + .seconds(timeout)
        while true {
            var status: Int32 = 0
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid { return status }
            if result < 0 && errno != EINTR { return nil }
            if ContinuousClock.now >= deadline { return nil }
            usleep(10_000)
        }
    }

    /// Stops `pid`: SIGTERM, up to `grace` seconds for it to exit, then SIGKILL and up to 10 s more.
    @discardableResult
    static func terminate(_ pid: pid_t, grace: Double = 3) -> Int32? {
        _ = kill(pid, SIGTERM)
        if let status = waitForExit(pid, timeout: grace) { return status }
        _ = kill(pid, SIGKILL)
        return waitForExit(pid, timeout: 10)
    }

    /// (exit code or 128 + signal, signal) from a raw wait status.
    static func decode(_ status: Int32) -> (status: Int32, signal: Int32?) {
        let signalNumber = status & 0x7f
        if signalNumber == 0 { return ((status >> 8) & 0xff, nil) }
        return (128 + signalNumber, signalNumber)
    }

    static func errnoText() -> String {
        String(cString: strerror(errno))
    }

    private static func aboveStandardDescriptors(_ descriptor: Int32) throws -> Int32 {
        if descriptor > 2 { return descriptor }
        let moved = fcntl(descriptor, F_DUPFD_CLOEXEC, 3)
        let savedErrno = errno
        _ = close(descriptor)
        guard moved >= 0 else { throw HarnessError("fcntl F_DUPFD_CLOEXEC failed: \(String(cString: strerror(savedErrno)))") }
        return moved
    }
}

extension Duration {
    /// The duration in seconds, as a Double.
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }

    /// The duration in whole milliseconds, rounded up.
    var milliseconds: Int64 {
        let parts = components
        return parts.seconds * 1000 + (parts.attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
    }
}

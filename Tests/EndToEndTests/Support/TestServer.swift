import Foundation

/// One peer process: a python peer from `Tests/EndToEndTests/Servers` (started with the venv's
/// python), or another server (node, websocketd, nginx) for the interop tests.
///
/// A python peer prints its port as its first stdout line; `start` reads it within a deadline.
/// The harness holds the peer's stdin open, and peers exit at end of file there
/// (`WSC_TEST_SERVER_WATCH_STDIN=1`), so a peer never outlives a test process that crashed.
/// A server that cannot announce its port is given a free one and is ready once it accepts a
/// connection there. `stop()` terminates it by its pid and waits (bounded). The peer's stderr
/// goes to a log file.
final class TestServer {
    /// How the harness learns that a server is ready, and on which port.
    enum Readiness {
        /// It prints the port it bound as its first stdout line.
        case printsPort
        /// It was told to listen on this port, and is ready once a connection there succeeds.
        case accepts(port: UInt16)
    }

    /// What was started: the peer script, or the server's executable.
    let script: String
    let arguments: [String]
    let pid: pid_t
    /// The port the peer listens on (on 127.0.0.1).
    private(set) var port: UInt16 = 0
    let logPath: String
    private var stdinWriteEnd: Int32
    private var stdoutReadEnd: Int32
    private(set) var isStopped = false
    /// Its exit was already collected by the harness.
    private var hasExited = false

    /// `ws://127.0.0.1:PORT` (no trailing slash).
    var url: String { "ws://127.0.0.1:\(port)" }

    /// `wss://127.0.0.1:PORT`.
    var secureURL: String { "wss://127.0.0.1:\(port)" }

    /// What the peer wrote to stderr so far.
    var log: String {
        (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
    }

    /// Starts the python peer `script` with `arguments` and waits up to `timeout` seconds for
    /// its port line.
    static func start(
        _ script: String,
        _ arguments: [String],
        logDirectory: String,
        timeout: Double = 15
    ) throws -> TestServer {
        let python = PackagePaths.python
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw HarnessError("no python at \(python): run Scripts/test (it creates .venv), or set WSC_TEST_PYTHON")
        }
        let scriptPath = PackagePaths.servers + "/" + script
        guard FileManager.default.fileExists(atPath: scriptPath) else {
            throw HarnessError("no peer script \(scriptPath)")
        }
        return try launch(
            script, executable: python, arguments: [scriptPath] + arguments,
            environment: ["WSC_TEST_SERVER_WATCH_STDIN": "1", "PYTHONDONTWRITEBYTECODE": "1", "PYTHONUNBUFFERED": "1"],
            readiness: .printsPort, logDirectory: logDirectory, timeout: timeout)
    }

    /// Starts `executable` (a full path) with `arguments` and waits up to `timeout` seconds for
    /// it to be ready; `name` labels it in logs and errors.
    static func launch(
        _ name: String,
        executable: String,
        arguments: [String],
        environment: [String: String] = [:],
        readiness: Readiness,
        logDirectory: String,
        timeout: Double = 15
    ) throws -> TestServer {
        let logName = name.replacingOccurrences(of: "/", with: "_")
        let logPath = logDirectory + "/\(logName)-\(UUID().uuidString.prefix(8)).log"
        let stdinPipe = try ChildProcess.makePipe()
        let stdoutPipe = try ChildProcess.makePipe()
        let logDescriptor = try ChildProcess.openForWriting(logPath)
        let pid: pid_t
        do {
            pid = try ChildProcess.spawn(
                executable: executable, arguments: arguments, environment: environment,
                stdin: stdinPipe.readEnd, stdout: stdoutPipe.writeEnd, stderr: logDescriptor)
        } catch {
            [stdinPipe.readEnd, stdinPipe.writeEnd, stdoutPipe.readEnd, stdoutPipe.writeEnd, logDescriptor]
                .forEach { _ = close($0) }
            throw error
        }
        [stdinPipe.readEnd, stdoutPipe.writeEnd, logDescriptor].forEach { _ = close($0) }

        let server = TestServer(script: name, arguments: arguments, pid: pid, logPath: logPath,
                                stdinWriteEnd: stdinPipe.writeEnd, stdoutReadEnd: stdoutPipe.readEnd)
        do {
            switch readiness {
            case .printsPort:
                server.port = try server.readPortLine(timeout: timeout)
            case let .accepts(port):
                try server.waitUntilAccepting(port: port, timeout: timeout)
                server.port = port
            }
            return server
        } catch {
            server.stop()
            throw HarnessError("\(error)\n\(name) stderr:\n\(server.log)")
        }
    }

    private init(script: String, arguments: [String], pid: pid_t, logPath: String,
                 stdinWriteEnd: Int32, stdoutReadEnd: Int32) {
        self.script = script
        self.arguments = arguments
        self.pid = pid
        self.logPath = logPath
        self.stdinWriteEnd = stdinWriteEnd
        self.stdoutReadEnd = stdoutReadEnd
    }

    deinit {
        stop()
    }

    /// Terminates the peer by its pid (SIGTERM, then SIGKILL after 3 s) and waits for it; idempotent.
    func stop() {
        guard !isStopped else { return }
        isStopped = true
        if !hasExited { ChildProcess.terminate(pid) }
        for descriptor in [stdinWriteEnd, stdoutReadEnd] where descriptor >= 0 {
            _ = close(descriptor)
        }
        stdinWriteEnd = -1
        stdoutReadEnd = -1
    }

    /// Waits until a TCP connection to 127.0.0.1:`port` succeeds, failing early if the server
    /// exits (it could not bind the port, or its configuration is wrong).
    private func waitUntilAccepting(port: UInt16, timeout: Double) throws {
        let deadline = ContinuousClock.now + .seconds(timeout)
        while true {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                hasExited = true  // reaped: its pid may be reused, so it must not be signalled
                throw HarnessError("\(script) exited (status \(ChildProcess.decode(status).status)) before accepting connections on port \(port)")
            }
            if LoopbackPort.acceptsConnections(port) { return }
            if ContinuousClock.now >= deadline {
                throw HarnessError("\(script) accepted no connection on port \(port) within \(timeout) s")
            }
            usleep(20_000)
        }
    }

    private func readPortLine(timeout: Double) throws -> UInt16 {
        let deadline = ContinuousClock.now + .seconds(timeout)
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while true {
            let remaining = deadline - .now
            if remaining <= .zero {
                throw HarnessError("\(script) printed no port within \(timeout) s")
            }
            var entry = pollfd(fd: stdoutReadEnd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&entry, 1, Int32(max(1, min(remaining, .milliseconds(100)).milliseconds)))
            if ready <= 0 { continue }
            let count = read(stdoutReadEnd, &byte, 1)
            if count == 0 {
                throw HarnessError("\(script) exited before printing its port")
            }
            if count < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw HarnessError("reading the port of \(script): \(ChildProcess.errnoText())")
            }
            if byte == UInt8(ascii: "\n") { break }
            line.append(byte)
            if line.count > 16 { throw HarnessError("\(script) printed no port line") }
        }
        let text = String(decoding: line, as: UTF8.self)
        guard let port = UInt16(text), port != 0 else {
            throw HarnessError("\(script) printed \(text.debugDescription) instead of a port")
        }
        return port
    }
}

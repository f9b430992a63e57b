import Foundation

/// One python peer from `Tests/EndToEndTests/Servers`, started with the venv's python.
///
/// The peer prints its port as its first stdout line; `start` reads it within a deadline. The
/// harness holds the peer's stdin open, and peers exit at end of file there
/// (`WSC_TEST_SERVER_WATCH_STDIN=1`), so a peer never outlives a test process that crashed.
/// `stop()` terminates it by its pid and waits (bounded). The peer's stderr goes to a log file.
final class TestServer {
    let script: String
    let arguments: [String]
    let pid: pid_t
    /// The port the peer listens on (on 127.0.0.1).
    private(set) var port: UInt16 = 0
    let logPath: String
    private var stdinWriteEnd: Int32
    private var stdoutReadEnd: Int32
    private(set) var isStopped = false

    /// `ws://127.0.0.1:PORT` (no trailing slash).
    var url: String { "ws://127.0.0.1:\(port)" }

    /// `wss://127.0.0.1:PORT`.
    var secureURL: String { "wss://127.0.0.1:\(port)" }

    /// What the peer wrote to stderr so far.
    var log: String {
        (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
    }

    /// Starts `script` with `arguments` and waits up to `timeout` seconds for its port line.
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
        let logPath = logDirectory + "/\(script)-\(UUID().uuidString.prefix(8)).log"
        let stdinPipe = try ChildProcess.makePipe()
        let stdoutPipe = try ChildProcess.makePipe()
        let logDescriptor = try ChildProcess.openForWriting(logPath)
        let pid: pid_t
        do {
            pid = try ChildProcess.spawn(
                executable: python,
                arguments: [scriptPath] + arguments,
                environment: [
                    "WSC_TEST_SERVER_WATCH_STDIN": "1",
                    "PYTHONDONTWRITEBYTECODE": "1",
                    "PYTHONUNBUFFERED": "1",
                ],
                stdin: stdinPipe.readEnd, stdout: stdoutPipe.writeEnd, stderr: logDescriptor)
        } catch {
            [stdinPipe.readEnd, stdinPipe.writeEnd, stdoutPipe.readEnd, stdoutPipe.writeEnd, logDescriptor]
                .forEach { _ = close($0) }
            throw error
        }
        [stdinPipe.readEnd, stdoutPipe.writeEnd, logDescriptor].forEach { _ = close($0) }

        let server = TestServer(script: script, arguments: arguments, pid: pid, logPath: logPath,
                                stdinWriteEnd: stdinPipe.writeEnd, stdoutReadEnd: stdoutPipe.readEnd)
        do {
            server.port = try server.readPortLine(timeout: timeout)
            return server
        } catch {
            server.stop()
            throw HarnessError("\(error)\n\(script) stderr:\n\(server.log)")
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
        ChildProcess.terminate(pid)
        for descriptor in [stdinWriteEnd, stdoutReadEnd] where descriptor >= 0 {
            _ = close(descriptor)
        }
        stdinWriteEnd = -1
        stdoutReadEnd = -1
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

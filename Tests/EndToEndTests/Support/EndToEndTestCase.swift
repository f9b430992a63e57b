import Foundation
import XCTest

/// The base of the end-to-end tests: starts peers, runs wsc, and cleans up after every test
/// (every peer stopped by its pid, held sockets closed, the temporary folder removed). When a
/// test fails, the stderr of its peers is printed to help find out why.
class EndToEndTestCase: XCTestCase {
    private var servers: [TestServer] = []
    private var heldSockets: [Int32] = []
    private var scratchDirectory: String?

    override func tearDown() {
        let failed = (testRun?.totalFailureCount ?? 0) > 0
        for server in servers {
            server.stop()
            if failed {
                let log = server.log
                print("--- stderr of \(server.script) \(server.arguments.joined(separator: " ")) ---")
                print(log.isEmpty ? "(empty)" : log)
            }
        }
        servers.removeAll()
        heldSockets.forEach { _ = close($0) }
        heldSockets.removeAll()
        if let scratchDirectory {
            try? FileManager.default.removeItem(atPath: scratchDirectory)
        }
        scratchDirectory = nil
        super.tearDown()
    }

    /// A temporary folder for this test (the same one on every call), removed in tearDown.
    func temporaryDirectory() throws -> String {
        if let scratchDirectory { return scratchDirectory }
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("wsc-e2e-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        scratchDirectory = path
        return path
    }

    /// Starts a peer from `Tests/EndToEndTests/Servers`; it is stopped in tearDown.
    func startServer(_ script: String, _ arguments: String...) throws -> TestServer {
        let server = try TestServer.start(script, arguments, logDirectory: try temporaryDirectory())
        servers.append(server)
        return server
    }

    /// Starts a server that is not one of the python peers (see `TestServer.launch`); it is
    /// stopped in tearDown.
    func launchServer(
        _ name: String,
        executable: String,
        arguments: [String],
        environment: [String: String] = [:],
        readiness: TestServer.Readiness
    ) throws -> TestServer {
        let server = try TestServer.launch(name, executable: executable, arguments: arguments,
                                           environment: environment, readiness: readiness,
                                           logDirectory: try temporaryDirectory())
        servers.append(server)
        return server
    }

    /// Runs wsc; see `WscRun.run`.
    func wsc(
        _ arguments: String...,
        stdin: StandardInput = .empty,
        keepStdinOpen: Bool = false,
        interruptAfter: Double? = nil,
        timeout: Double = 20,
        file: StaticString = #filePath,
        line: UInt = #line
    ) throws -> WscRun {
        try WscRun.run(arguments, stdin: stdin, keepStdinOpen: keepStdinOpen, interruptAfter: interruptAfter,
                       timeout: timeout, file: file, line: line)
    }

    /// Runs wsc with arguments built as an array.
    func wsc(_ arguments: [String], timeout: Double = 20, file: StaticString = #filePath, line: UInt = #line) throws -> WscRun {
        try WscRun.run(arguments, stdin: .empty, keepStdinOpen: false, interruptAfter: nil,
                       timeout: timeout, file: file, line: line)
    }

    /// A port on 127.0.0.1 where nothing listens: a socket is bound to it (so no one else gets
    /// it) but never listens, so connecting is refused. Released in tearDown.
    func unusedPort() throws -> UInt16 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw HarnessError("socket: \(ChildProcess.errnoText())") }
        heldSockets.append(descriptor)
        return try LoopbackPort.bindAnyPort(descriptor)
    }

    /// A port on 127.0.0.1 where a connect hangs, as towards an unreachable address, without a
    /// packet leaving loopback: it listens with a backlog of 0 and its one queue place is taken
    /// by a connection made here, so Linux drops every further SYN. Released in tearDown.
    func blackHoledPort() throws -> UInt16 {
        let port = try unusedPort()
        guard let listener = heldSockets.last, listen(listener, 0) == 0 else {
            throw HarnessError("listen: \(ChildProcess.errnoText())")
        }
        let filler = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard filler >= 0 else { throw HarnessError("socket: \(ChildProcess.errnoText())") }
        heldSockets.append(filler)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(filler, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard connected else { throw HarnessError("connect to fill the queue: \(ChildProcess.errnoText())") }
        return port
    }

    /// A self-signed certificate in this test's temporary folder.
    func makeCertificate(
        commonName: String = "localhost",
        subjectAltName: String = "DNS:localhost,IP:127.0.0.1"
    ) throws -> TLSCertificate {
        try TLSCertificate.generate(commonName: commonName, subjectAltName: subjectAltName,
                                    in: try temporaryDirectory())
    }

    /// The contents of `path` once it exists (peers write their reports after the connection
    /// ends, which can be just after wsc exits), or nil after `timeout` seconds.
    func waitForFile(_ path: String, timeout: Double = 5) -> String? {
        let deadline = ContinuousClock.now + .seconds(timeout)
        while ContinuousClock.now < deadline {
            if let text = try? String(contentsOfFile: path, encoding: .utf8) { return text }
            usleep(20_000)
        }
        return try? String(contentsOfFile: path, encoding: .utf8)
    }

    /// A path for a peer's report in this test's temporary folder.
    func reportPath(_ name: String = "report.txt") throws -> String {
        try temporaryDirectory() + "/" + name
    }

    // MARK: - Assertions

    func assertExitStatus(_ run: WscRun, _ expected: Int32, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(run.exitStatus, expected, "unexpected exit status\n\(run.summary)", file: file, line: line)
    }

    /// Asserts stderr has a line `wsc: <cause>` (containing `text`, if given, ignoring case).
    func assertErrorLine(
        _ run: WscRun,
        containing text: String? = nil,
        file: StaticString = #filePath,
        line: UInt = #line
    ) {
        let matches = run.errorLines.filter { errorLine in
            text.map { errorLine.localizedCaseInsensitiveContains($0) } ?? true
        }
        let wanted = text.map { "a line \"wsc: …\" containing \($0.debugDescription)" } ?? "a line \"wsc: …\""
        XCTAssertFalse(matches.isEmpty, "stderr has no \(wanted)\n\(run.summary)", file: file, line: line)
    }

    func assertStdout(_ run: WscRun, _ expected: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(run.stdoutText, expected, "unexpected stdout\n\(run.summary)", file: file, line: line)
    }
}

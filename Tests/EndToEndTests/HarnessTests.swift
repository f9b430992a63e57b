import Foundation
import XCTest

/// Pins down the harness itself (processes, peers, ports, certificates), so that a failing
/// end-to-end test points at wsc and not at its scaffolding. None of these run wsc.
final class HarnessTests: EndToEndTestCase {
    func testPeerPrintsItsPortAndIsGoneAfterStop() throws {
        let server = try startServer("echo.py")
        XCTAssertGreaterThan(server.port, 0)
        XCTAssertEqual(try connectStatus(port: server.port), 0, "the peer should accept connections")
        server.stop()
        let result = kill(server.pid, 0)
        let code = errno
        XCTAssertEqual(result, -1, "the peer should have been reaped")
        XCTAssertEqual(code, ESRCH)
    }

    func testEveryPeerStarts() throws {
        let report = try reportPath()
        for (script, arguments) in [
            ("count.py", ["--report", report]), ("sendn.py", ["3"]),
            ("raw_http.py", ["403"]), ("request_info.py", []),
        ] {
            let server = try TestServer.start(script, arguments, logDirectory: try temporaryDirectory())
            XCTAssertEqual(try connectStatus(port: server.port), 0, script)
            server.stop()
        }
    }

    func testChildRunPassesStdinThroughAndCollectsStdout() throws {
        let input = (0..<1_000_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let outcome = try ChildProcess.run(executable: "/bin/cat", arguments: [], stdin: input, timeout: 20)
        XCTAssertEqual(outcome.status, 0)
        XCTAssertEqual(outcome.stdout.count, input.count)
        XCTAssertTrue(outcome.stdout == input)
        XCTAssertFalse(outcome.timedOut)
    }

    func testChildRunReportsExitStatusAndStderr() throws {
        let outcome = try ChildProcess.run(executable: "/bin/sh", arguments: ["-c", "echo out; echo err >&2; exit 7"],
                                           stdin: [], timeout: 20)
        XCTAssertEqual(outcome.status, 7)
        XCTAssertNil(outcome.signal)
        XCTAssertEqual(String(decoding: outcome.stdout, as: UTF8.self), "out\n")
        XCTAssertEqual(String(decoding: outcome.stderr, as: UTF8.self), "err\n")
    }

    func testChildRunKillsAChildThatOutlivesItsDeadline() throws {
        let outcome = try ChildProcess.run(executable: "/bin/sleep", arguments: ["30"], stdin: [], timeout: 0.5)
        XCTAssertTrue(outcome.timedOut)
        XCTAssertEqual(outcome.signal, SIGKILL)
        XCTAssertEqual(outcome.status, 128 + SIGKILL)
        XCTAssertLessThan(outcome.elapsed, 3)
    }

    func testChildRunCanKeepStdinOpenAndSendASignal() throws {
        // cat echoes the input at once, then blocks on the open stdin until SIGINT ends it.
        let outcome = try ChildProcess.run(executable: "/bin/cat", arguments: [], stdin: Array("a\n".utf8),
                                           keepStdinOpen: true, signal: (SIGINT, 0.5), timeout: 10)
        XCTAssertFalse(outcome.timedOut)
        XCTAssertEqual(outcome.signal, SIGINT)
        XCTAssertEqual(String(decoding: outcome.stdout, as: UTF8.self), "a\n")
        XCTAssertGreaterThanOrEqual(outcome.elapsed, 0.45)
        XCTAssertLessThan(outcome.elapsed, 3)
    }

    func testChildRunSurvivesAChildThatIgnoresItsStdin() throws {
        let input = [UInt8](repeating: 0x61, count: 4_000_000)
        let outcome = try ChildProcess.run(executable: "/bin/sh", arguments: ["-c", "exit 3"], stdin: input, timeout: 20)
        XCTAssertEqual(outcome.status, 3)
        XCTAssertFalse(outcome.timedOut)
    }

    func testChildGetsDefaultSIGPIPEAndNoExtraDescriptors() throws {
        // The harness ignores SIGPIPE itself; children must not inherit that. And apart from
        // 0, 1 and 2 (and the descriptor ls uses to read the folder), nothing is open.
        _ = try startServer("echo.py")
        let outcome = try ChildProcess.run(
            executable: "/bin/sh",
            arguments: ["-c", "grep '^SigIgn' /proc/self/status; ls /proc/self/fd | sort -n | tr '\\n' ' '"],
            stdin: [], timeout: 20)
        let lines = String(decoding: outcome.stdout, as: UTF8.self).split(separator: "\n")
        XCTAssertEqual(lines.count, 2, "\(lines)")
        let ignored = UInt64(lines.first?.split(separator: "\t").last ?? "", radix: 16) ?? .max
        XCTAssertEqual(ignored & (1 << (UInt64(SIGPIPE) - 1)), 0, "SIGPIPE is ignored in the child")
        let descriptors = lines.last?.split(separator: " ").compactMap { Int($0) } ?? []
        XCTAssertEqual(Array(descriptors.prefix(3)), [0, 1, 2])
        XCTAssertLessThanOrEqual(descriptors.count, 4, "descriptors leaked into the child: \(descriptors)")
    }

    func testUnusedPortRefusesConnections() throws {
        let port = try unusedPort()
        XCTAssertEqual(try connectStatus(port: port), ECONNREFUSED)
    }

    func testCertificateNamesLocalhostAndLoopback() throws {
        let certificate = try makeCertificate()
        let outcome = try ChildProcess.run(
            executable: "openssl",
            arguments: ["x509", "-noout", "-subject", "-ext", "subjectAltName", "-in", certificate.certificatePath],
            searchPATH: true, stdin: [], timeout: 20)
        let text = String(decoding: outcome.stdout, as: UTF8.self)
        XCTAssertEqual(outcome.status, 0)
        XCTAssertTrue(text.contains("CN = localhost"), text)
        XCTAssertTrue(text.contains("DNS:localhost, IP Address:127.0.0.1"), text)
        XCTAssertTrue(FileManager.default.fileExists(atPath: certificate.keyPath))
    }

    func testPeerReportAppearsAfterTheConnectionEnds() throws {
        // count.py through a raw TCP connection that closes without a close frame: the report
        // still appears, with close=1006.
        let report = try reportPath()
        let server = try startServer("count.py", "--report", report)
        let request = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        let descriptor = try connectedSocket(port: server.port)
        _ = request.withCString { write(descriptor, $0, strlen($0)) }
        var buffer = [UInt8](repeating: 0, count: 1024)
        _ = read(descriptor, &buffer, buffer.count)
        _ = close(descriptor)
        XCTAssertEqual(waitForFile(report), "count=0\nclose=1006\n")
    }

    // MARK: - Helpers

    /// 0 if a TCP connection to 127.0.0.1:port succeeds, else the errno.
    private func connectStatus(port: UInt16) throws -> Int32 {
        do {
            _ = close(try connectedSocket(port: port))
            return 0
        } catch let error as ConnectError {
            return error.code
        }
    }

    private struct ConnectError: Error {
        var code: Int32
    }

    private func connectedSocket(port: UInt16) throws -> Int32 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw HarnessError("socket: \(ChildProcess.errnoText())") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        let result = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if result != 0 {
            let code = errno
            _ = close(descriptor)
            throw ConnectError(code: code)
        }
        return descriptor
    }
}

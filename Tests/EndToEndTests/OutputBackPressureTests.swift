import Foundation
import XCTest

/// stdout never blocks the poll loop, and a failed write ends the session.
///
/// A flooding server (flood.py) against wsc whose stdout is a pipe nobody reads: SIGTERM ends
/// it promptly and its memory stays bounded (it stops reading the socket, so the server is
/// held back by TCP). A stdout that cannot be written (/dev/full, a pipe whose reader is gone
/// with SIGPIPE ignored, as systemd runs services) ends the session at the first failed write:
/// close 1001, `wsc: cannot write output: …`, exit 1.
final class OutputBackPressureTests: EndToEndTestCase {
    /// wsc started with the given stdout (stdin `stdinPath`, else /dev/null; stderr to a file);
    /// with `ignoringSIGPIPE`, through `sh` with SIGPIPE ignored, which exec passes on.
    private func spawnWsc(_ arguments: [String], stdout: Int32, stdinPath: String = "/dev/null",
                          ignoringSIGPIPE: Bool = false) throws -> (pid: pid_t, stderrPath: String) {
        let stderrPath = try temporaryDirectory() + "/wsc-stderr.txt"
        let stderrFD = try ChildProcess.openForWriting(stderrPath)
        defer { _ = close(stderrFD) }
        let stdinFD = open(stdinPath, O_RDONLY | O_CLOEXEC)
        defer { _ = close(stdinFD) }
        let pid: pid_t
        if ignoringSIGPIPE {
            pid = try ChildProcess.spawn(executable: "/bin/sh",
                                         arguments: ["-c", "trap '' PIPE; exec \"$0\" \"$@\"", PackagePaths.wscBinary] + arguments,
                                         stdin: stdinFD, stdout: stdout, stderr: stderrFD)
        } else {
            pid = try ChildProcess.spawn(executable: PackagePaths.wscBinary, arguments: arguments,
                                         stdin: stdinFD, stdout: stdout, stderr: stderrFD)
        }
        return (pid, stderrPath)
    }

    /// Peak resident set size (VmHWM) of a running process, in KiB.
    private func peakRSS(_ pid: pid_t) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return Int(line.split(separator: " ", omittingEmptySubsequences: true)[1])
        }
        return nil
    }

    func testSIGTERMEndsWscPromptlyWhileItsStdoutIsBlockedAndMemoryStaysBounded() throws {
        let report = try reportPath()
        let flood = try startServer("flood.py", "--report", report)
        let output = try ChildProcess.makePipe()   // its read end is never read: a paused pager
        defer { _ = close(output.readEnd) }
        let (pid, stderrPath) = try spawnWsc(["-w", "60", flood.url], stdout: output.writeEnd)
        _ = close(output.writeEnd)
        // Long enough for an unbounded reader to take hundreds of MiB from the flood.
        usleep(3_000_000)
        let peak = peakRSS(pid)
        XCTAssertEqual(kill(pid, SIGTERM), 0)
        guard let (status, elapsed) = waitForExit(pid, timeout: 5) else { return }
        let stderr = (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
        XCTAssertEqual(status, 130, stderr)
        XCTAssertLessThan(elapsed, 2, "SIGTERM should end wsc promptly, not wait for the reader")
        let peakKiB = try XCTUnwrap(peak)
        print("peak RSS with a blocked stdout under a flood: \(peakKiB) KiB")
        XCTAssertLessThan(peakKiB, 50 * 1024, "peak RSS \(peakKiB) KiB")
        let sent = waitForFile(report) ?? ""
        print("flood.py report: \(sent)")
        let bytes = sent.split(separator: "=").last.flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        XCTAssertLessThan(try XCTUnwrap(bytes, sent), 64 << 20, "back-pressure should hold the server back")
    }

    func testFullDiskEndsTheSessionAtTheFirstFailedWrite() throws {
        let report = try reportPath()
        let flood = try startServer("flood.py", "--report", report)
        let devFull = open("/dev/full", O_WRONLY | O_CLOEXEC)
        XCTAssertGreaterThanOrEqual(devFull, 0)
        let (pid, stderrPath) = try spawnWsc(["-w", "30", flood.url], stdout: devFull)
        _ = close(devFull)
        guard let (status, elapsed) = waitForExit(pid, timeout: 10) else { return }
        let stderr = (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
        XCTAssertEqual(status, 1, stderr)
        XCTAssertLessThan(elapsed, 5, stderr)
        XCTAssertTrue(stderr.contains("wsc: cannot write output: No space left on device"), stderr)
        let line = waitForFile(report) ?? ""
        XCTAssertTrue(line.hasPrefix("close=1001 "), "the server is told wsc is going away: \(line)")
    }

    func testClosedPipeWithSIGPIPEIgnoredEndsTheSession() throws {
        let report = try reportPath()
        let flood = try startServer("flood.py", "--report", report)
        let output = try ChildProcess.makePipe()
        _ = close(output.readEnd)   // the reader is gone before wsc writes
        let (pid, stderrPath) = try spawnWsc(["-w", "30", flood.url], stdout: output.writeEnd, ignoringSIGPIPE: true)
        _ = close(output.writeEnd)
        guard let (status, elapsed) = waitForExit(pid, timeout: 10) else { return }
        let stderr = (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
        XCTAssertEqual(status, 1, stderr)
        XCTAssertLessThan(elapsed, 5, stderr)
        XCTAssertTrue(stderr.contains("wsc: cannot write output: Broken pipe"), stderr)
        let line = waitForFile(report) ?? ""
        XCTAssertTrue(line.hasPrefix("close=1001 "), "the server is told wsc is going away: \(line)")
    }

    /// A reader that starts late: while stdout is full wsc is not reading, so the server's
    /// silence is wsc's own and must not end the session by the end-of-input rule (the server,
    /// held back by TCP, would lose the rest of its messages to the close).
    func testAReaderThatStartsLateStillGetsEveryMessage() throws {
        let flood = try startServer("flood.py", "--count", "3000", "--size", "4096")
        // More lines sent than messages come back: the rule's patient quiet period (0.5 s)
        // applies throughout, so a hiccup of the python server cannot end the session early.
        let input = try temporaryDirectory() + "/lines.txt"
        try (1...5000).map { "line \($0)\n" }.joined().write(toFile: input, atomically: true, encoding: .utf8)
        let output = try ChildProcess.makePipe()
        let (pid, stderrPath) = try spawnWsc(["-q", flood.url], stdout: output.writeEnd, stdinPath: input)
        _ = close(output.writeEnd)
        defer { _ = close(output.readEnd) }
        usleep(3_000_000)
        let readerStarted = ContinuousClock.now
        var received = 0
        var lines = 0
        var buffer = [UInt8](repeating: 0, count: 65536)
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            var pfd = pollfd(fd: output.readEnd, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, 1000) >= 0 else { break }
            if pfd.revents == 0 { continue }
            let count = read(output.readEnd, &buffer, buffer.count)
            if count <= 0 { break }
            received += count
            lines += buffer[0..<count].lazy.filter { $0 == 0x0A }.count
        }
        guard let (status, _) = waitForExit(pid, timeout: 10) else { return }
        let stderr = (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
        XCTAssertEqual(status, 0, stderr)
        XCTAssertEqual(lines, 3000, "messages lost: \(received) bytes received\n\(stderr)")
        // The pong of the rule's probe waited in the socket too: that wait is not a round trip
        // (counted as one, it stretched the quiet period to 4 x 3 s).
        XCTAssertLessThan((ContinuousClock.now - readerStarted).seconds, 5, "wsc lingered after the output was read")
    }
}

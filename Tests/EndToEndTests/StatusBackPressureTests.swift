import Foundation
import XCTest

/// stderr never blocks the poll loop either: status lines are diagnostics, so while nobody
/// reads stderr they are dropped (and counted) instead of holding up signals, timers and the
/// socket; the count is reported once stderr drains, and the exit line still comes out.
///
/// The load is `-P` against flood.py `--pings`: one `< ping …` line on stderr per message.
final class StatusBackPressureTests: EndToEndTestCase {
    /// wsc with stdout to /dev/null and stderr to `stderr`.
    private func spawnWsc(_ arguments: [String], stderr: Int32) throws -> pid_t {
        let devNull = open("/dev/null", O_RDWR | O_CLOEXEC)
        defer { _ = close(devNull) }
        return try ChildProcess.spawn(executable: PackagePaths.wscBinary, arguments: arguments,
                                      stdin: devNull, stdout: devNull, stderr: stderr)
    }

    func testSIGTERMEndsWscPromptlyWhileItsStderrIsBlocked() throws {
        let flood = try startServer("flood.py", "--size", "16", "--pings")
        let errors = try ChildProcess.makePipe()   // its read end is never read
        defer { _ = close(errors.readEnd) }
        let pid = try spawnWsc(["-P", "-w", "60", flood.url], stderr: errors.writeEnd)
        _ = close(errors.writeEnd)
        // Far more ping lines than a pipe holds.
        usleep(2_000_000)
        XCTAssertEqual(kill(pid, SIGTERM), 0)
        guard let (status, elapsed) = waitForExit(pid, timeout: 10) else { return }
        print("exit after SIGTERM with stderr blocked: \(elapsed) s")
        XCTAssertEqual(status, 130)
        XCTAssertLessThan(elapsed, 2, "SIGTERM should end wsc promptly, not wait for stderr's reader")
    }

    func testAStderrReaderThatStartsLateIsToldHowManyLinesWereDroppedAndGetsTheExitLine() throws {
        let flood = try startServer("flood.py", "--size", "16", "--pings")
        let errors = try ChildProcess.makePipe()
        defer { _ = close(errors.readEnd) }
        let pid = try spawnWsc(["-P", "-w", "60", flood.url], stderr: errors.writeEnd)
        _ = close(errors.writeEnd)
        usleep(2_000_000)
        // The reader starts: what waited is written, then the count of what was not kept.
        var buffer = [UInt8](repeating: 0, count: 65536)
        var early = [UInt8]()
        let until = ContinuousClock.now + .seconds(1)
        while ContinuousClock.now < until {
            let count = read(errors.readEnd, &buffer, buffer.count)
            if count <= 0 { break }
            early += buffer[0..<count]
        }
        XCTAssertEqual(kill(pid, SIGTERM), 0)
        let text = String(decoding: early, as: UTF8.self) + String(decoding: readArriving(on: errors.readEnd, for: 10), as: UTF8.self)
        guard let (status, _) = waitForExit(pid, timeout: 10) else { return }
        XCTAssertEqual(status, 130)
        let dropped = text.split(separator: "\n").filter { $0.contains("status lines dropped") }
        let notice = try XCTUnwrap(dropped.first, "no line counts the dropped lines:\n\(text.suffix(2000))")
        XCTAssertTrue(notice.hasPrefix("wsc: warning: "), String(notice))
        XCTAssertTrue(text.hasSuffix("wsc: interrupted\n"), "the exit line is missing:\n\(text.suffix(2000))")
    }
}


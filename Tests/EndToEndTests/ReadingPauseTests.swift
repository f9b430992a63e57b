import Foundation
import XCTest

/// Reading a connection is paused for each of several reasons at once, and resumes only when
/// the last is withdrawn.
///
/// `--exec` with `--jsonl`: every received message goes to the command's stdin and, as a
/// record, to stdout. A command that does not read and a stdout nobody reads yet both stop the
/// socket being read; stdout's reader then catching up must not resume reading while the
/// command still holds more than 1 MiB unread (else it is held in wsc's memory, without bound).
final class ReadingPauseTests: EndToEndTestCase {
    func testStdoutDrainingDoesNotResumeReadingWhileTheCommandIsNotReading() throws {
        // 600 KiB messages: the second one takes both stdout's and the command's backlog over
        // 1 MiB, so both pause reading in the same message.
        let flood = try startServer("flood.py", "--size", "614400")
        let output = try ChildProcess.makePipe()
        defer { _ = close(output.readEnd) }
        let devNull = open("/dev/null", O_RDWR | O_CLOEXEC)
        defer { _ = close(devNull) }
        let stderrPath = try temporaryDirectory() + "/wsc-stderr.txt"
        let stderrFD = try ChildProcess.openForWriting(stderrPath)
        defer { _ = close(stderrFD) }
        let pid = try ChildProcess.spawn(executable: PackagePaths.wscBinary,
                                         arguments: ["-q", "--jsonl", "--exec", "exec sleep 60", flood.url],
                                         stdin: devNull, stdout: output.writeEnd, stderr: stderrFD)
        _ = close(output.writeEnd)
        usleep(1_500_000)
        // stdout's reader catches up and keeps reading: only the records of what was read
        // before the command stopped reading may come.
        let records = readArriving(on: output.readEnd, for: 3).lazy.filter { $0 == 0x0A }.count
        let peak = ChildProcess.residentPeakKiB(pid)
        XCTAssertEqual(kill(pid, SIGTERM), 0)
        guard waitForExit(pid, timeout: 10) != nil else { return }
        let stderr = (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
        print("records read while the command did not read: \(records); peak RSS \(peak ?? -1) KiB")
        XCTAssertLessThan(records, 10, "reading resumed while the command was not reading\n\(stderr)")
        let peakKiB = try XCTUnwrap(peak)
        XCTAssertLessThan(peakKiB, 35 * 1024, "peak RSS \(peakKiB) KiB: messages kept for the command")
    }
}

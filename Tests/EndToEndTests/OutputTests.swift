import Foundation
import XCTest

/// What goes to stdout: text payloads plus "\n"; binary as one line of lowercase hex per message
/// on a non-terminal, or raw with -b. Status and errors go to stderr only; -q silences status.
final class OutputTests: EndToEndTestCase {
    func testBinaryMessagesArePrintedAsLowercaseHexLines() throws {
        let sender = try startServer("sendn.py", "2", "--binary")
        let run = try wsc("-x", "hi", "-w", "5", sender.url)
        assertExitStatus(run, 0)
        assertStdout(run, "6d73672031\n6d73672032\n")
    }

    func testBinaryFlagWritesBinaryMessagesRawWithoutSeparators() throws {
        let sender = try startServer("sendn.py", "2", "--binary")
        let run = try wsc("-b", "-x", "hi", "-w", "5", sender.url)
        assertExitStatus(run, 0)
        XCTAssertEqual(run.stdout, Array("msg 1msg 2".utf8), run.summary)
    }

    func testLargeTextMessageIsPrintedWhole() throws {
        let sender = try startServer("sendn.py", "1", "--size", "300000")
        let run = try wsc("-x", "hi", "-w", "5", sender.url)
        assertExitStatus(run, 0)
        let expected = "msg 1" + String(repeating: ".", count: 300_000 - 5) + "\n"
        XCTAssertEqual(run.stdout.count, expected.utf8.count, run.summary)
        XCTAssertTrue(run.stdoutText == expected, "stdout differs from the message plus a newline")
    }

    func testStdoutCarriesOnlyMessages() throws {
        let echo = try startServer("echo.py")
        let run = try wsc("-x", "hello", echo.url)
        assertExitStatus(run, 0)
        assertStdout(run, "hello\n")
    }

    func testErrorsGoToStderrAndNotStdout() throws {
        let sender = try startServer("sendn.py", "1", "--close-code", "1011", "--reason", "boom")
        let run = try wsc("-x", "hi", "-w", "5", sender.url)
        assertExitStatus(run, 8)
        assertStdout(run, "msg 1\n")
        assertErrorLine(run)
    }

    func testQuietLeavesStderrEmptyOnSuccess() throws {
        let echo = try startServer("echo.py")
        let run = try wsc("-q", "-x", "hello", echo.url)
        assertExitStatus(run, 0)
        assertStdout(run, "hello\n")
        XCTAssertEqual(run.stderr, "", "-q should silence every status line")
    }
}

import Foundation
import XCTest

/// One-shot mode (-x): send the messages in order, print what arrives until the server closes
/// or the wait ends (-w S: up to S seconds; without -w: the end-of-input rule, see EndOfInputTests),
/// then close with 1000 and exit.
final class OneShotTests: EndToEndTestCase {
    func testSendsTheMessageAndPrintsTheReply() throws {
        let echo = try startServer("echo.py")
        let run = try wsc("-x", "hello", echo.url)
        assertExitStatus(run, 0)
        assertStdout(run, "hello\n")
    }

    func testSendsSeveralMessagesInOrder() throws {
        let echo = try startServer("echo.py")
        let run = try wsc("-x", "a", "-x", "b", echo.url)
        assertExitStatus(run, 0)
        assertStdout(run, "a\nb\n")
    }

    func testIgnoresStandardInput() throws {
        let echo = try startServer("echo.py")
        let run = try wsc("-x", "hello", echo.url, stdin: "not sent\n")
        assertExitStatus(run, 0)
        assertStdout(run, "hello\n")
    }

    func testExitsAsSoonAsTheServerCloses() throws {
        let sender = try startServer("sendn.py", "3")
        let run = try wsc("-x", "hi", "-w", "5", sender.url)
        assertExitStatus(run, 0)
        assertStdout(run, "msg 1\nmsg 2\nmsg 3\n")
        XCTAssertLessThan(run.elapsed, 4, "wsc should exit when the server closes, not wait out -w 5")
    }

    func testWaitBoundsTheWholeWait() throws {
        let report = try reportPath()
        let sender = try startServer("sendn.py", "1", "--no-close", "--report", report)
        let run = try wsc("-x", "hi", "-w", "2", sender.url)
        assertExitStatus(run, 0)
        assertStdout(run, "msg 1\n")
        XCTAssertGreaterThanOrEqual(run.elapsed, 1.8, "wsc should wait out -w 2 while the server is silent")
        XCTAssertLessThan(run.elapsed, 6, run.summary)
        XCTAssertEqual(waitForFile(report), "close=1000\n", "wsc closes with 1000")
    }
}

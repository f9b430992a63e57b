import Foundation
import XCTest

/// SIGINT ends wsc with exit code 130 (handled: wsc exits with the code, it is not killed by
/// the signal), in any mode.
final class InterruptTests: EndToEndTestCase {
    func testInterruptDuringOneShotWaitExitsWith130() throws {
        let sender = try startServer("sendn.py", "1", "--no-close")
        let run = try wsc("-x", "hi", "-w", "30", sender.url, interruptAfter: 1.5)
        assertExitStatus(run, 130)
        XCTAssertNil(run.signal, "wsc should handle SIGINT and exit with 130, not die of it\n\(run.summary)")
        assertStdout(run, "msg 1\n")
        XCTAssertLessThan(run.elapsed, 6, run.summary)
    }

    func testInterruptInPipeModeWithOpenStdinExitsWith130() throws {
        // stdin stays open: the line is sent and its echo printed without waiting for end of
        // input, and SIGINT ends the session.
        let echo = try startServer("echo.py")
        let run = try wsc(echo.url, stdin: "a\n", keepStdinOpen: true, interruptAfter: 1.5)
        assertExitStatus(run, 130)
        XCTAssertNil(run.signal, "wsc should handle SIGINT and exit with 130, not die of it\n\(run.summary)")
        assertStdout(run, "a\n")
        XCTAssertLessThan(run.elapsed, 6, run.summary)
    }

    /// One rule for every client mode (the prompt's): a signal while our close is under way
    /// (here the peer never answers it) stops at once instead of waiting out --close-timeout.
    func testInterruptWhileWaitingForTheCloseReplyStopsAtOnce() throws {
        let peer = try startServer("flaky.py", "mute")
        let run = try wsc("-x", "hi", "-w", "0", peer.url, interruptAfter: 1)
        assertExitStatus(run, 130)
        XCTAssertNil(run.signal, run.summary)
        XCTAssertLessThan(run.elapsed, 3, "the close timeout is 5 s\n\(run.summary)")
    }
}

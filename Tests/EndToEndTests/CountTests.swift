import Foundation
import XCTest

/// `--count N` and `-1` (`--count 1`): wsc closes with 1000 and exits 0 as soon as N messages
/// have been received, whatever is still arriving or still to be sent, in one-shot and pipe mode.
final class CountTests: EndToEndTestCase {
    func testOneExitsAfterTheFirstReply() throws {
        let report = try reportPath()
        let echo = try startServer("handler_echo.py", "--report", report)
        let run = try wsc("-1", "-x", "a", "-x", "b", echo.url)
        assertExitStatus(run, 0)
        assertStdout(run, "a\n")
        XCTAssertEqual(waitForFile(report)?.hasSuffix("close=1000\n"), true, "wsc closes with 1000")
    }

    func testCountEndsASessionWithAServerThatKeepsPushing() throws {
        // A push every 0.1 s: without --count the stream never falls quiet.
        let pusher = try startServer("push.py", "--delay", "0.05", "--every", "0.1")
        let run = try wsc("-q", "--count", "3", "-x", "hi", pusher.url, timeout: 20)
        assertExitStatus(run, 0)
        assertStdout(run, "hi\npushed 1\npushed 2\n")
    }

    func testCountInPipeModeStopsReadingAnOpenStdin() throws {
        let echo = try startServer("echo.py")
        // stdin stays open (no end of file): only the count can end the session.
        let run = try wsc("-q", "--count", "2", echo.url, stdin: "one\ntwo\nthree\n", keepStdinOpen: true, timeout: 20)
        assertExitStatus(run, 0)
        assertStdout(run, "one\ntwo\n")
    }

    func testCountWithoutWaitWaitsForTheMessages() throws {
        // The first push comes 0.8 s after connecting, well after the end-of-input rule would
        // have closed: --count waits for it.
        let pusher = try startServer("push.py", "--delay", "0.8")
        let run = try wsc("-q", "--count", "2", "-x", "hi", pusher.url, timeout: 20)
        assertExitStatus(run, 0)
        assertStdout(run, "hi\npushed\n")
    }

    func testWaitStillBoundsACountNotReached() throws {
        let echo = try startServer("echo.py")
        let run = try wsc("-q", "--count", "5", "-w", "0.5", "-x", "only one", echo.url, timeout: 20)
        assertExitStatus(run, 0)
        assertStdout(run, "only one\n")
        XCTAssertLessThan(run.elapsed, 5, run.summary)
    }

    func testWithSocketIOTheEventsAreCounted() throws {
        // The Engine.IO and Socket.IO handshake messages are not events: only the echoed events count.
        let peer = try startServer("socketio_server.py")
        let run = try wsc("-q", "--socketio", "--count", "2", "http://127.0.0.1:\(peer.port)/",
                          stdin: "chat 1\nchat 2\nchat 3\n", keepStdinOpen: true, timeout: 20)
        assertExitStatus(run, 0)
        assertStdout(run, "chat 1\nchat 2\n")
    }

    func testBadCountsAreUsageErrors() throws {
        for arguments in [["--count", "0", "-x", "a", "ws://127.0.0.1:9/"], ["-1", "--count", "2", "ws://127.0.0.1:9/"],
                          ["--count", "2", "-l", "0"]] {
            let run = try WscRun.run(arguments, timeout: 10)
            assertExitStatus(run, 2)
        }
    }
}

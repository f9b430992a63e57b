import Foundation
import XCTest

/// The end-of-input rule (no -w): after its last message wsc sends a ping, and closes once the
/// pong is in and, with as many replies as messages, nothing has arrived for about a round trip
/// (2 ms at least); while replies are missing, or without a pong, only after 0.5 s of silence.
/// It is fast, and loses no reply of python-websockets' handler echo, which answers pings and
/// close frames before its handler has echoed.
final class EndOfInputTests: EndToEndTestCase {
    func testEveryReplyOfAHandlerEchoArrivesAndWscDoesNotWaitHalfASecond() throws {
        let echo = try startServer("handler_echo.py")
        var elapsed: [Double] = []
        for _ in 0..<5 {
            let run = try wsc("-q", echo.url, stdin: "a\nb\nc\n")
            assertExitStatus(run, 0)
            assertStdout(run, "a\nb\nc\n")
            elapsed.append(run.elapsed)
        }
        // The fastest of five, so that a moment of load on the machine does not fail the test.
        XCTAssertLessThan(elapsed.min() ?? 1, 0.4, "wsc waited as if for a fixed 0.5 s: \(elapsed)")
    }

    func testAThousandLinesToAHandlerEchoAreAllReplied() throws {
        let echo = try startServer("handler_echo.py")
        let input = (1...1000).map { "line \($0)\n" }.joined()
        for _ in 0..<3 {
            let run = try wsc("-q", echo.url, stdin: StandardInput(Array(input.utf8)), timeout: 60)
            assertExitStatus(run, 0)
            assertStdout(run, input)
        }
    }

    func testOneShotReplyFromAHandlerEchoArrives() throws {
        let report = try reportPath()
        let echo = try startServer("handler_echo.py", "--report", report)
        let run = try wsc("-q", "-x", "hello", echo.url)
        assertExitStatus(run, 0)
        assertStdout(run, "hello\n")
        XCTAssertEqual(waitForFile(report), "echoed=1\nclose=1000\n")
    }

    func testBehindAProxyThatAnswersPingsItselfEveryReplyArrives() throws {
        // The pong comes from the proxy at once; the server gets each message 0.1 s later and
        // takes 20 ms over each echo. Nothing about the pong says the replies are done.
        let echo = try startServer("handler_echo.py", "--delay", "0.02")
        let proxy = try startServer("pinging_proxy.py", String(echo.port), "--delay", "0.1")
        for _ in 0..<3 {
            let run = try wsc("-q", proxy.url, stdin: "a\nb\nc\n")
            assertExitStatus(run, 0)
            assertStdout(run, "a\nb\nc\n")
        }
        let oneShot = try wsc("-q", "-x", "hello", proxy.url)
        assertExitStatus(oneShot, 0)
        assertStdout(oneShot, "hello\n")
    }

    func testASlowApplicationStillGetsHalfASecondPerReply() throws {
        // Each echo 0.2 s after its message, long after the pong: the replies are missing, so
        // wsc is as patient as before.
        let echo = try startServer("handler_echo.py", "--delay", "0.2")
        let run = try wsc("-q", echo.url, stdin: "a\nb\nc\n")
        assertExitStatus(run, 0)
        assertStdout(run, "a\nb\nc\n")
    }

    func testAServerThatDoesNotAnswerPingsGetsHalfAQuietSecond() throws {
        let echo = try startServer("handler_echo.py", "--no-pong")
        let run = try wsc("-q", "-x", "hello", "-x", "again", echo.url)
        assertExitStatus(run, 0)
        assertStdout(run, "hello\nagain\n")
        XCTAssertGreaterThanOrEqual(run.elapsed, 0.45, "without a pong wsc should wait for 0.5 s of silence")
    }

    func testRepliesBeyondTheMessagesSentEndSoonAfterTheyStop() throws {
        // Two messages for one sent, then silence (no close): the exchange is complete.
        let report = try reportPath()
        let sender = try startServer("sendn.py", "2", "--no-close", "--report", report)
        let run = try wsc("-x", "hi", sender.url)
        assertExitStatus(run, 0)
        assertStdout(run, "msg 1\nmsg 2\n")
        XCTAssertLessThan(run.elapsed, 0.45, "wsc waited as if for a fixed 0.5 s")
        XCTAssertEqual(waitForFile(report), "close=1000\n", "wsc closes with 1000")
    }

    func testAFloodReceivedWithStdinAtEndArrivesWhole() throws {
        let sender = try startServer("sendn.py", "20000", "--no-close")
        let run = try wsc("-q", sender.url, stdin: .empty, timeout: 60)
        assertExitStatus(run, 0)
        XCTAssertEqual(run.stdoutText.split(separator: "\n").count, 20000)
        XCTAssertTrue(run.stdoutText.hasSuffix("msg 20000\n"))
    }

    func testAServerThatClosesEndsTheSessionAtOnce() throws {
        // One message for two sent, then the server closes: replies are missing, but there is
        // nothing left to wait for.
        let sender = try startServer("sendn.py", "1")
        var elapsed: [Double] = []
        for _ in 0..<3 {
            let run = try wsc("-q", "-x", "a", "-x", "b", sender.url)
            assertExitStatus(run, 0)
            assertStdout(run, "msg 1\n")
            elapsed.append(run.elapsed)
        }
        XCTAssertLessThan(elapsed.min() ?? 1, 0.4, "wsc waited after the server had closed: \(elapsed)")
    }

    func testTheProbesPongIsNeitherShownNorRecorded() throws {
        let echo = try startServer("echo.py")
        let run = try wsc("-P", "--jsonl", "-x", "hello", echo.url)
        assertExitStatus(run, 0)
        XCTAssertFalse(run.stdoutText.contains("\"pong\""), run.stdoutText)
        XCTAssertFalse(run.stderr.contains("pong"), run.stderr)
        XCTAssertTrue(run.stdoutText.contains("\"data\":\"hello\""), run.stdoutText)
    }

    func testWithoutAPongAndWithoutRepliesWscIsPatient() throws {
        // Nothing comes back at all (count.py only counts): no wait is cut short below 0.5 s.
        let report = try reportPath()
        let counter = try startServer("count.py", "--report", report)
        let run = try wsc("-q", counter.url, stdin: "a\nb\n")
        assertExitStatus(run, 0)
        XCTAssertGreaterThanOrEqual(run.elapsed, 0.45, "with replies missing wsc should wait for 0.5 s of silence")
    }
}

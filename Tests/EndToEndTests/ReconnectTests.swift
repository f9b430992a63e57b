import Foundation
import XCTest

/// -r/--reconnect, the heartbeat, and the bound on what a drop loses (README, "What is in flight").
final class ReconnectTests: EndToEndTestCase {
    func testEveryLineArrivesInOrderAcrossServerRestarts() throws {
        // What README promises: only frames already written to the socket can be lost, and a
        // server that reads what was on its way when it closed loses none of them. The peer
        // ends the connection after every 1000 messages (close 1012), still reading what
        // was already on its way; input keeps arriving meanwhile (20 batches over about 1 s), so
        // lines queue while wsc is disconnected and must be sent, in order, after each reconnect.
        let report = try reportPath()
        let peer = try startServer("flaky.py", "every", "1000", "--report", report)
        let producer = PackagePaths.root + "/Tests/EndToEndTests/Servers/slow_lines.py"
        let command = "\"$0\" \"$1\" 10000 20 0.05 | \"$2\" -r --reconnect-delay 0.05 --reconnect-max-delay 0.2 -w 0 \"$3\""
        let outcome = try ChildProcess.run(
            executable: "/bin/sh",
            arguments: ["-c", command, PackagePaths.python, producer, PackagePaths.wscBinary, peer.url],
            stdin: [], timeout: 90)
        let stderr = String(decoding: outcome.stderr, as: UTF8.self)
        XCTAssertEqual(outcome.status, 0, stderr)
        // The peer rewrites its report after every connection: wait for the last one.
        var summary = ""
        let deadline = Date().addingTimeInterval(10)
        repeat {
            summary = waitForFile(report) ?? ""
            if summary.hasPrefix("count=10000 ") { break }
            usleep(50_000)
        } while Date() < deadline
        XCTAssertTrue(summary.hasPrefix("count=10000 inorder=true connections="), "\(summary)\n\(stderr)")
        let connections = Int(summary.split(separator: "=").last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0
        XCTAssertGreaterThanOrEqual(connections, 3, "the peer closed after each 1000 messages\n\(stderr)")
        XCTAssertTrue(stderr.contains("reconnected to"), stderr)
    }

    /// The crossing the test above can hit by chance, made certain: the server closes with 1012
    /// right after the last line and is slow to hang up, so wsc reaches the end of its input
    /// while that connection is still ending; its own close then has nothing left to close.
    /// Everything was delivered and `-r` would have replaced the connection: the session ends
    /// as the user asked, exit 0, with the server's close on the status line.
    func testServerCloseJustBeforeTheEndOfInputEndsTheSessionCleanly() throws {
        let report = try reportPath()
        let peer = try startServer("flaky.py", "every", "1", "--report", report, "--linger", "0.8")
        let command = "(echo 1; sleep 0.3) | \"$0\" -r --reconnect-delay 0.05 -w 0 \"$1\""
        let outcome = try ChildProcess.run(executable: "/bin/sh", arguments: ["-c", command, PackagePaths.wscBinary, peer.url],
                                           stdin: [], timeout: 30)
        let stderr = String(decoding: outcome.stderr, as: UTF8.self)
        XCTAssertEqual(outcome.status, 0, stderr)
        XCTAssertTrue(stderr.contains("server closed the connection (1012 service restart \"restart\")"), stderr)
        XCTAssertFalse(stderr.contains("reconnect"), "nothing was left to send: no reconnect\n\(stderr)")
        XCTAssertEqual(waitForFile(report), "count=1 inorder=true connections=1\n", stderr)
    }

    func testServerStoppedAndRestartedOnTheSamePortIsReconnectedTo() throws {
        let peer = try startServer("flaky.py", "restart", "--down-after", "0.5", "--down-for", "2")
        let run = try wsc("-r", "--reconnect-delay", "0.2", "--reconnect-max-delay", "0.5", "-x", "hello",
                          "-w", "5", peer.url, timeout: 30)
        assertExitStatus(run, 0)
        assertStdout(run, "hello\nhello\n")   // -x is sent again on the new connection, and echoed
        XCTAssertTrue(run.stderr.contains("reconnecting in"), run.summary)
        XCTAssertTrue(run.stderr.contains("attempt 2"), "refused attempts while the server is down\n\(run.summary)")
        XCTAssertTrue(run.stderr.contains("reconnected to"), run.summary)
    }

    func testNoResendSendsThePreambleOnlyOnce() throws {
        let peer = try startServer("flaky.py", "restart", "--down-after", "0.5", "--down-for", "1")
        let run = try wsc("-r", "--no-resend", "--reconnect-delay", "0.2", "--reconnect-max-delay", "0.5",
                          "-x", "hello", "-w", "3", peer.url, timeout: 30)
        assertExitStatus(run, 0)
        assertStdout(run, "hello\n")
        XCTAssertTrue(run.stderr.contains("reconnected to"), run.summary)
    }

    func testPeerThatNeverAnswersPingsIsDetectedWithinIntervalPlusTimeout() throws {
        let peer = try startServer("flaky.py", "mute")
        let run = try wsc("--ping-interval", "0.5", "--ping-timeout", "0.5", peer.url,
                          stdin: .empty, keepStdinOpen: true, timeout: 15)
        assertExitStatus(run, 7)
        assertErrorLine(run, containing: "pong")
        XCTAssertLessThan(run.elapsed, 3, "0.5 s interval + 0.5 s timeout should end well before 3 s")
        XCTAssertGreaterThanOrEqual(run.elapsed, 0.9, run.summary)
    }

    /// A ping is outstanding when wsc sends its close: once the pong is overdue the peer is dead,
    /// so wsc reports the ping timeout (exit 7) then, without waiting out the close timeout.
    func testPingTimeoutDuringTheCloseHandshakeEndsAtOnceAsAPingTimeout() throws {
        let peer = try startServer("flaky.py", "mute")
        let run = try wsc("--ping-interval", "0.5", "--ping-timeout", "1", "--close-timeout", "5", "-x", "hi",
                          "-w", "0.8", peer.url, timeout: 15)
        assertExitStatus(run, 7)
        assertErrorLine(run, containing: "no pong within 1 s")
        XCTAssertLessThan(run.elapsed, 3.5, "the close timeout (5 s) must not be waited out\n\(run.summary)")
    }

    func testFatalRejectionIsNotRetried() throws {
        let peer = try startServer("raw_http.py", "403")
        let run = try wsc("-r", "--reconnect-delay", "0.05", "-x", "hi", peer.url, timeout: 15)
        assertExitStatus(run, 5)
        XCTAssertFalse(run.stderr.contains("reconnecting"), run.summary)
    }

    func testAttemptLimitGivesUpWithTheLastError() throws {
        let port = try unusedPort()
        let run = try wsc("-r", "--reconnect-delay", "0.05", "--reconnect-attempts", "2", "-x", "hi",
                          "ws://127.0.0.1:\(port)/", timeout: 15)
        assertExitStatus(run, 3)
        XCTAssertTrue(run.stderr.contains("attempt 2"), run.summary)
        XCTAssertTrue(run.stderr.contains("giving up after 2"), run.summary)
    }

    /// A server that closes cleanly every time: when the attempts run out, wsc has failed to keep
    /// the connection, so it exits 8 (closed), not 0.
    func testGivingUpAfterCleanClosesIsAFailure() throws {
        let sender = try startServer("sendn.py", "1")
        let run = try wsc("-r", "--reconnect-delay", "0.05", "--reconnect-attempts", "2", "-x", "hi", "-w", "10",
                          sender.url, timeout: 15)
        assertExitStatus(run, 8)
        XCTAssertTrue(run.stderr.contains("giving up after 2"), run.summary)
        assertErrorLine(run, containing: "gave up after 2 reconnect attempts")
        assertStdout(run, "msg 1\nmsg 1\nmsg 1\n")
    }
}

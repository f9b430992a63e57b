import Foundation
import XCTest

/// `--exec CMD` in client mode: the command's stdout lines are sent, received messages are its
/// stdin lines; wsc closes with 1000 when it exits and exits with its status; when the
/// connection ends first the command's stdin is closed.
final class ExecTests: EndToEndTestCase {
    private func path(_ name: String) throws -> String { try temporaryDirectory() + "/" + name }

    private func contents(_ path: String) -> String {
        (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }

    func testLinesRoundTripThroughAnEchoServerAndWscExitsWithTheCommandsStatus() throws {
        let echo = try startServer("echo.py")
        let out = try path("out.txt")
        let run = try wsc("-q", "--exec", "echo one; echo two; read a; read b; echo \"$a $b\" > '\(out)'; exit 3", echo.url)
        assertExitStatus(run, 3)
        XCTAssertEqual(contents(out), "one two\n", run.summary)
        assertErrorLine(run, containing: "--exec command exited with status 3")
        assertStdout(run, "")
    }

    func testCommandThatSucceedsClosesWith1000AndExitsZero() throws {
        let report = try reportPath()
        let counter = try startServer("count.py", "--report", report)
        let run = try wsc("-q", "--exec", "printf '1\\n2\\n3\\n'", counter.url)
        assertExitStatus(run, 0)
        XCTAssertEqual(waitForFile(report), "count=3\nclose=1000\n", run.summary)
    }

    func testConnectionEndClosesTheCommandsInput() throws {
        let sender = try startServer("sendn.py", "2")
        let out = try path("received.txt")
        let run = try wsc("-q", "--exec", "cat > '\(out)'", sender.url)
        assertExitStatus(run, 0)
        XCTAssertEqual(contents(out), "msg 1\nmsg 2\n", run.summary)
    }

    func testBinaryLinesAndMessagesWithB() throws {
        let echo = try startServer("echo.py")
        let out = try path("bytes.bin")
        let run = try wsc("-q", "-b", "--exec", "printf 'a\\377\\n'; head -c 3 > '\(out)'", echo.url)
        assertExitStatus(run, 0)
        XCTAssertEqual(FileManager.default.contents(atPath: out).map { Array($0) }, [0x61, 0xFF, 0x0A], run.summary)
    }

    func testOutputThatIsNotUTF8WithoutBIsInvalidInputAndTheCommandIsStopped() throws {
        let echo = try startServer("echo.py")
        let run = try wsc("--close-timeout", "1", "--exec", "printf 'ok\\n\\377\\n'; exec sleep 30", echo.url, timeout: 15)
        assertExitStatus(run, 9)
        assertErrorLine(run, containing: "--exec output line 2 is not valid UTF-8")
        XCTAssertLessThan(run.elapsed, 8, "the command must be terminated after the grace period\n\(run.summary)")
    }

    /// The command closes its stdin and goes on running while messages keep arriving: writing
    /// to it then fails with EPIPE, which must not kill wsc with SIGPIPE.
    func testCommandThatStopsReadingDoesNotKillWsc() throws {
        let sender = try startServer("sendn.py", "5000", "--size", "200", "--no-close")
        let out = try path("first.txt")
        let run = try wsc("-q", "--exec", "head -n 1 > '\(out)'; exec 0<&-; exec sleep 1", sender.url)
        XCTAssertNil(run.signal, run.summary)
        assertExitStatus(run, 0)
        XCTAssertEqual(contents(out), "msg 1" + String(repeating: ".", count: 195) + "\n", run.summary)
    }

    /// Ctrl-C reaches the command too, though it runs in a process group of its own.
    func testInterruptReachesTheCommand() throws {
        let echo = try startServer("echo.py")
        let out = try path("signal.txt")
        let command = "trap 'echo interrupted > \"\(out)\"; exit 0' INT; echo ready; while :; do sleep 0.1; done"
        let run = try wsc("-q", "--exec", command, echo.url, interruptAfter: 1.5)
        assertExitStatus(run, 130)
        XCTAssertEqual(contents(out), "interrupted\n", run.summary)
    }

    func testCommandGetsOnlyItsThreeStandardDescriptors() throws {
        let echo = try startServer("echo.py")
        let out = try path("fds.txt")
        // `exec` makes the redirection permanent (no saved copy of stdout, as sh keeps for a
        // redirected last command) and ls lists its own descriptors: 0, 1, 2 and 3, the
        // directory it is reading. Any descriptor of wsc's would show up as one more.
        let run = try wsc("-q", "--exec", "exec ls /proc/self/fd > '\(out)'", echo.url)
        assertExitStatus(run, 0)
        XCTAssertEqual(contents(out), "0\n1\n2\n3\n", run.summary)
    }

    /// 200 runs with a command that exits at once, before reading anything: none leaves a
    /// process behind.
    func testTwoHundredRunsWithACommandThatExitsEarlyLeaveNoProcess() throws {
        let echo = try startServer("echo.py")
        let pids = try path("pids.txt")
        for index in 0..<200 {
            let run = try wsc("-q", "--exec", "echo $$ >> '\(pids)'; echo \(index); exit \(index % 3)", echo.url)
            XCTAssertEqual(run.exitStatus, Int32(index % 3), run.summary)
            if run.exitStatus != Int32(index % 3) { break }
        }
        let started = contents(pids).split(separator: "\n").compactMap { Int32($0) }
        XCTAssertEqual(started.count, 200)
        let alive = started.filter { kill($0, 0) == 0 }
        XCTAssertEqual(alive, [], "commands still running after wsc exited")
    }

    func testExecIsRefusedWithExecuteAndEcho() throws {
        for conflicting in [["-x", "hi"], ["--echo"]] {
            let run = try wsc(["--exec", "cat"] + conflicting + ["ws://127.0.0.1:9/"])
            assertExitStatus(run, 2)
            assertErrorLine(run, containing: "--exec")
        }
    }
}

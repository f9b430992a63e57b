import Foundation
import XCTest

/// Connecting never holds wsc beyond --connect-timeout, and Ctrl-C works while it connects:
/// names are resolved off the poll loop, and addresses are tried with Happy Eyeballs (the
/// schedule is unit-tested in the core, the overlapping attempts in TCPConnectorTests). The
/// unreachable address is a loopback port whose full accept queue drops SYNs.
final class ConnectDeadlineTests: EndToEndTestCase {
    func testConnectTimeoutIsHonouredAgainstAnAddressThatNeverAnswers() throws {
        let port = try blackHoledPort()
        let run = try wsc("--connect-timeout", "1", "-x", "hi", "ws://127.0.0.1:\(port)/", timeout: 10)
        assertExitStatus(run, 7)
        assertErrorLine(run)
        XCTAssertGreaterThan(run.elapsed, 0.9, run.summary)
        XCTAssertLessThan(run.elapsed, 2.5, "--connect-timeout 1 should give up after about 1 s\n\(run.summary)")
    }

    func testCtrlCEndsAConnectThatHangs() throws {
        let port = try blackHoledPort()
        let run = try wsc("--connect-timeout", "30", "-x", "hi", "ws://127.0.0.1:\(port)/", interruptAfter: 0.5,
                          timeout: 10)
        assertExitStatus(run, 130)
        XCTAssertLessThan(run.elapsed, 3, run.summary)
    }

    func testAHostNameIsResolvedAndConnected() throws {
        // "localhost" goes through the resolver thread (a literal address does not).
        let echo = try startServer("echo.py")
        let run = try wsc("-x", "by name", "ws://localhost:\(echo.port)/", timeout: 10)
        assertExitStatus(run, 0)
        assertStdout(run, "by name\n")
    }
}

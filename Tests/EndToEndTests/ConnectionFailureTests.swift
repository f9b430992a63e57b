import Foundation
import XCTest

/// Exit 3 (connection failure) and exit 7 (connect/handshake timeout).
final class ConnectionFailureTests: EndToEndTestCase {
    func testRefusedConnectionExitsWith3() throws {
        let port = try unusedPort()
        let run = try wsc("-x", "hi", "ws://127.0.0.1:\(port)")
        assertExitStatus(run, 3)
        XCTAssertTrue(run.stderr.hasPrefix("wsc: "), "stderr should start with \"wsc: \"\n\(run.summary)")
        assertStdout(run, "")
    }

    func testRefusedConnectionInPipeModeExitsWith3() throws {
        let port = try unusedPort()
        let run = try wsc("ws://127.0.0.1:\(port)", stdin: "a\n")
        assertExitStatus(run, 3)
        assertErrorLine(run)
    }

    func testConnectTimeoutCoversAnUnansweredHandshake() throws {
        // The server accepts the TCP connection and never answers the opening handshake.
        let silent = try startServer("raw_http.py", "silent")
        let run = try wsc("--connect-timeout", "1", "-x", "hi", silent.url)
        assertExitStatus(run, 7)
        assertErrorLine(run)
        XCTAssertLessThan(run.elapsed, 3, "--connect-timeout 1 should give up after about 1 s")
    }
}

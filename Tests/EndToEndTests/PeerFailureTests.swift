import Foundation
import XCTest

/// How the end of a connection maps to exit codes: 0 for a close with 1000, 1001 or no code
/// (1005); 8 for a connection lost without a close frame or closed with another code; 6 for a
/// protocol violation by the peer.
final class PeerFailureTests: EndToEndTestCase {
    func testConnectionLostWithoutCloseFrameExitsWith8() throws {
        let server = try startServer("raw_http.py", "drop")
        let run = try wsc("-x", "hello", "-w", "5", server.url)
        assertExitStatus(run, 8)
        // Worded as the server's doing: servers such as websocketd end every session this way.
        assertErrorLine(run, containing: "server closed the connection without sending a close frame")
        XCTAssertLessThan(run.elapsed, 4, "the lost connection should end wsc at once")
    }

    func testMaskedFrameFromServerIsAProtocolViolation() throws {
        let server = try startServer("raw_http.py", "masked")
        let run = try wsc("-x", "hello", "-w", "5", server.url)
        assertExitStatus(run, 6)
        assertErrorLine(run)
        assertStdout(run, "")
    }

    func testServerClosingWithAnErrorCodeExitsWith8() throws {
        let sender = try startServer("sendn.py", "1", "--close-code", "1011", "--reason", "boom")
        let run = try wsc("-x", "hi", "-w", "5", sender.url)
        assertExitStatus(run, 8)
        assertErrorLine(run, containing: "1011")
        assertStdout(run, "msg 1\n")
    }

    func testServerGoingAwayIsAClean1001Close() throws {
        let sender = try startServer("sendn.py", "1", "--close-code", "1001")
        let run = try wsc("-x", "hi", "-w", "5", sender.url)
        assertExitStatus(run, 0)
        assertStdout(run, "msg 1\n")
    }

    func testServerCloseWithoutStatusCodeIsClean() throws {
        let sender = try startServer("sendn.py", "1", "--close-code", "none")
        let run = try wsc("-x", "hi", "-w", "5", sender.url)
        assertExitStatus(run, 0)
        assertStdout(run, "msg 1\n")
    }
}

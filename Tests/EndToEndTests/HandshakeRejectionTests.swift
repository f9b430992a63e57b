import Foundation
import XCTest

/// Exit 5: the server's answer to the opening handshake is not an acceptable 101 (wrong
/// Sec-WebSocket-Accept, an error status, a redirect not followed, too many redirects).
final class HandshakeRejectionTests: EndToEndTestCase {
    func testWrongAcceptValueIsRejected() throws {
        let server = try startServer("raw_http.py", "bad-accept")
        let run = try wsc("-x", "hi", server.url)
        assertExitStatus(run, 5)
        assertErrorLine(run, containing: "Sec-WebSocket-Accept")
    }

    func testForbiddenStatusIsRejectedAndQuoted() throws {
        let server = try startServer("raw_http.py", "403")
        let run = try wsc("-x", "hi", server.url)
        assertExitStatus(run, 5)
        assertErrorLine(run, containing: "403 Forbidden")
        assertStdout(run, "")
    }

    func testRedirectIsNotFollowedWithoutL() throws {
        let echo = try startServer("echo.py")
        let redirect = try startServer("raw_http.py", "redirect", String(echo.port))
        let run = try wsc("-x", "hi", redirect.url)
        assertExitStatus(run, 5)
        XCTAssertTrue(run.stderr.contains("ws://127.0.0.1:\(echo.port)/"),
                      "stderr should name the Location\n\(run.summary)")
    }

    func testRedirectIsFollowedWithL() throws {
        let echo = try startServer("echo.py")
        let redirect = try startServer("raw_http.py", "redirect", String(echo.port))
        let run = try wsc("-L", "-x", "hello", redirect.url)
        assertExitStatus(run, 0)
        assertStdout(run, "hello\n")
    }

    func testRedirectLoopStopsAtMaxRedirects() throws {
        let loop = try startServer("raw_http.py", "redirect", "self")
        let run = try wsc("-L", "--max-redirects", "3", "-x", "hi", loop.url)
        assertExitStatus(run, 5)
        assertErrorLine(run, containing: "redirect")
    }

    func testOfferedSubprotocolIsAccepted() throws {
        let echo = try startServer("echo.py", "--subprotocol", "chat")
        let run = try wsc("-s", "chat", "-x", "hello", echo.url)
        assertExitStatus(run, 0)
        assertStdout(run, "hello\n")
    }

    func testServerRequiringASubprotocolRejectsAClientWithoutOne() throws {
        // The server answers 400 Bad Request when no subprotocol is offered.
        let echo = try startServer("echo.py", "--subprotocol", "chat")
        let run = try wsc("-x", "hello", echo.url)
        assertExitStatus(run, 5)
        assertErrorLine(run, containing: "400")
    }
}

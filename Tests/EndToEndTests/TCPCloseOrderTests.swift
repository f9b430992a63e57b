import XCTest

/// RFC 6455 7.1.1 end to end: after the close handshake the client leaves closing TCP to the
/// server, and closes it itself only when the server does not (after a second).
final class TCPCloseOrderTests: EndToEndTestCase {
    func testClientClosesTCPItselfWhenTheServerHoldsItOpenAfterTheCloseHandshake() throws {
        let server = try startServer("raw_http.py", "linger")
        let run = try wsc("-x", "hello", "-w", "5", server.url)
        assertExitStatus(run, 0)
        XCTAssertGreaterThan(run.elapsed, 0.9, "the client waits for the server to close TCP\n\(run.summary)")
        XCTAssertLessThan(run.elapsed, 4, "and closes it itself after about a second\n\(run.summary)")
    }

    func testClientEndsAsSoonAsTheServerClosesTCP() throws {
        let sender = try startServer("sendn.py", "1", "--close-code", "1000")
        let run = try wsc("-x", "hi", "-w", "5", sender.url)
        assertExitStatus(run, 0)
        assertStdout(run, "msg 1\n")
        XCTAssertLessThan(run.elapsed, 0.9, "the server closed TCP: nothing to wait for\n\(run.summary)")
    }
}

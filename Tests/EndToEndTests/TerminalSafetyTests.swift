import Foundation
import XCTest

/// Text a server controls and wsc prints on stderr (a close reason, a Socket.IO CONNECT_ERROR
/// message, the Engine.IO and namespace session ids) never reaches the terminal raw: escape
/// sequences such as OSC 52 (clipboard), a window title or clear-screen are shown as visible
/// stand-ins.
final class TerminalSafetyTests: EndToEndTestCase {
    /// OSC 52 (set the clipboard), OSC 0 (window title), CSI 2J (clear the screen).
    private let hostile = "\u{1B}]52;c;cHduZWQ=\u{07}\u{1B}]0;pwned\u{07}\u{1B}[2J"

    private func assertNoRawControls(_ run: WscRun, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(run.stderr.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{07}" || $0 == "\r" },
                       "raw control characters on stderr\n\(run.summary)", file: file, line: line)
    }

    func testCloseReasonWithEscapesIsNeutralised() throws {
        let peer = try startServer("sendn.py", "0", "--close-code", "4000", "--reason", hostile)
        let run = try wsc("-w", "5", "-x", "hi", peer.url)
        assertExitStatus(run, 8)
        assertErrorLine(run, containing: "␛]52;c;cHduZWQ=␇␛]0;pwned␇␛[2J")
        assertNoRawControls(run)

        let clean = try startServer("sendn.py", "0", "--close-code", "1000", "--reason", hostile)
        let status = try wsc("-w", "5", "-x", "hi", clean.url)
        assertExitStatus(status, 0)
        XCTAssertTrue(status.stderr.contains("␛[2J"), status.summary)
        assertNoRawControls(status)
    }

    func testSocketIOSessionIdsAndCloseReasonAreNeutralised() throws {
        let peer = try startServer("socketio_fake.py", "hostile")
        let run = try wsc("--socketio", "-w", "5", peer.url)
        XCTAssertTrue(run.stderr.contains("␛]0;pwned␇␛[2J␍eio"), "Engine.IO sid shown\n\(run.summary)")
        XCTAssertTrue(run.stderr.contains("␍ns"), "namespace sid shown\n\(run.summary)")
        XCTAssertTrue(run.stderr.contains("␍bye"), "close reason shown\n\(run.summary)")
        assertNoRawControls(run)
    }

    func testSocketIOConnectErrorMessageIsNeutralised() throws {
        let peer = try startServer("socketio_fake.py", "hostile")
        let run = try wsc("--socketio", "--namespace", "/refuse", "-w", "5", peer.url)
        assertExitStatus(run, 5)
        assertErrorLine(run, containing: "␛[2J␍refused")
        assertNoRawControls(run)
    }
}

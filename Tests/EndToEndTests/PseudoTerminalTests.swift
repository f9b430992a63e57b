import Glibc
import XCTest

/// The pseudo-terminal harness behaves like a terminal under a shell: checked with /bin/sh so
/// that the end-to-end tests of the interactive session can rely on it.
final class PseudoTerminalTests: XCTestCase {
    func testChildRunsOnATerminalOfTheRequestedSize() throws {
        let terminal = try PseudoTerminal(
            executable: "/bin/sh", arguments: ["-c", "test -t 0 && test -t 1 && echo tty-ok; stty size"],
            columns: 100, rows: 30)
        XCTAssertEqual(try terminal.waitForExit(), .exited(0))
        XCTAssertTrue(terminal.outputText.contains("tty-ok"), terminal.outputText)
        XCTAssertTrue(terminal.outputText.contains("30 100"), terminal.outputText)
    }

    func testTypedLineReachesTheChild() throws {
        let terminal = try PseudoTerminal(executable: "/bin/sh", arguments: ["-c", "read line; echo \"got:$line\""])
        try terminal.write("hello there\r")
        try terminal.expect("got:hello there")
        XCTAssertEqual(try terminal.waitForExit(), .exited(0))
    }

    func testControlCInterruptsTheForegroundProcessGroup() throws {
        let terminal = try PseudoTerminal(
            executable: "/bin/sh",
            arguments: ["-c", "trap 'echo interrupted; exit 3' INT; echo ready; while :; do sleep 0.05; done"])
        try terminal.expect("ready")
        try terminal.write("\u{3}")
        XCTAssertEqual(try terminal.waitForExit(), .exited(3))
        XCTAssertTrue(terminal.outputText.contains("interrupted"), terminal.outputText)
    }

    func testResizeDeliversWindowChange() throws {
        let terminal = try PseudoTerminal(
            executable: "/bin/sh",
            arguments: ["-c", "trap 'stty size; exit 0' WINCH; echo ready; while :; do sleep 0.05; done"])
        try terminal.expect("ready")
        terminal.resize(columns: 60, rows: 20)
        try terminal.expect("20 60")
        XCTAssertEqual(try terminal.waitForExit(), .exited(0))
    }

    func testReadingGivesUpAtTheDeadline() throws {
        let terminal = try PseudoTerminal(executable: "/bin/sh", arguments: ["-c", "sleep 5"])
        let start = ContinuousClock.now
        XCTAssertFalse(terminal.read(timeout: .milliseconds(300)) { $0.outputText.contains("never") })
        XCTAssertLessThan(ContinuousClock.now - start, .seconds(2))
    }

    func testUnfinishedChildIsKilledWhenTheHarnessGoes() throws {
        var terminal: PseudoTerminal? = try PseudoTerminal(executable: "/bin/sh", arguments: ["-c", "sleep 30"])
        let child = try XCTUnwrap(terminal?.processIdentifier)
        terminal = nil
        XCTAssertEqual(kill(child, 0), -1, "the child should be gone")
    }
}

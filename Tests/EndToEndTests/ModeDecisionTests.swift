import Foundation
import XCTest

/// The mode is decided once, and an option the mode does not use is refused (exit 2, naming
/// it) instead of being silently ignored.
final class ModeDecisionTests: EndToEndTestCase {
    func testPromptAndDisplayOptionsAreRefusedWhereNothingUsesThem() throws {
        // stdin is not a terminal here: pipe mode, or one-shot with -x.
        let cases: [([String], String, String)] = [
            (["--pretty", "-x", "hi"], "--pretty", "one-shot mode"),
            (["--timestamps"], "--timestamps", "pipe mode"),
            (["--no-history", "-x", "hi"], "--no-history", "one-shot mode"),
            (["--no-slash"], "--no-slash", "pipe mode"),
            (["--jsonl", "--pretty"], "--pretty", "pipe mode"),
        ]
        for (arguments, option, mode) in cases {
            let run = try wsc(arguments + ["ws://127.0.0.1:9/"])
            assertExitStatus(run, 2)
            assertErrorLine(run, containing: "\(option) has no effect in \(mode)")
            XCTAssertFalse(run.stderr.contains("cannot connect"), "it connected first\n\(run.summary)")
        }
    }

    func testNoResendNeedsReconnect() throws {
        let run = try wsc("--no-resend", "-x", "hi", "ws://127.0.0.1:9/")
        assertExitStatus(run, 2)
        assertErrorLine(run, containing: "--no-resend")
    }

    func testPrettyAndTimestampsStillWorkInTheInteractiveSession() throws {
        let echo = try startServer("echo.py")
        let terminal = try PseudoTerminal(executable: PackagePaths.wscBinary,
                                          arguments: ["--pretty", "--timestamps", "--no-history", echo.url],
                                          environment: ["NO_COLOR": "1", "HOME": try temporaryDirectory()])
        try terminal.expect("connected to")
        try terminal.write("{\"a\":1}\r")
        try terminal.expect("\"a\": 1")
        terminal.send(signal: SIGTERM)
        _ = try terminal.waitForExit()
    }
}

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

    /// Options with a default value used to be accepted, with or without their value, where
    /// nothing reads them: each is refused when given, even with the default value itself.
    func testOptionsWithDefaultsAreRefusedWhereTheModeDoesNotUseThem() throws {
        let client = ["ws://127.0.0.1:9/"]
        let listen = ["-l", "0"]
        let cases: [([String], String)] = [
            (["--max-redirects", "3"] + client, "--max-redirects applies to redirects, which only -L/--location follows"),
            (["--max-redirects", "10"] + listen, "--max-redirects applies to redirects"),
            (["--connect-timeout", "10"] + listen, "--connect-timeout is for connecting to a server"),
            (["-p", "13"] + listen, "-p/--protocol is for connecting to a server"),
            (["--reconnect-delay", "0.5"] + client, "--reconnect-delay is about how -r reconnects; it needs -r"),
            (["--reconnect-max-delay", "5"] + client, "--reconnect-max-delay is about how -r reconnects"),
            (["--reconnect-attempts", "2"] + client, "--reconnect-attempts is about how -r reconnects"),
            (["--reconnect-delay", "1"] + listen, "--reconnect-delay is about how -r reconnects"),
            (["--socketio-path", "/socket.io/"] + client, "--socketio-path needs --socketio"),
            (["--socketio-transport", "auto"] + client, "--socketio-transport needs --socketio"),
            (["--replay-speed", "0"] + client, "--replay-speed needs --replay"),
            (["--slash"] + client, "--slash has no effect in pipe mode"),
            (["--slash"] + listen, "--slash has no effect in listen mode"),
        ]
        for (arguments, message) in cases {
            // Not refused, -l would serve until killed: a short timeout makes that a failure.
            let run = try wsc(arguments, timeout: 5)
            assertExitStatus(run, 2)
            assertErrorLine(run, containing: message)
            XCTAssertFalse(run.stderr.contains("cannot connect") || run.stderr.contains("listening on"),
                           "it started first\n\(run.summary)")
        }
    }

    /// Stored as given, these options still show their defaults in --help, and still apply
    /// them where the mode uses them.
    func testDefaultsStillShownInHelp() throws {
        let run = try wsc("--help")
        assertExitStatus(run, 0)
        let help = run.stdoutText.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ")
        for expected in ["How many redirects -L follows at most. (default: 10)",
                         "take longer than this. (default: 10)", "as wscat's -p. (default: 13)",
                         "it doubles per attempt. (default: 0.5)", "between attempts. (default: 30)",
                         "Engine.IO path. (default: /socket.io/)", "only that transport. (default: auto)",
                         "0.5 at half speed. (default: 0)", "On by default"] {
            XCTAssertTrue(help.contains(expected), "--help lacks '\(expected)'\n\(run.stdout)")
        }
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

import Foundation
import XCTest

/// The interactive session: the real wsc binary on a pseudo-terminal against python peers,
/// checked on a model of the screen (what the user sees), not on the escape sequences.
final class InteractiveTests: EndToEndTestCase {
    private let columns = 80
    private let rows = 24

    /// Starts wsc on a terminal with a private state folder (history) and waits for the prompt
    /// after "connected to".
    private func startWsc(_ arguments: [String], environment: [String: String] = [:]) throws -> PseudoTerminal {
        var full = ["XDG_STATE_HOME": try stateDirectory(), "HOME": try temporaryDirectory(), "NO_COLOR": "1"]
        full.merge(environment) { _, new in new }
        let terminal = try PseudoTerminal(executable: PackagePaths.wscBinary, arguments: arguments,
                                          environment: full, columns: columns, rows: rows)
        try terminal.expect("connected to")
        _ = terminal.read { self.screen($0).rows.contains("> ") || self.screen($0).rows.contains(">") }
        terminal.readUntilQuiet()
        return terminal
    }

    private func stateDirectory() throws -> String { try temporaryDirectory() + "/state" }

    private func screen(_ terminal: PseudoTerminal) -> TerminalScreen {
        TerminalScreen(columns: columns, rows: rows, output: terminal.output)
    }

    /// The rows on screen that are not empty.
    private func shownRows(_ terminal: PseudoTerminal) -> [String] {
        screen(terminal).rows.filter { !$0.isEmpty }
    }

    func testTypedLineIsSentAndItsEchoShownAsIncoming() throws {
        let echo = try startServer("echo.py")
        let terminal = try startWsc([echo.url])
        try terminal.write("hello there\r")
        try terminal.expect("< hello there")
        terminal.readUntilQuiet()
        let shown = shownRows(terminal)
        XCTAssertEqual(Array(shown.suffix(3)), ["> hello there", "< hello there", ">"], "\(shown)")
        try terminal.write("\u{4}")
        XCTAssertEqual(try terminal.waitForExit(), .exited(0))
    }

    func testTranscriptRecordsTheInteractiveSessionAndBinaryFormatApplies() throws {
        let echo = try startServer("echo.py")
        let transcript = try temporaryDirectory() + "/interactive.jsonl"
        let terminal = try startWsc(["--transcript", transcript, "--binary-format", "base64", echo.url])
        try terminal.write("typed\r")
        try terminal.expect("< typed")
        try terminal.write("/binary 00ff10\r")
        try terminal.expect("AP8Q")
        try terminal.write("\u{4}")
        XCTAssertEqual(try terminal.waitForExit(), .exited(0))
        let shown = shownRows(terminal)
        XCTAssertTrue(shown.contains("< <binary 3 bytes>") && shown.contains("  AP8Q"), "\(shown)")
        let records = (try String(contentsOfFile: transcript, encoding: .utf8)).split(separator: "\n")
            .map { $0.replacingOccurrences(of: #""time":"[^"]*","#, with: "", options: .regularExpression) }
        XCTAssertEqual(records, [
            #"{"direction":"out","kind":"text","length":5,"data":"typed"}"#,
            #"{"direction":"in","kind":"text","length":5,"data":"typed"}"#,
            #"{"direction":"out","kind":"binary","length":3,"data":"AP8Q"}"#,
            #"{"direction":"in","kind":"binary","length":3,"data":"AP8Q"}"#,
            #"{"direction":"out","kind":"close","length":2,"code":1000,"reason":""}"#,
            #"{"direction":"in","kind":"close","length":2,"code":1000,"reason":""}"#,
        ])
    }

    /// The pong the connection answers a ping with is recorded as in pipe mode (-P records pings
    /// and pongs), right after the ping.
    func testTranscriptRecordsTheAutomaticPong() throws {
        let pusher = try startServer("push.py", "--delay", "0.5", "--ping", "still there?")
        let transcript = try temporaryDirectory() + "/interactive.jsonl"
        let terminal = try startWsc(["-P", "--transcript", transcript, pusher.url])
        try terminal.expect("< pushed")
        try terminal.write("\u{4}")
        XCTAssertEqual(try terminal.waitForExit(), .exited(0))
        let records = (try String(contentsOfFile: transcript, encoding: .utf8)).split(separator: "\n")
            .map { $0.replacingOccurrences(of: #""time":"[^"]*","#, with: "", options: .regularExpression) }
        XCTAssertEqual(records, [
            #"{"direction":"in","kind":"ping","length":12,"data":"c3RpbGwgdGhlcmU/"}"#,
            #"{"direction":"out","kind":"pong","length":12,"data":"c3RpbGwgdGhlcmU/"}"#,
            #"{"direction":"in","kind":"text","length":6,"data":"pushed"}"#,
            #"{"direction":"out","kind":"close","length":2,"code":1000,"reason":""}"#,
            #"{"direction":"in","kind":"close","length":2,"code":1000,"reason":""}"#,
        ])
    }

    func testSocketIOEventsInTheREPL() throws {
        let peer = try startServer("socketio_server.py")
        let terminal = try startWsc(["--socketio", "--ack", "http://127.0.0.1:\(peer.port)"])
        try terminal.expect("joined namespace /")
        try terminal.write("chat {\"a\":1}\r")
        try terminal.expect("< chat: {\"a\":1}")
        try terminal.write("ask 2\r")
        try terminal.expect("< ack 2: \"answer\" 2")
        terminal.readUntilQuiet()
        let shown = shownRows(terminal)
        XCTAssertTrue(shown.contains("< chat: {\"a\":1}") && shown.contains("< ack 2: \"answer\" 2"), "\(shown)")
        XCTAssertEqual(shown.last, ">", "\(shown)")
        try terminal.write("\u{4}")
        XCTAssertEqual(try terminal.waitForExit(), .exited(0))
    }

    /// The server's request for an acknowledgement shows above the prompt with its id; the
    /// typed `ack ID ...` answers it. Over HTTP long-polling (the server allows nothing else).
    func testSocketIOServerRequestIsAnsweredFromThePrompt() throws {
        let peer = try startServer("socketio_server.py", "--transports", "polling")
        let terminal = try startWsc(["--socketio", "http://127.0.0.1:\(peer.port)"])
        try terminal.expect("joined namespace /")
        try terminal.write("callme 3\r")
        try terminal.expect("< question: {\"q\":3} [ack 1]")
        try terminal.write("ack 1 \"yes\"\r")
        try terminal.expect("< answered: [\"yes\"]")
        XCTAssertTrue(shownRows(terminal).contains { $0.contains("engine.io: transport polling") }, "\(shownRows(terminal))")
        try terminal.write("\u{4}")
        XCTAssertEqual(try terminal.waitForExit(), .exited(0))
    }

    func testPushedMessageLeavesHalfTypedLineIntactAndItIsSentWhole() throws {
        let pusher = try startServer("push.py")
        let terminal = try startWsc([pusher.url])
        // Typed before the push arrives (1 s after connecting); the cursor three characters
        // from the end.
        try terminal.write("half typed line")
        try terminal.write("\u{1B}[D\u{1B}[D\u{1B}[D")
        terminal.readUntilQuiet()
        let before = screen(terminal)
        XCTAssertEqual(before.rows[before.cursorRow], "> half typed line")
        try terminal.expect("< pushed", timeout: .seconds(5))
        terminal.readUntilQuiet()
        let after = screen(terminal)
        XCTAssertEqual(after.rows[after.cursorRow], "> half typed line", "\(after.rows)")
        XCTAssertEqual(after.rows[after.cursorRow - 1], "< pushed", "\(after.rows)")
        XCTAssertEqual(after.cursorColumn, before.cursorColumn)
        XCTAssertEqual(after.cursorColumn, 2 + "half typed ".count + 1)
        terminal.clearOutput()
        try terminal.write("\r")
        try terminal.expect("< half typed line")
        try terminal.write("\u{4}")
        XCTAssertEqual(try terminal.waitForExit(), .exited(0))
    }

    func testHalfTypedLineSurvivesAReconnect() throws {
        let peer = try startServer("flaky.py", "restart", "--down-after", "1", "--down-for", "1")
        let terminal = try startWsc(["-r", "--reconnect-delay", "0.2", peer.url])
        try terminal.write("still here")
        try terminal.write("\u{1B}[D")
        terminal.readUntilQuiet()
        let before = screen(terminal)
        try terminal.expect("reconnected to", timeout: .seconds(10))
        terminal.readUntilQuiet()
        let after = screen(terminal)
        XCTAssertEqual(after.rows[after.cursorRow], "> still here", "\(after.rows)")
        XCTAssertEqual(after.cursorColumn, before.cursorColumn)
        XCTAssertTrue(after.rows.contains { $0.hasPrefix("reconnecting in") }, "\(after.rows)")
        try terminal.write("\r")
        try terminal.expect("< still here")
        try terminal.write("\u{4}")
        XCTAssertEqual(try terminal.waitForExit(), .exited(0))
    }

    func testConnectionFailureRestoresTheScreenAndExitsWithItsCode() throws {
        let port = try unusedPort()
        let terminal = try PseudoTerminal(
            executable: PackagePaths.wscBinary, arguments: ["ws://127.0.0.1:\(port)"],
            environment: ["XDG_STATE_HOME": try stateDirectory(), "NO_COLOR": "1"], columns: columns, rows: rows)
        XCTAssertEqual(try terminal.waitForExit(), .exited(3))
        let shown = shownRows(terminal)
        XCTAssertEqual(shown.count, 1, "\(shown)")
        XCTAssertTrue(shown.first?.hasPrefix("wsc: ") ?? false, "\(shown)")
    }

    func testFloodOfMessagesLeavesTheTypedLineIntact() throws {
        let sender = try startServer("sendn.py", "3000", "--no-close")
        var environment = ["XDG_STATE_HOME": try stateDirectory(), "NO_COLOR": "1"]
        environment["HOME"] = try temporaryDirectory()
        let terminal = try PseudoTerminal(executable: PackagePaths.wscBinary, arguments: [sender.url],
                                          environment: environment, columns: columns, rows: rows)
        try terminal.write("typed during the flood")
        try terminal.expect("< msg 3000")
        terminal.readUntilQuiet()
        let shown = screen(terminal)
        XCTAssertEqual(shown.rows[shown.cursorRow], "> typed during the flood")
        XCTAssertEqual(shown.rows[shown.cursorRow - 1], "< msg 3000")
        try terminal.write("\u{15}\u{4}")
        XCTAssertEqual(try terminal.waitForExit(), .exited(0))
    }

    func testControlDOnEmptyLineClosesNormallyAndExitsZero() throws {
        let echo = try startServer("echo.py")
        let terminal = try startWsc([echo.url])
        try terminal.write("\u{4}")
        XCTAssertEqual(try terminal.waitForExit(), .exited(0))
        XCTAssertTrue(terminal.outputText.contains("closed (1000 normal closure)"), terminal.outputText)
        XCTAssertFalse(shownRows(terminal).contains(where: { $0.hasPrefix(">") }), "the prompt is erased")
    }

    func testControlCClearsTheLineAndOnAnEmptyLineExitsWith130() throws {
        let echo = try startServer("echo.py")
        let terminal = try startWsc([echo.url])
        try terminal.write("draft")
        terminal.readUntilQuiet()
        try terminal.write("\u{3}")
        terminal.readUntilQuiet()
        XCTAssertEqual(shownRows(terminal).last, ">")
        try terminal.write("\u{3}")
        XCTAssertEqual(try terminal.waitForExit(), .exited(130))
        XCTAssertFalse(terminal.outputText.contains("< draft"), "the cleared line was not sent")
    }

    func testControlCWhileWaitingForTheCloseReplyStopsAtOnce() throws {
        let peer = try startServer("flaky.py", "mute")
        let terminal = try startWsc([peer.url])
        try terminal.write("\u{4}")   // the peer never answers the close frame (--close-timeout 5)
        terminal.readUntilQuiet()
        let start = ContinuousClock.now
        try terminal.write("\u{3}")
        XCTAssertEqual(try terminal.waitForExit(), .exited(130))
        XCTAssertLessThan(ContinuousClock.now - start, .seconds(2))
    }

    func testHistoryFileIsPrivateAndHoldsTheEnteredLines() throws {
        let echo = try startServer("echo.py")
        let terminal = try startWsc([echo.url])
        try terminal.write("first line\r")
        try terminal.expect("< first line")
        try terminal.write("second line\r")
        try terminal.expect("< second line")
        try terminal.write("\u{4}")
        XCTAssertEqual(try terminal.waitForExit(), .exited(0))

        let path = try stateDirectory() + "/wsc/history"
        var status = stat()
        XCTAssertEqual(stat(path, &status), 0, "no history file at \(path)")
        XCTAssertEqual(status.st_mode & 0o777, 0o600)
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "first line\nsecond line\n")

        // The next session recalls it with the up arrow.
        let again = try startWsc([echo.url])
        try again.write("\u{1B}[A\u{1B}[A\r")
        try again.expect("< first line")
        try again.write("\u{4}")
        XCTAssertEqual(try again.waitForExit(), .exited(0))
    }

    func testNoHistoryKeepsNoFile() throws {
        let echo = try startServer("echo.py")
        let terminal = try startWsc(["--no-history", echo.url])
        try terminal.write("secret\r")
        try terminal.expect("< secret")
        try terminal.write("\u{4}")
        XCTAssertEqual(try terminal.waitForExit(), .exited(0))
        XCTAssertFalse(FileManager.default.fileExists(atPath: try stateDirectory() + "/wsc/history"))
    }

    func testPingCommandPrintsTheRoundTripTime() throws {
        let echo = try startServer("echo.py")
        let terminal = try startWsc([echo.url])
        try terminal.write("/ping hello\r")
        try terminal.expect(" ms)")
        terminal.readUntilQuiet()
        let line = shownRows(terminal).first { $0.hasPrefix("< pong: hello (round trip ") }
        XCTAssertNotNil(line, "\(shownRows(terminal))")
        try terminal.write("\u{4}")
        XCTAssertEqual(try terminal.waitForExit(), .exited(0))
    }

    func testUnknownCommandSendsNothingAndDoubleSlashSendsASlash() throws {
        let echo = try startServer("echo.py")
        let terminal = try startWsc([echo.url])
        try terminal.write("/nope 1 2\r")
        try terminal.expect("unknown command /nope")
        // The echo peer answers in order: had /nope been sent, its echo would come first.
        try terminal.write("//after\r")
        try terminal.expect("< /after")
        terminal.readUntilQuiet()
        XCTAssertFalse(terminal.outputText.contains("< /nope"), terminal.outputText)
        XCTAssertFalse(terminal.outputText.contains("< //after"), terminal.outputText)
        try terminal.write("/quit\r")
        XCTAssertEqual(try terminal.waitForExit(), .exited(0))
    }

    func testBinaryCommandAndBinaryEchoAsHexDump() throws {
        let echo = try startServer("echo.py")
        let terminal = try startWsc([echo.url])
        try terminal.write("/binary 48 69 00 ff\r")
        try terminal.expect("< <binary 4 bytes>")
        try terminal.expect("|Hi..|")
        try terminal.write("/close 4000 done here\r")
        XCTAssertEqual(try terminal.waitForExit(), .exited(0))
        XCTAssertTrue(terminal.outputText.contains("closed (4000 \"done here\")"), terminal.outputText)
    }

    func testPeerControlCharactersAreShownNotObeyed() throws {
        let echo = try startServer("echo.py")
        let terminal = try startWsc(["--pretty", echo.url])
        // Typed with Ctrl-V so that libedit puts the raw ESC into the line; the echo comes back
        // with it and must not reach the terminal as an escape sequence.
        try terminal.write("a\u{16}\u{1B}[2Jb {\"k\":[1]}\r")
        try terminal.expect("< a␛[2Jb")
        terminal.readUntilQuiet()
        XCTAssertTrue(shownRows(terminal).contains("< a␛[2Jb {\"k\":[1]}"), "\(shownRows(terminal))")
        try terminal.write("{\"k\":[1, 2.50]}\r")
        try terminal.expect("]")
        terminal.readUntilQuiet()
        let shown = shownRows(terminal)
        XCTAssertEqual(Array(shown.suffix(8)), ["> {\"k\":[1, 2.50]}", "< {", "    \"k\": [", "      1,",
                                                  "      2.50", "    ]", "  }", ">"], "\(shown)")
        try terminal.write("\u{4}")
        XCTAssertEqual(try terminal.waitForExit(), .exited(0))
    }

    func testTimestampsShowPingPongAndBinaryFromAFile() throws {
        let echo = try startServer("echo.py")
        let file = try temporaryDirectory() + "/payload.bin"
        try Data([0x01, 0x41, 0x42]).write(to: URL(fileURLWithPath: file))
        let terminal = try startWsc(["--timestamps", "-P", "--ping-interval", "0.3", echo.url])
        try terminal.write("/binary @\(file)\r")
        try terminal.expect("|.AB|")
        try terminal.expect("< pong", timeout: .seconds(3))   // a heartbeat's pong, shown with -P
        terminal.readUntilQuiet()
        let shown = shownRows(terminal)
        let stamped = try NSRegularExpression(pattern: "^\\d\\d:\\d\\d:\\d\\d\\.\\d\\d\\d < <binary 3 bytes>$")
        XCTAssertTrue(shown.contains { stamped.firstMatch(in: $0, range: NSRange($0.startIndex..., in: $0)) != nil },
                      "\(shown)")
        XCTAssertTrue(shown.contains { $0.hasPrefix("               00000000  01 41 42") }, "\(shown)")
        try terminal.write("\u{4}")
        XCTAssertEqual(try terminal.waitForExit(), .exited(0))
    }

    func testResizeRedrawsThePromptWithTheTypedLine() throws {
        let echo = try startServer("echo.py")
        let terminal = try startWsc([echo.url])
        try terminal.write("typed text")
        terminal.readUntilQuiet()
        terminal.resize(columns: 50, rows: rows)
        terminal.readUntilQuiet()
        let shown = TerminalScreen(columns: 50, rows: rows, output: terminal.output)
        XCTAssertEqual(shown.rows[shown.cursorRow], "> typed text")
        XCTAssertEqual(shown.cursorColumn, 12)
        try terminal.write("!\r")
        try terminal.expect("< typed text!")
        try terminal.write("\u{4}")
        XCTAssertEqual(try terminal.waitForExit(), .exited(0))
    }

    /// The `count` rows of `screen` ending with the cursor's.
    private func rowsUpToCursor(_ screen: TerminalScreen, count: Int) -> [String] {
        Array(screen.rows[max(0, screen.cursorRow - count + 1)...screen.cursorRow])
    }

    /// The records of a transcript without their times.
    private func transcriptRecords(_ path: String) throws -> [String] {
        (try String(contentsOfFile: path, encoding: .utf8)).split(separator: "\n")
            .map { $0.replacingOccurrences(of: #""time":"[^"]*","#, with: "", options: .regularExpression) }
    }

    func testBracketedPasteOfSeveralLinesIsOneMessage() throws {
        let echo = try startServer("echo.py")
        let transcript = try temporaryDirectory() + "/paste.jsonl"
        let terminal = try startWsc(["--transcript", transcript, echo.url])
        XCTAssertTrue(terminal.outputText.contains("\u{1B}[?2004h"), "bracketed paste mode is on while the prompt is")
        // What a terminal sends for a paste of three lines copied with their final line break.
        try terminal.write("\u{1B}[200~{\"a\": 1,\r \"b\": [2, 3]\r}\r\u{1B}[201~")
        terminal.readUntilQuiet()
        var shown = shownRows(terminal)
        XCTAssertEqual(Array(shown.suffix(3)), ["> {\"a\": 1,", " \"b\": [2, 3]", "}"], "\(shown)")
        try terminal.write("\r")
        try terminal.expect("< {\"a\": 1,")
        terminal.readUntilQuiet()
        shown = shownRows(terminal)
        XCTAssertEqual(Array(shown.suffix(7)), ["> {\"a\": 1,", " \"b\": [2, 3]", "}",
                                                  "< {\"a\": 1,", "   \"b\": [2, 3]", "  }", ">"], "\(shown)")
        try terminal.write("\u{4}")
        XCTAssertEqual(try terminal.waitForExit(), .exited(0))
        XCTAssertTrue(terminal.outputText.hasSuffix("\u{1B}[?2004l") || terminal.outputText.contains("\u{1B}[?2004lclosed"),
                      "bracketed paste mode is off again: \(terminal.outputText.debugDescription)")
        // One frame each way, the two line breaks inside it.
        XCTAssertEqual(try transcriptRecords(transcript).filter { $0.contains(#""kind":"text""#) }, [
            #"{"direction":"out","kind":"text","length":23,"data":"{\"a\": 1,\n \"b\": [2, 3]\n}"}"#,
            #"{"direction":"in","kind":"text","length":23,"data":"{\"a\": 1,\n \"b\": [2, 3]\n}"}"#,
        ])

        // The history keeps it as one entry on one line of its file, and gives it back whole.
        let history = try stateDirectory() + "/wsc/history"
        XCTAssertEqual(try String(contentsOfFile: history, encoding: .utf8), #"{"a": 1,\n "b": [2, 3]\n}"# + "\n")
        let again = try startWsc([echo.url])
        try again.write("\u{1B}[A")
        again.readUntilQuiet()
        XCTAssertEqual(Array(shownRows(again).suffix(3)), ["> {\"a\": 1,", " \"b\": [2, 3]", "}"], "\(shownRows(again))")
        try again.write("\r")
        try again.expect("  }")
        try again.write("\u{4}")
        XCTAssertEqual(try again.waitForExit(), .exited(0))
    }

    func testAltEnterInsertsALineBreakAndEnterSendsOneMessage() throws {
        let echo = try startServer("echo.py")
        let transcript = try temporaryDirectory() + "/alt-enter.jsonl"
        let terminal = try startWsc(["--transcript", transcript, echo.url])
        try terminal.write("first\u{1B}\rsecond\u{1B}\n")
        terminal.readUntilQuiet()
        var screen = self.screen(terminal)
        XCTAssertEqual(rowsUpToCursor(screen, count: 3), ["> first", "second", ""],
                       "\(screen.rows)")
        XCTAssertEqual(screen.cursorColumn, 0)
        try terminal.write("third\r")
        try terminal.expect("  third")
        terminal.readUntilQuiet()
        screen = self.screen(terminal)
        XCTAssertEqual(Array(shownRows(terminal).suffix(4)), ["< first", "  second", "  third", ">"], "\(screen.rows)")
        try terminal.write("\u{4}")
        XCTAssertEqual(try terminal.waitForExit(), .exited(0))
        XCTAssertEqual(try transcriptRecords(transcript).filter { $0.contains(#""direction":"out","kind":"text""#) }, [
            #"{"direction":"out","kind":"text","length":18,"data":"first\nsecond\nthird"}"#,
        ])
    }

    /// A paste of a few kilobytes goes into the line whole (libedit's line buffers grow under
    /// it), and one longer than a line may be is refused with a warning, leaving the line as it was.
    func testLongPasteIsSentWholeAndATooLongOneIsRefused() throws {
        let echo = try startServer("echo.py")
        let transcript = try temporaryDirectory() + "/long-paste.jsonl"
        let terminal = try startWsc(["--transcript", transcript, echo.url])
        let lines = (1...150).map { "line \($0) abcdefghijklmnopqrstuvwxyz" }
        try terminal.write("\u{1B}[200~" + lines.joined(separator: "\r") + "\u{1B}[201~")
        try terminal.write("!\r")
        try terminal.expect("  line 150 abcdefghijklmnopqrstuvwxyz!")
        let tooLong = String(repeating: "0123456789abcdef\r", count: 4000)
        try terminal.write("\u{1B}[200~" + tooLong + "\u{1B}[201~")
        try terminal.expect("not pasted: a message composed at the prompt may be up to 65520 bytes, and the paste would make 67999")
        try terminal.write("after\r")
        try terminal.expect("< after")
        try terminal.write("\u{4}")
        XCTAssertEqual(try terminal.waitForExit(), .exited(0))
        let sent = try transcriptRecords(transcript).filter { $0.contains(#""direction":"out","kind":"text""#) }
        let expected = lines.joined(separator: "\\n") + "!"
        XCTAssertEqual(sent, [
            #"{"direction":"out","kind":"text","length":\#(expected.count - 149),"data":"\#(expected)"}"#,
            #"{"direction":"out","kind":"text","length":5,"data":"after"}"#,
        ])
    }

    /// Types a line that fills most of an 80-column row, narrows the window to 40 columns, and
    /// lets a message arrive: the screen must show the prompt once, under the message.
    private func shrinkWhileTyping(environment: [String: String], rewrap: Bool) throws -> TerminalScreen {
        let pusher = try startServer("push.py", "--delay", "2")
        let terminal = try startWsc([pusher.url], environment: environment)
        let typed = String(repeating: "0123456789", count: 7)
        try terminal.write(typed)
        terminal.readUntilQuiet()
        let before = screen(terminal)
        XCTAssertEqual(before.rows[before.cursorRow], "> " + typed)
        let resizedAt = terminal.output.count
        terminal.resize(columns: 40, rows: rows)
        try terminal.expect("< pushed", timeout: .seconds(5))
        terminal.readUntilQuiet()
        var shown = TerminalScreen(columns: columns, rows: rows, output: Array(terminal.output[..<resizedAt]))
        shown.resize(columns: 40, rows: rows, rewrap: rewrap)
        shown.feed(Array(terminal.output[resizedAt...]))
        try terminal.write("\u{15}\u{4}")
        XCTAssertEqual(try terminal.waitForExit(), .exited(0))
        XCTAssertEqual(shown.rows.filter { $0.hasPrefix(">") }.count, 1, "\(shown.rows)")
        XCTAssertEqual(rowsUpToCursor(shown, count: 3),
                       ["< pushed", "> " + typed.prefix(38), String(typed.dropFirst(38))], "\(shown.rows)")
        XCTAssertEqual(shown.cursorColumn, 32)
        return shown
    }

    func testShrinkingTheWindowWhileTypingLeavesOnePromptRow() throws {
        _ = try shrinkWhileTyping(environment: [:], rewrap: true)
    }

    /// xterm does not re-wrap: the prompt's rows stay as drawn, and the row above them (the
    /// status line) must not be erased.
    func testShrinkingXtermKeepsTheRowAboveThePrompt() throws {
        let shown = try shrinkWhileTyping(environment: ["XTERM_VERSION": "XTerm(379)"], rewrap: false)
        XCTAssertTrue(shown.rows.contains { $0.hasPrefix("connected to") }, "\(shown.rows)")
    }

    func testColoursOnlyWithoutNoColor() throws {
        let echo = try startServer("echo.py")
        let coloured = try startWsc([echo.url], environment: ["NO_COLOR": ""])
        try coloured.write("x\r")
        try coloured.expect("< x")
        try coloured.write("\u{4}")
        XCTAssertEqual(try coloured.waitForExit(), .exited(0))
        XCTAssertTrue(coloured.outputText.contains("\u{1B}[36m< x\u{1B}[0m"), coloured.outputText.debugDescription)

        let plain = try startWsc(["--no-color", echo.url], environment: ["NO_COLOR": ""])
        try plain.write("x\r")
        try plain.expect("< x")
        try plain.write("\u{4}")
        XCTAssertEqual(try plain.waitForExit(), .exited(0))
        XCTAssertFalse(plain.outputText.contains("\u{1B}[36m"), plain.outputText.debugDescription)
    }

    func testTerminalSettingsAreRestoredAfterControlDAndSIGTERM() throws {
        let echo = try startServer("echo.py")
        for ending in ["ctrl-d", "sigterm"] {
            // stty -g before and after, around wsc on the same terminal.
            let script = "stty -g; \"$0\" \"$1\"; echo \"status=$?\"; stty -g"
            let terminal = try PseudoTerminal(
                executable: "/bin/sh", arguments: ["-c", script, PackagePaths.wscBinary, echo.url],
                environment: ["XDG_STATE_HOME": try stateDirectory(), "NO_COLOR": "1"],
                columns: columns, rows: rows)
            try terminal.expect("connected to")
            terminal.readUntilQuiet()
            try terminal.write("typed")
            terminal.readUntilQuiet()
            if ending == "ctrl-d" {
                try terminal.write("\u{15}\u{4}")   // Ctrl-U empties the line, Ctrl-D ends
            } else {
                let wsc = try XCTUnwrap(childProcess(named: "wsc", of: terminal.processIdentifier))
                kill(wsc, SIGTERM)
            }
            XCTAssertEqual(try terminal.waitForExit(), .exited(0))
            let lines = terminal.outputText.components(separatedBy: .newlines).filter { !$0.isEmpty }
            let settings = lines.filter { $0.contains(":") && !$0.contains(" ") && $0.count > 40 }
            XCTAssertEqual(settings.count, 2, "\(ending): \(lines)")
            XCTAssertEqual(settings.first, settings.last, "\(ending): the terminal settings changed")
            XCTAssertTrue(lines.contains(ending == "ctrl-d" ? "status=0" : "status=130"), "\(ending): \(lines)")
        }
    }

    /// The pid of `parent`'s child running `name` (from /proc).
    private func childProcess(named name: String, of parent: pid_t) -> pid_t? {
        let deadline = ContinuousClock.now + .seconds(5)
        while ContinuousClock.now < deadline {
            for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
                guard let pid = pid_t(entry),
                      let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8) else { continue }
                // "pid (comm) state ppid ..."
                guard let close = stat.lastIndex(of: ")") else { continue }
                let comm = stat[stat.index(after: stat.firstIndex(of: "(")!)..<close]
                let fields = stat[stat.index(after: close)...].split(separator: " ")
                if comm == name, fields.count > 1, pid_t(fields[1]) == parent { return pid }
            }
            usleep(20_000)
        }
        return nil
    }
}

import Foundation
import XCTest

/// The options come in titled groups (--help and the man page show them), and values that parse
/// themselves (sizes, durations, header lines, JSON objects) refuse a bad value as a usage error
/// naming the option, before anything connects.
final class OptionGroupTests: EndToEndTestCase {
    static let groups = ["CONNECTION:", "TLS:", "SENDING AND SCRIPTING:", "OUTPUT:", "INTERACTIVE SESSION:",
                         "RECONNECTING:", "LISTEN MODE AND DEMO:", "SOCKET.IO:", "RECORDING AND REPLAY:"]

    func testHelpShowsTheGroupsInOrderWithTheirOptions() throws {
        let run = try wsc("--help")
        assertExitStatus(run, 0)
        let help = run.stdoutText
        var previous = help.startIndex
        for heading in Self.groups {
            guard let range = help.range(of: "\n" + heading + "\n", range: previous..<help.endIndex) else {
                return XCTFail("--help has no group \(heading) after the previous one\n\(help)")
            }
            previous = range.upperBound
        }
        // One option of each group, under its heading.
        for (heading, option) in zip(Self.groups, ["--connect-timeout", "--cert", "--execute", "--binary-format",
                                                   "--no-history", "--reconnect-delay", "--listen", "--namespace",
                                                   "--transcript"]) {
            // From the heading to the next line that is a heading (capitals, ending in ':').
            let after = help.components(separatedBy: "\n" + heading + "\n")[1]
            let section = after.split(separator: "\n").prefix { !($0.hasSuffix(":") && $0.uppercased() == $0) }
                .joined(separator: "\n")
            XCTAssertTrue(section.contains(option), "\(option) is not under \(heading)\n\(help)")
        }
    }

    func testManualHasOneSubsectionPerGroupAndSlashOnce() throws {
        let manual = try String(contentsOfFile: PackagePaths.root + "/man/wsc.1", encoding: .utf8)
        for title in ["Connection", "TLS", "Sending and scripting", "Output", "Interactive session",
                      "Reconnecting", "Listen mode and demo", "Socket.IO", "Recording and replay"] {
            XCTAssertTrue(manual.contains("\n.SS \(title)\n"), "man/wsc.1 has no subsection \(title)")
        }
        XCTAssertEqual(manual.components(separatedBy: "Slash commands in the interactive session").count - 1, 1,
                       "the --slash/--no-slash text is not printed exactly once")
        XCTAssertTrue(manual.contains(#"\fB\-\-slash\fR, \fB\-\-no\-slash\fR"#))
    }

    func testBadValuesAreUsageErrorsNamingTheOption() throws {
        // Port 9 (discard) is never reached: each is refused before connecting.
        let cases: [([String], String)] = [
            (["--max-message-size", "lots"], "--max-message-size <bytes>"),
            (["--max-message-size", "0"], "--max-message-size must be at least 1 byte"),
            (["--connect-timeout", "inf"], "--connect-timeout <seconds>"),
            (["--close-timeout", "0"], "--close-timeout must be a positive number of seconds, not 0"),
            (["-H", "NoColonHere"], "-H <name: value>"),
            (["--socketio", "--socketio-auth", "[1]"], "not a JSON object"),
            (["--reconnect-max-delay", "-3"], "--reconnect-max-delay must be a positive number of seconds, not -3"),
        ]
        for (arguments, message) in cases {
            let run = try wsc(arguments + ["-x", "hi", "ws://127.0.0.1:9/"])
            assertExitStatus(run, 2)
            assertErrorLine(run, containing: message)
            assertStdout(run, "")
        }
    }

}

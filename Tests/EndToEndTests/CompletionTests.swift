import Foundation
import XCTest

/// The generated completion scripts complete file names for the options that take a file, and
/// offer no `help` subcommand (wsc has none). Bash is run for real; zsh and fish are checked in
/// their scripts' text (neither shell is installed for the tests).
final class CompletionTests: EndToEndTestCase {
    static let fileOptions = ["--ca", "--cert", "--key", "--transcript", "--replay", "--file", "--unix-socket"]

    private func script(_ name: String) throws -> String {
        try String(contentsOfFile: PackagePaths.root + "/completions/" + name, encoding: .utf8)
    }

    /// What bash's completion offers for the words typed so far (the last one being completed),
    /// run in `directory`.
    private func bashCompletions(_ words: [String], in directory: String) throws -> [String] {
        let quoted = words.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        let program = """
            source '\(PackagePaths.root)/completions/wsc.bash'
            cd '\(directory)'
            COMP_WORDS=(\(quoted)); COMP_CWORD=\(words.count - 1)
            COMP_LINE="${COMP_WORDS[*]}"; COMP_POINT=${#COMP_LINE}
            _wsc wsc "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
            printf '%s\\n' "${COMPREPLY[@]}"
            """
        let outcome = try ChildProcess.run(executable: "/bin/bash", arguments: ["--norc", "--noprofile", "-c", program],
                                           stdin: [], timeout: 20)
        XCTAssertEqual(outcome.status, 0, String(decoding: outcome.stderr, as: UTF8.self))
        return String(decoding: outcome.stdout, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    func testBashCompletesFileNamesForFileOptions() throws {
        let directory = try temporaryDirectory()
        for name in ["client.pem", "client.key", "notes.jsonl"] {
            XCTAssertTrue(FileManager.default.createFile(atPath: directory + "/" + name, contents: Data()))
        }
        for option in Self.fileOptions {
            let offered = try bashCompletions(["wsc", option, "cl"], in: directory)
            XCTAssertEqual(Set(offered), ["client.pem", "client.key"], "wsc \(option) cl<TAB>")
        }
        // An option that takes no file offers none.
        XCTAssertEqual(try bashCompletions(["wsc", "--origin", "cl"], in: directory), [])
    }

    func testNoHelpSubcommandIsOffered() throws {
        let directory = try temporaryDirectory()
        XCTAssertFalse(try bashCompletions(["wsc", "he"], in: directory).contains("help"))
        XCTAssertFalse(try bashCompletions(["wsc", ""], in: directory).contains("help"))
        let zsh = try script("_wsc")
        let fish = try script("wsc.fish")
        let bash = try script("wsc.bash")
        for (shell, text) in [("zsh", zsh), ("fish", fish), ("bash", bash)] {
            XCTAssertFalse(text.contains("Show subcommand help information"), "\(shell) offers a help subcommand")
            XCTAssertFalse(text.contains("_wsc_help"), "\(shell) has a help subcommand function")
        }
        XCTAssertFalse(fish.contains("case 'help'"))
    }

    func testZshAndFishCompleteFileNamesForFileOptions() throws {
        let zsh = try script("_wsc")
        let fish = try script("wsc.fish")
        for option in Self.fileOptions {
            let long = String(option.dropFirst(2))
            let zshLine = try XCTUnwrap(zsh.split(separator: "\n").first { $0.contains("'\(option)[") || $0.contains("*\(option)[") },
                                        "zsh has no spec for \(option)")
            XCTAssertTrue(zshLine.hasSuffix(":_files'"), "zsh does not complete files for \(option): \(zshLine)")
            let fishLine = try XCTUnwrap(fish.split(separator: "\n").first { $0.contains("-l '\(long)'") },
                                         "fish has no line for \(option)")
            XCTAssertTrue(fishLine.hasSuffix(" -rF"), "fish does not complete files for \(option): \(fishLine)")
        }
    }
}

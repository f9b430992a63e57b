import Foundation
import XCTest

/// man/wsc.1 and completions/ are generated from the option definitions (Scripts/generate-docs
/// asks the built binary); this fails when a committed file is not what the binary generates now,
/// so --help, the manual and the completions cannot drift apart.
final class GeneratedDocsTests: XCTestCase {
    func testCommittedManualAndCompletionsAreCurrent() throws {
        let script = PackagePaths.root + "/Scripts/generate-docs"
        guard FileManager.default.isExecutableFile(atPath: PackagePaths.wscBinary) else {
            throw HarnessError("no wsc binary at \(PackagePaths.wscBinary): run swift build first (Scripts/test does)")
        }
        let outcome = try ChildProcess.run(executable: script, arguments: ["--check", "--binary", PackagePaths.wscBinary],
                                           stdin: [], timeout: 60)
        XCTAssertEqual(outcome.status, 0, """
            Run Scripts/generate-docs and commit man/ and completions/.
            \(String(decoding: outcome.stdout, as: UTF8.self))\(String(decoding: outcome.stderr, as: UTF8.self))
            """)
    }

    func testVersionIsTheOneInTheManual() throws {
        let run = try WscRun.run(["--version"], timeout: 10)
        XCTAssertEqual(run.exitStatus, 0, run.summary)
        let version = run.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertFalse(version.isEmpty)
        let manual = try String(contentsOfFile: PackagePaths.root + "/man/wsc.1", encoding: .utf8)
        XCTAssertTrue(manual.contains(".TH WSC 1 \"\" \"wsc \(version)\""), "man/wsc.1 is not for wsc \(version)")
    }
}

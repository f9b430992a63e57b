import Foundation
import XCTest

/// Failures found before the poll loop starts (name resolution, the proxy setting) end wsc at
/// once with their one-line error and exit 3, in every mode; they used to hang for ever,
/// deaf to SIGINT and SIGTERM. Each run has a short timeout, so a regression fails instead of
/// hanging. `.invalid` names never resolve (RFC 6761).
final class StartupFailureTests: EndToEndTestCase {
    private func assertFailsAtOnce(_ run: WscRun, containing text: String, file: StaticString = #filePath, line: UInt = #line) {
        assertExitStatus(run, 3, file: file, line: line)
        assertErrorLine(run, containing: text, file: file, line: line)
        XCTAssertEqual(run.errorLines.count, 1, "one error line\n\(run.summary)", file: file, line: line)
        XCTAssertLessThan(run.elapsed, 5, "should fail at once\n\(run.summary)", file: file, line: line)
    }

    func testUnresolvableHostInOneShotMode() throws {
        let run = try wsc("-x", "hi", "ws://nonexistent.invalid/", timeout: 10)
        assertFailsAtOnce(run, containing: "cannot resolve nonexistent.invalid")
    }

    func testUnresolvableHostInPipeMode() throws {
        let run = try wsc("ws://nonexistent.invalid/", stdin: "a\n", keepStdinOpen: true, timeout: 10)
        assertFailsAtOnce(run, containing: "cannot resolve nonexistent.invalid")
    }

    func testUnresolvableProxy() throws {
        let port = try unusedPort()
        let run = try wsc("--proxy", "http://nonexistent.invalid:3128", "-x", "hi", "ws://127.0.0.1:\(port)/",
                          timeout: 10)
        assertFailsAtOnce(run, containing: "cannot resolve nonexistent.invalid")
    }

    func testMalformedProxyFromTheEnvironment() throws {
        let port = try unusedPort()
        let run = try WscRun.run(["-x", "hi", "ws://127.0.0.1:\(port)/"], timeout: 10,
                                 environment: ["http_proxy": "http://[::1", "no_proxy": ""])
        assertFailsAtOnce(run, containing: "invalid proxy URL")
    }

    func testUnsupportedProxyScheme() throws {
        let port = try unusedPort()
        let run = try wsc("--proxy", "socks4://127.0.0.1:1080", "-x", "hi", "ws://127.0.0.1:\(port)/", timeout: 10)
        assertFailsAtOnce(run, containing: "unsupported proxy scheme 'socks4'")
        XCTAssertFalse(run.stderr.contains("ws://"), "the hint is about proxies, not WebSocket URLs\n\(run.summary)")
    }

    func testUnresolvableHostInTheInteractiveSession() throws {
        let home = try temporaryDirectory()
        let terminal = try PseudoTerminal(executable: PackagePaths.wscBinary, arguments: ["ws://nonexistent.invalid/"],
                                          environment: ["HOME": home, "XDG_STATE_HOME": home, "NO_COLOR": "1"])
        let ended = try terminal.waitForExit(timeout: .seconds(5))
        XCTAssertEqual(ended, .exited(3), terminal.outputText)
        XCTAssertTrue(terminal.outputText.contains("wsc: cannot resolve nonexistent.invalid"), terminal.outputText)
    }
}

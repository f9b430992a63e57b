import Foundation
import XCTest

/// `wsc --demo`: an echo server inside wsc, on a free loopback port, and the normal client
/// session against it, so a newcomer needs no server.
final class DemoModeTests: EndToEndTestCase {
    func testPipedLineComesBackAndTheDemoSaysWhatItStarted() throws {
        let run = try wsc("--demo", stdin: "hi\n", timeout: 10)
        assertExitStatus(run, 0)
        assertStdout(run, "hi\n")
        XCTAssertNotNil(run.stderr.firstMatch(of: /demo: echo server on ws:\/\/127\.0\.0\.1:\d+\/ \(in-process\)/),
                        run.summary)
    }

    func testManyLinesComeBackInOrder() throws {
        let lines = (1...500).map { "line \($0) " + String(repeating: "x", count: $0) }
        let run = try wsc("--demo", "-q", stdin: StandardInput(Array((lines.joined(separator: "\n") + "\n").utf8)),
                          timeout: 15)
        assertExitStatus(run, 0)
        XCTAssertEqual(run.stdoutText.split(separator: "\n").map(String.init), lines)
        XCTAssertEqual(run.stderr, "", "-q leaves stderr empty on success")
    }

    func testOneShotMessagesAgainstTheDemo() throws {
        let run = try wsc("--demo", "-x", "one", "-x", "two", timeout: 10)
        assertExitStatus(run, 0)
        assertStdout(run, "one\ntwo\n")
    }

    func testTheDemoIgnoresProxiesFromTheEnvironment() throws {
        // A proxy that does not exist: the in-process server must be reached directly.
        let run = try WscRun.run(["--demo"], stdin: "direct\n", timeout: 10,
                                 environment: ["http_proxy": "http://127.0.0.1:1", "HTTP_PROXY": "http://127.0.0.1:1"])
        assertExitStatus(run, 0)
        assertStdout(run, "direct\n")
    }

    func testDemoTakesNoURL() throws {
        let run = try wsc("--demo", "ws://127.0.0.1:1/", timeout: 10)
        assertExitStatus(run, 2)
        assertErrorLine(run, containing: "--demo takes no URL")
    }
}

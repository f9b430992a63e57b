import Foundation
import XCTest

/// What a wscat user types works as they expect: a URL without a scheme, -V, -p 8|13, a bare
/// --passphrase that asks on the terminal, and an unknown option named before a missing URL.
final class WscatHabitsTests: EndToEndTestCase {
    func testURLWithoutSchemeIsWs() throws {
        let echo = try startServer("echo.py")
        for arguments in [["-c", "127.0.0.1:\(echo.port)"], ["127.0.0.1:\(echo.port)/path"]] {
            let run = try wsc(arguments + ["-x", "hi"])
            assertExitStatus(run, 0)
            assertStdout(run, "hi\n")
        }
    }

    func testUnknownOptionIsReportedBeforeAMissingURL() throws {
        for option in ["--bogus", "-Z"] {
            let run = try wsc(option)
            assertExitStatus(run, 2)
            assertErrorLine(run, containing: "Unknown option '\(option)'")
            XCTAssertFalse(run.stderr.contains("missing the URL"), run.summary)
        }
        // A rule across options is still checked once the options are known.
        let missing = try wsc("-x", "hi")
        assertExitStatus(missing, 2)
        assertErrorLine(missing, containing: "missing the URL")
    }

    func testCapitalVIsTheVersion() throws {
        let short = try wsc("-V")
        let long = try wsc("--version")
        assertExitStatus(short, 0)
        XCTAssertFalse(short.stdoutText.isEmpty)
        XCTAssertEqual(short.stdoutText, long.stdoutText)
    }

    func testProtocolVersion8And13() throws {
        let peer = try startServer("raw_http.py", "describe")
        let v13 = try DescribedRequest(firstMessageOf: try wsc("-p", "13", "-o", "http://o.test", "-x", "hi", peer.url))
        XCTAssertEqual(v13.values("Sec-WebSocket-Version"), ["13"])
        XCTAssertEqual(v13.values("Origin"), ["http://o.test"])
        let v8run = try wsc("--protocol", "8", "-o", "http://o.test", "-x", "hi", peer.url)
        assertExitStatus(v8run, 0)
        let v8 = try DescribedRequest(firstMessageOf: v8run)
        XCTAssertEqual(v8.values("Sec-WebSocket-Version"), ["8"])
        XCTAssertEqual(v8.values("Sec-WebSocket-Origin"), ["http://o.test"])
        XCTAssertEqual(v8.values("Origin"), [])

        let other = try wsc("-p", "7", "-x", "hi", "ws://127.0.0.1:9/")
        assertExitStatus(other, 2)
        assertErrorLine(other, containing: "-p <version>")
        assertErrorLine(other, containing: "8")
        let listen = try wsc("-l", "0", "-p", "8")
        assertExitStatus(listen, 2)
        assertErrorLine(listen, containing: "-p/--protocol is for connecting to a server")
    }

    // MARK: --passphrase without a value

    private func lockedClient() throws -> (TestServer, certificate: String, key: String, ca: String) {
        let serverCertificate = try makeCertificate()
        let authority = try TLSAuthority.generate(in: try temporaryDirectory())
        let echo = try startServer("echo.py", "--tls", serverCertificate.certificatePath, serverCertificate.keyPath,
                                   "--client-ca", authority.certificatePath)
        let client = try authority.issueClientCertificate(commonName: "locked", passphrase: "open sesame")
        return (echo, client.certificatePath, client.keyPath, serverCertificate.certificatePath)
    }

    func testBarePassphraseAsksOnTheTerminalWithoutEcho() throws {
        let (echo, certificate, key, ca) = try lockedClient()
        // The URL right after --passphrase stays the URL.
        let terminal = try PseudoTerminal(executable: PackagePaths.wscBinary,
                                          arguments: ["--ca", ca, "--cert", certificate, "--key", key, "-x", "hello",
                                                      "--passphrase", echo.secureURL],
                                          environment: ["NO_COLOR": "1"])
        try terminal.expect("Passphrase for \(key): ")
        try terminal.write("open sesaXY\u{7F}\u{7F}me\r")
        XCTAssertEqual(try terminal.waitForExit(timeout: .seconds(15)), .exited(0), terminal.outputText)
        XCTAssertTrue(terminal.outputText.contains("hello"), terminal.outputText)
        XCTAssertFalse(terminal.outputText.contains("sesa"), "the passphrase was echoed: \(terminal.outputText)")
    }

    func testPassphrasePromptCancelledByCtrlCExits130() throws {
        let (echo, certificate, key, ca) = try lockedClient()
        let terminal = try PseudoTerminal(executable: PackagePaths.wscBinary,
                                          arguments: ["--ca", ca, "--cert", certificate, "--key", key, "--passphrase",
                                                      "-x", "hello", echo.secureURL],
                                          environment: ["NO_COLOR": "1"])
        try terminal.expect("Passphrase for ")
        try terminal.write("open\u{03}")
        XCTAssertEqual(try terminal.waitForExit(), .exited(130), terminal.outputText)
        XCTAssertTrue(terminal.outputText.contains("--passphrase: cancelled"), terminal.outputText)
    }

    func testBarePassphraseWithoutATerminalIsAUsageError() throws {
        let (echo, certificate, key, ca) = try lockedClient()
        // setsid: a new session has no controlling terminal, so /dev/tty cannot be opened.
        let outcome = try ChildProcess.run(executable: "/usr/bin/setsid",
                                           arguments: ["-w", PackagePaths.wscBinary, "--ca", ca, "--cert", certificate,
                                                       "--key", key, "--passphrase", "-x", "hello", echo.secureURL],
                                           stdin: [], timeout: 20)
        XCTAssertEqual(outcome.status, 2)
        XCTAssertTrue(String(decoding: outcome.stderr, as: UTF8.self).contains("--passphrase=VALUE"))
        let refused = try wsc("--passphrase", "-x", "hi", "wss://127.0.0.1:9/")
        assertExitStatus(refused, 2)
        assertErrorLine(refused, containing: "--passphrase is for the private key of a client certificate")
    }

    /// README's table names every option wscat has, so a wscat user finds what wsc does with it.
    func testReadmeTableCoversEveryWscatOption() throws {
        let readme = try String(contentsOfFile: PackagePaths.root + "/README.md", encoding: .utf8)
        let table = readme.components(separatedBy: "### Coming from wscat")[1].components(separatedBy: "\n## ")[0]
        let wscatOptions = ["-V, --version", "--auth", "--ca", "--cert", "--host", "--key", "--max-redirects",
                            "--no-color", "--passphrase", "--proxy", "--slash", "-c, --connect", "-H, --header",
                            "-j, --json", "-l, --listen", "-L, --location", "-n, --no-check", "-o, --origin",
                            "-p, --protocol", "-P, --show-ping-pong", "-s, --subprotocol", "-w, --wait",
                            "-x, --execute", "-h, --help"]
        for option in wscatOptions {
            XCTAssertTrue(table.contains("| `\(option)"), "README's wscat table has no row for \(option)")
        }
    }
}

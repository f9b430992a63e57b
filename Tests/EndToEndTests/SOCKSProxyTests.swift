import Foundation
import XCTest

/// `--proxy socks5://` and `socks5h://` (RFC 1928, RFC 1929 username/password), also from
/// ALL_PROXY, against a real SOCKS5 proxy (pproxy) and a scripted one that fails on cue.
final class SOCKSProxyTests: EndToEndTestCase {
    func testSocks5ResolvesLocallyAndSocks5hLetsTheProxyResolve() throws {
        let echo = try startServer("echo.py")
        let report = try reportPath()
        let proxy = try startServer("socks_proxy.py", "--report", report)
        let local = try wsc("--proxy", "socks5://127.0.0.1:\(proxy.port)", "-x", "hello", "ws://localhost:\(echo.port)/")
        assertExitStatus(local, 0)
        assertStdout(local, "hello\n")
        let remote = try wsc("--proxy", "socks5h://127.0.0.1:\(proxy.port)", "-x", "hello", "ws://localhost:\(echo.port)/")
        assertExitStatus(remote, 0)
        assertStdout(remote, "hello\n")
        let targets = (waitForFile(report) ?? "").split(separator: "\n").map(String.init)
        XCTAssertEqual(targets.count, 2, "\(targets)")
        XCTAssertTrue(targets.first?.hasPrefix("127.0.0.1:") == true || targets.first?.hasPrefix("::1:") == true,
                      "socks5:// sends an address: \(targets)")
        XCTAssertEqual(targets.last, "localhost:\(echo.port)", "socks5h:// sends the name")
    }

    func testUsernameAndPasswordFromAllProxy() throws {
        let echo = try startServer("echo.py")
        let proxy = try startServer("socks_proxy.py", "--auth", "alice:s3cret")
        let run = try WscRun.run(["-x", "hello", "ws://127.0.0.1:\(echo.port)/"],
                                 environment: ["ALL_PROXY": "socks5h://alice:s3cret@127.0.0.1:\(proxy.port)"])
        assertExitStatus(run, 0)
        assertStdout(run, "hello\n")
    }

    func testWrongPasswordExits3SayingAuthenticationWasRefused() throws {
        let echo = try startServer("echo.py")
        let proxy = try startServer("socks_proxy.py", "--auth", "alice:s3cret")
        let run = try wsc("-r", "--proxy", "socks5://alice:wrong@127.0.0.1:\(proxy.port)", "-x", "hi",
                          "ws://127.0.0.1:\(echo.port)/")
        assertExitStatus(run, 3)
        assertErrorLine(run, containing: "authentication refused")
        XCTAssertFalse(run.stderr.contains("reconnecting"), "-r retried\n\(run.summary)")

        let refusing = try startServer("socks_fault.py", "auth-refused")
        let scripted = try wsc("--proxy", "socks5h://alice:wrong@127.0.0.1:\(refusing.port)", "-x", "hi", "ws://example.invalid/")
        assertExitStatus(scripted, 3)
        assertErrorLine(scripted, containing: "authentication refused")
    }

    func testProxyRequiringAuthenticationSaysSo() throws {
        let proxy = try startServer("socks_fault.py", "no-method")
        let run = try wsc("--proxy", "socks5h://127.0.0.1:\(proxy.port)", "-x", "hi", "ws://example.invalid/")
        assertExitStatus(run, 3)
        assertErrorLine(run, containing: "requires authentication")
    }

    func testEveryReplyCodeIsNamedWithExit3() throws {
        let names = [1: "general SOCKS server failure", 2: "connection not allowed by ruleset", 3: "network unreachable",
                     4: "host unreachable", 5: "connection refused", 6: "TTL expired", 7: "command not supported",
                     8: "address type not supported"]
        for (code, name) in names.sorted(by: { $0.key < $1.key }) {
            let proxy = try startServer("socks_fault.py", "reply", String(code))
            let run = try wsc("--proxy", "socks5h://127.0.0.1:\(proxy.port)", "-x", "hi", "ws://example.invalid:8080/")
            assertExitStatus(run, 3)
            assertErrorLine(run, containing: "\(name) (reply \(code))")
            assertErrorLine(run, containing: "example.invalid:8080")
        }
    }

    func testSilentProxyIsBoundedByTheConnectTimeout() throws {
        let proxy = try startServer("socks_fault.py", "silent")
        let run = try wsc("--connect-timeout", "0.5", "--proxy", "socks5h://127.0.0.1:\(proxy.port)", "-x", "hi",
                          "ws://example.invalid/")
        assertExitStatus(run, 7)
        XCTAssertLessThan(run.elapsed, 3, run.summary)
    }

    /// Engine.IO long-polling opens its HTTP connections through the same stream layer, so the
    /// polling requests and the WebSocket upgrade all go through the proxy.
    func testSocketIOPollingAndItsUpgradeGoThroughTheProxy() throws {
        let peer = try startServer("socketio_server.py", "--transports", "both")
        let report = try reportPath()
        let proxy = try startServer("socks_proxy.py", "--report", report)
        let run = try wsc("--socketio", "--proxy", "socks5h://127.0.0.1:\(proxy.port)", "-x", "chat {\"a\":1}", "-w", "1.5",
                          "http://localhost:\(peer.port)")
        assertExitStatus(run, 0)
        assertStdout(run, "chat {\"a\":1}\n")
        XCTAssertTrue(run.stderr.contains("engine.io: upgraded to WebSocket"), run.summary)
        let targets = (waitForFile(report) ?? "").split(separator: "\n")
        XCTAssertGreaterThanOrEqual(targets.count, 2, "polling and WebSocket connections through the proxy: \(targets)")
        XCTAssertTrue(targets.allSatisfy { $0 == "localhost:\(peer.port)" }, "\(targets)")
    }
}

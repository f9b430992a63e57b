import Foundation
import XCTest

/// wsc against WebSocket servers it did not write, configured as people deploy them, all on
/// 127.0.0.1: node's `ws` with permessage-deflate, websocketd, nginx terminating TLS in front of
/// python-websockets, tornado and aiohttp with their heartbeats and compression. Each test
/// prints the versions it ran against (docs/interop.md lists them). A server that is not
/// installed skips its test on a developer's machine and fails it in CI
/// (`InteropPrerequisites`). Every server is stopped by its pid in tearDown, and every run is
/// bounded, so the whole class takes well under a minute.
final class InteropTests: EndToEndTestCase {
    func testNodeWsWithPerMessageDeflate() throws {
        let node = try InteropPrerequisites.executable("node", debianPackage: "node-ws")
        let ws = try InteropPrerequisites.nodeWsVersion()
        InteropPrerequisites.report("node ws", "ws \(ws), node \(InteropPrerequisites.firstLine(of: node, ["--version"]))")
        let server = try launchServer(
            "node ws", executable: node,
            arguments: [Self.interopFolder + "/ws_echo_server.js", String(Self.messageLimit)],
            environment: ["NODE_PATH": InteropPrerequisites.debianNodeModules], readiness: .printsPort)
        try checkEchoServer(InteropTarget(name: "node ws", url: server.url + "/"),
                            negotiatedExtension: "permessage-deflate", limit: Self.messageLimit)
    }

    /// websocketd turns each line `cat` writes into a text message (binary messages in its
    /// --binary mode). It offers no compression and has no message size limit.
    func testWebsocketdWrappingCat() throws {
        let websocketd = try InteropPrerequisites.executable("websocketd", debianPackage: "websocketd")
        reportWebsocketdVersion(websocketd)
        let lines = try startWebsocketd(websocketd, program: ["cat"])
        let target = InteropTarget(name: "websocketd cat", url: lines.url + "/")
        try checkOneShotEcho(target)
        try checkPipedLinesInOrder(target)
        try checkNegotiatedExtension(target, expected: nil)
        try checkLargeMessageWithoutLimit(target, length: 4 * Self.messageLimit)

        let binary = try startWebsocketd(websocketd, program: ["cat"], binary: true)
        try checkBinaryRoundTrip(InteropTarget(name: "websocketd --binary cat", url: binary.url + "/"))
    }

    /// When its program exits, websocketd ends the session by hanging up, without a close frame:
    /// exit 8 as for any connection that ends without one, worded as the server's doing.
    func testWebsocketdEndingTheSessionWhenItsProgramExits() throws {
        let websocketd = try InteropPrerequisites.executable("websocketd", debianPackage: "websocketd")
        reportWebsocketdVersion(websocketd)
        let server = try startWebsocketd(websocketd, program: [Self.interopFolder + "/tick.sh"])
        let target = InteropTarget(name: "websocketd tick.sh", url: server.url + "/")
        let run = try wsc(target, "-w", "60", timeout: 90)
        check(target, run, status: 8)
        XCTAssertEqual(run.stdoutText, "tick 1\ntick 2\ntick 3\n", "\(target.name)\n\(run.summary)")
        XCTAssertEqual(run.stderrLines.last, "wsc: server closed the connection without sending a close frame",
                       "\(target.name): final status line\n\(run.summary)")
        XCTAssertLessThan(run.elapsed, 60, "the server's hang-up ends wsc, not -w\n\(run.summary)")
    }

    /// nginx terminates TLS (a server certificate from a CA made here, trusted with --ca) and
    /// proxies the upgrade to python-websockets, which negotiates permessage-deflate through it
    /// and closes an oversized message with 1009.
    func testNginxTerminatingTLSInFrontOfPythonWebsockets() throws {
        let nginx = try InteropPrerequisites.executable("nginx", debianPackage: "nginx-light")
        let websockets = try InteropPrerequisites.pythonModuleVersion("websockets", pypiPackage: "websockets")
        let nginxVersion = InteropPrerequisites.debianVersion("nginx-light").map { "nginx-light \($0)" }
            ?? InteropPrerequisites.firstLine(of: nginx, ["-v"])
        InteropPrerequisites.report("nginx TLS proxy", "\(nginxVersion), python-websockets \(websockets), \(pythonVersion)")
        let upstream = try startServer("interop/websockets_echo.py", String(Self.messageLimit))
        let authority = try TLSAuthority.generate(name: "wsc interop CA", in: try temporaryDirectory())
        let proxy = try startNginxProxy(nginx, upstreamPort: upstream.port, certificate: try authority.issueServerCertificate())
        let target = InteropTarget(name: "nginx + python-websockets", url: proxy.secureURL + "/",
                                   options: ["--ca", authority.certificatePath])
        try checkEchoServer(target, negotiatedExtension: "permessage-deflate", limit: Self.messageLimit)
    }

    func testTornadoWithPingsAndCompression() throws {
        let tornado = try InteropPrerequisites.pythonModuleVersion("tornado", attribute: "version", pypiPackage: "tornado")
        InteropPrerequisites.report("tornado", "tornado \(tornado), \(pythonVersion)")
        let server = try startServer("interop/tornado_echo.py", String(Self.messageLimit))
        let target = InteropTarget(name: "tornado", url: server.url + "/")
        try checkEchoServer(target, negotiatedExtension: "permessage-deflate", limit: Self.messageLimit)
        try checkServerHeartbeat(target)
    }

    func testAiohttpWithHeartbeatAndCompression() throws {
        let aiohttp = try InteropPrerequisites.pythonModuleVersion("aiohttp", pypiPackage: "aiohttp")
        InteropPrerequisites.report("aiohttp", "aiohttp \(aiohttp), \(pythonVersion)")
        let server = try startServer("interop/aiohttp_echo.py", String(Self.messageLimit))
        let target = InteropTarget(name: "aiohttp", url: server.url + "/")
        try checkEchoServer(target, negotiatedExtension: "permessage-deflate", limit: Self.messageLimit)
        try checkServerHeartbeat(target)
    }

    private var pythonVersion: String {
        InteropPrerequisites.firstLine(of: PackagePaths.python, ["--version"])
    }

    private func reportWebsocketdVersion(_ websocketd: String) {
        let version = InteropPrerequisites.debianVersion("websocketd").map { "websocketd \($0)" }
            ?? InteropPrerequisites.firstLine(of: websocketd, ["--version"])
        InteropPrerequisites.report("websocketd", version)
    }
}

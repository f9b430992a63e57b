import Foundation
import XCTest

/// Unix domain sockets, client side: `ws+unix:///path.sock:/resource` (wscat's spelling) and
/// `--unix-socket PATH` with a ws:// URL (curl's), against python-websockets' unix_serve.
final class UnixSocketTests: EndToEndTestCase {
    private func socketPath() throws -> String { try temporaryDirectory() + "/s.sock" }

    private func described(_ run: WscRun, file: StaticString = #filePath, line: UInt = #line) throws -> (String, DescribedRequest) {
        let first = try XCTUnwrap(run.stdoutText.split(separator: "\n").first, run.summary, file: file, line: line)
        let object = try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any]
        return (object?["transport"] as? String ?? "", try DescribedRequest(firstMessageOf: run, file: file, line: line))
    }

    func testWsUnixURLConnectsToTheSocketWithItsResource() throws {
        let path = try socketPath()
        _ = try startServer("unix_server.py", path)
        let run = try wsc("-x", "hello", "-w", "2", "ws+unix://\(path):/chat?room=1")
        assertExitStatus(run, 0)
        let (transport, request) = try described(run)
        XCTAssertEqual(transport, "unix")
        XCTAssertEqual(request.path, "/chat?room=1")
        XCTAssertEqual(request.values("Host"), ["localhost"])
        XCTAssertEqual(run.stdoutText.split(separator: "\n").last, "hello")
        XCTAssertTrue(run.stderr.contains("connected to ws+unix://\(path):/chat?room=1"), run.summary)
    }

    func testUnixSocketOptionKeepsTheURLsHostAndPath() throws {
        let path = try socketPath()
        _ = try startServer("unix_server.py", path)
        let run = try wsc("--unix-socket", path, "-x", "hello", "-w", "2", "ws://api.example:8080/v1/stream")
        assertExitStatus(run, 0)
        let (transport, request) = try described(run)
        XCTAssertEqual(transport, "unix")
        XCTAssertEqual(request.path, "/v1/stream")
        XCTAssertEqual(request.values("Host"), ["api.example:8080"])
    }

    func testWssOverAUnixSocketSpeaksTLS() throws {
        let path = try socketPath()
        let certificate = try makeCertificate()
        _ = try startServer("unix_server.py", path, "--tls", certificate.certificatePath, certificate.keyPath)
        let run = try wsc("--ca", certificate.certificatePath, "-x", "hello", "-w", "2", "wss+unix://\(path):/secure")
        assertExitStatus(run, 0)
        let (transport, request) = try described(run)
        XCTAssertEqual(transport, "unix")
        XCTAssertEqual(request.path, "/secure")
    }

    func testMissingSocketExits3NamingIt() throws {
        let path = try socketPath()
        let run = try wsc("-x", "hello", "ws+unix://\(path):/")
        assertExitStatus(run, 3)
        assertErrorLine(run, containing: "cannot connect to Unix socket \(path)")
        assertErrorLine(run, containing: "No such file")
    }

    func testUnixSocketWithProxyIsAUsageError() throws {
        let run = try wsc("--unix-socket", "/tmp/x.sock", "--proxy", "socks5://127.0.0.1:9", "ws://h/")
        assertExitStatus(run, 2)
        let url = try wsc("--proxy", "http://127.0.0.1:9", "ws+unix:///tmp/x.sock:/")
        assertExitStatus(url, 2)
    }
}

import Foundation
import XCTest

/// What wsc puts in its opening handshake, as seen by request_info.py (which answers with one
/// JSON message describing the request, then closes with 1000).
final class RequestHeaderTests: EndToEndTestCase {
    func testURLPathAndQueryAreTheRequestTarget() throws {
        let server = try startServer("request_info.py")
        let request = try describedRequest("\(server.url)/some/path?q=1&r=two")
        XCTAssertEqual(request.path, "/some/path?q=1&r=two")
    }

    func testHostHeaderNamesHostAndPort() throws {
        let server = try startServer("request_info.py")
        let request = try describedRequest(server.url)
        XCTAssertEqual(request.path, "/")
        XCTAssertEqual(request.values("Host"), ["127.0.0.1:\(server.port)"])
    }

    func testCustomHeadersAreSent() throws {
        let server = try startServer("request_info.py")
        let request = try describedRequest(server.url, "-H", "X-Token: abc", "-H", "X-Other: two words")
        XCTAssertEqual(request.values("X-Token"), ["abc"])
        XCTAssertEqual(request.values("X-Other"), ["two words"])
    }

    func testOriginOptionSetsOrigin() throws {
        let server = try startServer("request_info.py")
        let request = try describedRequest(server.url, "-o", "http://origin.test")
        XCTAssertEqual(request.values("Origin"), ["http://origin.test"])
    }

    func testSubprotocolsAreOfferedInOrder() throws {
        let server = try startServer("request_info.py")
        let request = try describedRequest(server.url, "-s", "chat", "-s", "superchat")
        let offered = request.values("Sec-WebSocket-Protocol")
            .flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }
        XCTAssertEqual(offered, ["chat", "superchat"])
    }

    func testAuthOptionSendsBasicCredentials() throws {
        let server = try startServer("request_info.py")
        let request = try describedRequest(server.url, "--auth", "user:secret")
        XCTAssertEqual(request.values("Authorization"), ["Basic " + Data("user:secret".utf8).base64EncodedString()])
    }

    func testCredentialsInTheURLSendBasicCredentials() throws {
        let server = try startServer("request_info.py")
        let request = try describedRequest("ws://user:secret@127.0.0.1:\(server.port)/")
        XCTAssertEqual(request.values("Authorization"), ["Basic " + Data("user:secret".utf8).base64EncodedString()])
    }

    // MARK: - Helpers

    private func describedRequest(
        _ url: String,
        _ options: String...,
        file: StaticString = #filePath,
        line: UInt = #line
    ) throws -> DescribedRequest {
        let run = try WscRun.run(options + ["-x", "hi", "-w", "5", url], file: file, line: line)
        assertExitStatus(run, 0, file: file, line: line)
        return try DescribedRequest(firstMessageOf: run, file: file, line: line)
    }
}

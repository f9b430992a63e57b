import XCTest
@testable import WebSocketCore

final class HTTPHeadParserTests: XCTestCase {
    private let switchingResponse = Array((
        "HTTP/1.1 101 Switching Protocols\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection:Upgrade\r\n"
            + "Sec-WebSocket-Accept: \t s3pPLMBiTxaQ9kYGzzhZRbK+xOo= \t\r\n"
            + "X-Empty:\r\n"
            + "\r\n").utf8)

    private let upgradeRequest = Array((
        "GET /chat?room=1 HTTP/1.1\r\n"
            + "Host: server.example.com\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            + "Sec-WebSocket-Version: 13\r\n"
            + "\r\n").utf8)

    private func assertResponseError(_ text: String, _ expected: HandshakeError,
                                     file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try parseResponseHead(Array(text.utf8)), file: file, line: line) { error in
            XCTAssertEqual(error as? HandshakeError, expected, file: file, line: line)
        }
    }

    private func assertRequestError(_ text: String, _ expected: ServerHandshakeError,
                                    file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try parseRequestHead(Array(text.utf8)), file: file, line: line) { error in
            XCTAssertEqual(error as? ServerHandshakeError, expected, file: file, line: line)
        }
    }

    // MARK: - Responses

    func testParsesStatusLineAndHeadersWithWhitespaceTrimmed() throws {
        let parsed = try XCTUnwrap(try parseResponseHead(switchingResponse))
        XCTAssertEqual(parsed.consumed, switchingResponse.count)
        let head = parsed.0
        XCTAssertEqual(head.version, "HTTP/1.1")
        XCTAssertEqual(head.statusCode, 101)
        XCTAssertEqual(head.reason, "Switching Protocols")
        XCTAssertEqual(head.statusLine, "HTTP/1.1 101 Switching Protocols")
        XCTAssertEqual(head.headers.map(\.name), ["Upgrade", "Connection", "Sec-WebSocket-Accept", "X-Empty"])
        XCTAssertEqual(head.headers.map(\.value), ["websocket", "Upgrade", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", ""])
    }

    func testLeavesBytesAfterTheHeadForTheCaller() throws {
        let frame: [UInt8] = [0x81, 0x05, 0x48, 0x65, 0x6C, 0x6C, 0x6F]
        let parsed = try XCTUnwrap(try parseResponseHead(switchingResponse + frame))
        XCTAssertEqual(parsed.consumed, switchingResponse.count)
        XCTAssertEqual(Array((switchingResponse + frame)[parsed.consumed...]), frame)
    }

    func testReturnsNilForEveryPrefixOfAResponseHead() throws {
        for length in 0..<switchingResponse.count {
            XCTAssertNil(try parseResponseHead(Array(switchingResponse.prefix(length))), "prefix of \(length) bytes")
        }
    }

    func testAcceptsAnEmptyReasonPhrase() throws {
        let withSpace = try XCTUnwrap(try parseResponseHead(Array("HTTP/1.1 101 \r\n\r\n".utf8))).0
        XCTAssertEqual(withSpace.statusCode, 101)
        XCTAssertEqual(withSpace.reason, "")
        let withoutSpace = try XCTUnwrap(try parseResponseHead(Array("HTTP/1.1 404\r\n\r\n".utf8))).0
        XCTAssertEqual(withoutSpace.statusCode, 404)
        XCTAssertEqual(withoutSpace.reason, "")
        XCTAssertEqual(withoutSpace.statusLine, "HTTP/1.1 404")
    }

    func testKeepsReasonPhraseWithSpaces() throws {
        let head = try XCTUnwrap(try parseResponseHead(Array("HTTP/1.0 503 Service Temporarily Unavailable\r\n\r\n".utf8))).0
        XCTAssertEqual(head.version, "HTTP/1.0")
        XCTAssertEqual(head.reason, "Service Temporarily Unavailable")
    }

    func testAcceptsAHeadOfExactlyTheMaximumSize() throws {
        let start = "HTTP/1.1 101 OK\r\nX-Padding: "
        let end = "\r\n\r\n"
        let padding = String(repeating: "a", count: HTTPHeadParser.maximumHeadSize - start.utf8.count - end.utf8.count)
        let bytes = Array((start + padding + end).utf8)
        XCTAssertEqual(bytes.count, HTTPHeadParser.maximumHeadSize)
        XCTAssertEqual(try parseResponseHead(bytes)?.consumed, HTTPHeadParser.maximumHeadSize)
    }

    func testRejectsAHeadLargerThan16KiB() {
        let start = "HTTP/1.1 101 OK\r\nX-Padding: "
        let end = "\r\n\r\n"
        let padding = String(repeating: "a", count: HTTPHeadParser.maximumHeadSize - start.utf8.count - end.utf8.count + 1)
        assertResponseError(start + padding + end, .headTooLarge)
        assertResponseError(start + String(repeating: "a", count: 20_000), .headTooLarge)
    }

    func testRejectsResponseThatIsNotHTTPFromTheFirstByte() {
        assertResponseError("S", .malformedResponse("the response does not start with 'HTTP/' (is this a WebSocket server?)"))
        assertResponseError("SSH-2.0-OpenSSH_9.6\r\n", .malformedResponse("the response does not start with 'HTTP/' (is this a WebSocket server?)"))
    }

    func testRejectsBareLineFeedsEvenBeforeTheHeadIsComplete() {
        assertResponseError("HTTP/1.1 101 OK\n", .malformedResponse("line ends in a bare LF instead of CRLF"))
        assertResponseError("HTTP/1.1 101 OK\r\nUpgrade: websocket\n\n", .malformedResponse("line ends in a bare LF instead of CRLF"))
    }

    func testRejectsCarriageReturnWithoutLineFeed() {
        assertResponseError("HTTP/1.1 101 OK\rUpgrade: websocket\r\n\r\n", .malformedResponse("CR not followed by LF"))
    }

    func testRejectsObsoleteLineFolding() {
        assertResponseError("HTTP/1.1 101 OK\r\nX-Long: a\r\n  continued\r\n\r\n",
                            .malformedResponse("obsolete line folding (a header line starting with whitespace) is not supported"))
    }

    func testRejectsWhitespaceBeforeTheColon() {
        assertResponseError("HTTP/1.1 101 OK\r\nUpgrade : websocket\r\n\r\n", .malformedResponse("invalid header name 'Upgrade '"))
    }

    func testRejectsHeaderNamesWithInvalidTokenCharacters() {
        assertResponseError("HTTP/1.1 101 OK\r\nUp(grade): websocket\r\n\r\n", .malformedResponse("invalid header name 'Up(grade)'"))
        assertResponseError("HTTP/1.1 101 OK\r\n: empty-name\r\n\r\n", .malformedResponse("invalid header name ''"))
    }

    func testRejectsHeaderLineWithoutColon() {
        assertResponseError("HTTP/1.1 101 OK\r\nUpgrade websocket\r\n\r\n", .malformedResponse("header line without ':': 'Upgrade websocket'"))
    }

    func testRejectsControlCharactersInHeaderValues() {
        assertResponseError("HTTP/1.1 101 OK\r\nX-Bad: a\u{01}b\r\n\r\n", .malformedResponse("control character in the value of header 'X-Bad'"))
    }

    func testRejectsInvalidStatusLines() {
        assertResponseError("HTTP/1.1 1O1 OK\r\n\r\n", .malformedResponse("invalid status code in 'HTTP/1.1 1O1 OK'"))
        assertResponseError("HTTP/1.1 1011 OK\r\n\r\n", .malformedResponse("invalid status code in 'HTTP/1.1 1011 OK'"))
        assertResponseError("HTTP/1.1\r\n\r\n", .malformedResponse("status line has no status code"))
        assertResponseError("HTTP/2 101 OK\r\n\r\n", .malformedResponse("invalid HTTP version 'HTTP/2' in the status line"))
        assertResponseError("HTTP/1.1 101 O\u{7F}K\r\n\r\n", .malformedResponse("control character in the status line"))
    }

    // MARK: - Requests

    func testParsesRequestLineAndHeaders() throws {
        let parsed = try XCTUnwrap(try parseRequestHead(upgradeRequest + [0x81]))
        XCTAssertEqual(parsed.consumed, upgradeRequest.count)
        XCTAssertEqual(parsed.0.method, "GET")
        XCTAssertEqual(parsed.0.target, "/chat?room=1")
        XCTAssertEqual(parsed.0.version, "HTTP/1.1")
        XCTAssertEqual(parsed.0.headers["sec-websocket-key"], "dGhlIHNhbXBsZSBub25jZQ==")
        XCTAssertEqual(parsed.0.headers.count, 5)
    }

    func testReturnsNilForEveryPrefixOfARequestHead() throws {
        for length in 0..<upgradeRequest.count {
            XCTAssertNil(try parseRequestHead(Array(upgradeRequest.prefix(length))), "prefix of \(length) bytes")
        }
    }

    func testRejectsMalformedRequestLines() {
        assertRequestError("GET /chat\r\n\r\n", .malformedRequest("request line is not 'METHOD target HTTP/1.1'"))
        assertRequestError("GET  /chat HTTP/1.1\r\n\r\n", .malformedRequest("request line is not 'METHOD target HTTP/1.1'"))
        assertRequestError("G(T /chat HTTP/1.1\r\n\r\n", .malformedRequest("invalid method in the request line"))
        assertRequestError("GET /chat HTTP/1\r\n\r\n", .malformedRequest("invalid HTTP version in the request line"))
        assertRequestError("GET /ch\u{7F}at HTTP/1.1\r\n\r\n", .malformedRequest("invalid request target"))
        assertRequestError("\r\n\r\n", .malformedRequest("request line is not 'METHOD target HTTP/1.1'"))
    }

    func testRejectsMalformedRequestHeaders() {
        assertRequestError("GET / HTTP/1.1\r\nHost : h\r\n\r\n", .malformedRequest("invalid header name 'Host '"))
        assertRequestError("GET / HTTP/1.1\nHost: h\n\n", .malformedRequest("line ends in a bare LF instead of CRLF"))
    }

    func testRejectsARequestHeadLargerThan16KiB() {
        assertRequestError("GET / HTTP/1.1\r\nCookie: " + String(repeating: "c", count: 16_400) + "\r\n\r\n", .headTooLarge)
    }
}

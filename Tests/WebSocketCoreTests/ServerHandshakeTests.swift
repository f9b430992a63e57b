import XCTest
@testable import WebSocketCore

final class ServerHandshakeTests: XCTestCase {
    /// RFC 6455 section 1.2's example request.
    private let rfcRequestLines = [
        "GET /chat HTTP/1.1",
        "Host: server.example.com",
        "Upgrade: websocket",
        "Connection: Upgrade",
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
        "Origin: http://example.com",
        "Sec-WebSocket-Protocol: chat, superchat",
        "Sec-WebSocket-Version: 13",
    ]

    private func request(_ lines: [String]) throws -> HTTPRequestHead {
        let bytes = Array((lines.joined(separator: "\r\n") + "\r\n\r\n").utf8)
        return try XCTUnwrap(try parseRequestHead(bytes)).0
    }

    private func replacing(_ prefix: String, with line: String?) -> [String] {
        rfcRequestLines.compactMap { $0.hasPrefix(prefix) ? line : $0 }
    }

    private func assertRejected(_ lines: [String], _ expected: ServerHandshakeError, status: Int, message: String,
                                file: StaticString = #filePath, line: UInt = #line) throws {
        let head = try request(lines)
        XCTAssertThrowsError(try ServerHandshake(request: head, supportedSubprotocols: ["chat"]), file: file, line: line) { error in
            let error = error as? ServerHandshakeError
            XCTAssertEqual(error, expected, file: file, line: line)
            XCTAssertEqual(error?.statusCode, status, file: file, line: line)
            XCTAssertEqual(error?.reason, message, file: file, line: line)
            let response = String(decoding: error?.rejectionResponseBytes ?? [], as: UTF8.self)
            XCTAssertTrue(response.hasSuffix("\r\n\r\n" + message + "\n"), response, file: file, line: line)
        }
    }

    // MARK: - Accepting

    func testAnswersRFC6455ExampleWithTheClientsFirstSupportedSubprotocol() throws {
        let handshake = try ServerHandshake(request: request(rfcRequestLines), supportedSubprotocols: ["superchat", "chat"])
        XCTAssertEqual(handshake.key, rfcSampleKey)
        XCTAssertEqual(handshake.acceptValue, rfcSampleAccept)
        XCTAssertEqual(handshake.offeredSubprotocols, ["chat", "superchat"])
        XCTAssertEqual(handshake.subprotocol, "chat")
        XCTAssertEqual(handshake.origin, "http://example.com")
        XCTAssertEqual(String(decoding: handshake.responseBytes(), as: UTF8.self),
                       "HTTP/1.1 101 Switching Protocols\r\n"
                           + "Upgrade: websocket\r\n"
                           + "Connection: Upgrade\r\n"
                           + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
                           + "Sec-WebSocket-Protocol: chat\r\n"
                           + "\r\n")
    }

    func testSelectsNoSubprotocolWhenNoneIsSupported() throws {
        let handshake = try ServerHandshake(request: request(rfcRequestLines), supportedSubprotocols: ["mqtt"])
        XCTAssertNil(handshake.subprotocol)
        XCTAssertEqual(String(decoding: handshake.responseBytes(), as: UTF8.self),
                       "HTTP/1.1 101 Switching Protocols\r\n"
                           + "Upgrade: websocket\r\n"
                           + "Connection: Upgrade\r\n"
                           + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
                           + "\r\n")
    }

    func testAcceptsTokensInAnyCaseAndAmongOthers() throws {
        let lines = replacing("Upgrade", with: "upgrade: WebSocket, h2c")
            .map { $0.hasPrefix("Connection") ? "connection: keep-alive, Upgrade" : $0 }
        XCTAssertNoThrow(try ServerHandshake(request: request(lines)))
    }

    func testParsesOfferedExtensionsAndAnswersTheAcceptedOnes() throws {
        let handshake = try ServerHandshake(request: request(rfcRequestLines + [
            "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits, x-foo",
        ]))
        XCTAssertEqual(handshake.offeredExtensions, [
            ExtensionOffer(name: "permessage-deflate", parameters: [("client_max_window_bits", nil)]),
            ExtensionOffer(name: "x-foo"),
        ])
        let accepted = [ExtensionOffer(name: "permessage-deflate", parameters: [("server_no_context_takeover", nil)])]
        XCTAssertEqual(String(decoding: handshake.responseBytes(extensions: accepted), as: UTF8.self),
                       "HTTP/1.1 101 Switching Protocols\r\n"
                           + "Upgrade: websocket\r\n"
                           + "Connection: Upgrade\r\n"
                           + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
                           + "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover\r\n"
                           + "\r\n")
    }

    func testClientAndServerHandshakesAgree() throws {
        let client = try ClientHandshake(url: WebSocketURL(parsing: "ws://[::1]:9000/echo?x=1"),
                                         origin: "http://localhost", subprotocols: ["v2", "v1"],
                                         extensionOffers: [ExtensionOffer(name: "permessage-deflate")])
        let (request, consumed) = try XCTUnwrap(try parseRequestHead(client.requestBytes()))
        XCTAssertEqual(consumed, client.requestBytes().count)
        XCTAssertEqual(request.target, "/echo?x=1")
        XCTAssertEqual(request.headers["Host"], "[::1]:9000")

        let server = try ServerHandshake(request: request, supportedSubprotocols: ["v1", "v2"])
        let response = server.responseBytes(extensions: [ExtensionOffer(name: "permessage-deflate")])
        let (head, _) = try XCTUnwrap(try parseResponseHead(response))
        let result = try client.validate(head)
        XCTAssertEqual(result.subprotocol, "v2")
        XCTAssertEqual(result.extensions, [ExtensionOffer(name: "permessage-deflate")])
    }

    // MARK: - Refusing

    func testRejectsMethodOtherThanGetWithExactResponse() throws {
        let head = try request(["POST /chat HTTP/1.1"] + rfcRequestLines.dropFirst())
        XCTAssertThrowsError(try ServerHandshake(request: head)) { error in
            let error = error as? ServerHandshakeError
            XCTAssertEqual(error, .methodNotGet("POST"))
            XCTAssertEqual(String(decoding: error?.rejectionResponseBytes ?? [], as: UTF8.self),
                           "HTTP/1.1 400 Bad Request\r\n"
                               + "Content-Type: text/plain; charset=utf-8\r\n"
                               + "Content-Length: 45\r\n"
                               + "Connection: close\r\n"
                               + "\r\n"
                               + "a WebSocket handshake must use GET, not POST\n")
        }
    }

    func testAnswersUnsupportedVersionWith426AndTheVersionSpoken() throws {
        let head = try request(replacing("Sec-WebSocket-Version", with: "Sec-WebSocket-Version: 8"))
        XCTAssertThrowsError(try ServerHandshake(request: head)) { error in
            let error = error as? ServerHandshakeError
            XCTAssertEqual(error, .unsupportedWebSocketVersion("8"))
            XCTAssertEqual(String(decoding: error?.rejectionResponseBytes ?? [], as: UTF8.self),
                           "HTTP/1.1 426 Upgrade Required\r\n"
                               + "Sec-WebSocket-Version: 13\r\n"
                               + "Content-Type: text/plain; charset=utf-8\r\n"
                               + "Content-Length: 70\r\n"
                               + "Connection: close\r\n"
                               + "\r\n"
                               + "unsupported Sec-WebSocket-Version '8' (this server speaks version 13)\n")
        }
    }

    func testAnswersMissingVersionWith426() throws {
        try assertRejected(replacing("Sec-WebSocket-Version", with: nil), .unsupportedWebSocketVersion(""), status: 426,
                           message: "the request lacks Sec-WebSocket-Version (this server speaks version 13)")
    }

    func testAnswersSeveralVersionsWith426() throws {
        try assertRejected(replacing("Sec-WebSocket-Version", with: "Sec-WebSocket-Version: 13, 8"),
                           .unsupportedWebSocketVersion("13, 8"), status: 426,
                           message: "unsupported Sec-WebSocket-Version '13, 8' (this server speaks version 13)")
    }

    func testRejectsHTTP1Point0() throws {
        try assertRejected(["GET /chat HTTP/1.0"] + rfcRequestLines.dropFirst(), .unsupportedHTTPVersion("HTTP/1.0"),
                           status: 400, message: "a WebSocket handshake needs HTTP/1.1, not HTTP/1.0")
    }

    func testRejectsMissingHost() throws {
        try assertRejected(replacing("Host", with: nil), .missingHost, status: 400,
                           message: "the request must have exactly one Host header")
    }

    func testRejectsTwoHostHeaders() throws {
        try assertRejected(rfcRequestLines + ["Host: other.example.com"], .missingHost, status: 400,
                           message: "the request must have exactly one Host header")
    }

    func testRejectsPlainHTTPRequestWithoutUpgrade() throws {
        try assertRejected(replacing("Upgrade", with: nil), .missingUpgrade, status: 400,
                           message: "this is a WebSocket endpoint; the request lacks 'Upgrade: websocket'")
    }

    func testRejectsUpgradeToAnotherProtocol() throws {
        try assertRejected(replacing("Upgrade", with: "Upgrade: h2c"), .missingUpgrade, status: 400,
                           message: "this is a WebSocket endpoint; the request lacks 'Upgrade: websocket'")
    }

    func testRejectsConnectionWithoutUpgradeToken() throws {
        try assertRejected(replacing("Connection", with: "Connection: keep-alive"), .missingConnectionUpgrade,
                           status: 400, message: "the request lacks 'Connection: Upgrade'")
    }

    func testRejectsMissingKey() throws {
        try assertRejected(replacing("Sec-WebSocket-Key", with: nil), .missingKey, status: 400,
                           message: "the request lacks Sec-WebSocket-Key")
    }

    func testRejectsKeyThatIsNotSixteenBytes() throws {
        // "the sample nonc": 15 bytes.
        try assertRejected(replacing("Sec-WebSocket-Key", with: "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25j"),
                           .invalidKey("dGhlIHNhbXBsZSBub25j"), status: 400,
                           message: "Sec-WebSocket-Key 'dGhlIHNhbXBsZSBub25j' is not the base64 of 16 bytes")
        try assertRejected(replacing("Sec-WebSocket-Key", with: "Sec-WebSocket-Key: not base64!"),
                           .invalidKey("not base64!"), status: 400,
                           message: "Sec-WebSocket-Key 'not base64!' is not the base64 of 16 bytes")
    }

    func testRejectsTwoKeys() throws {
        try assertRejected(rfcRequestLines + ["Sec-WebSocket-Key: AAECAwQFBgcICQoLDA0ODw=="],
                           .invalidKey("dGhlIHNhbXBsZSBub25jZQ==, AAECAwQFBgcICQoLDA0ODw=="), status: 400,
                           message: "Sec-WebSocket-Key 'dGhlIHNhbXBsZSBub25jZQ==, AAECAwQFBgcICQoLDA0ODw==' is not the base64 of 16 bytes")
    }

    func testRejectsMalformedExtensionOffers() throws {
        try assertRejected(rfcRequestLines + ["Sec-WebSocket-Extensions: permessage-deflate;;"],
                           .invalidExtensionHeader("expected a parameter name at offset 19, found ';'"), status: 400,
                           message: "invalid Sec-WebSocket-Extensions header: expected a parameter name at offset 19, found ';'")
    }

    func testParserErrorsCarryARejectionResponse() {
        XCTAssertThrowsError(try parseRequestHead(Array("GET /\r\n\r\n".utf8))) { error in
            let error = error as? ServerHandshakeError
            XCTAssertEqual(error?.statusCode, 400)
            XCTAssertEqual(error?.reason, "malformed request: request line is not 'METHOD target HTTP/1.1'")
            XCTAssertTrue(String(decoding: error?.rejectionResponseBytes ?? [], as: UTF8.self).hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
        }
        XCTAssertEqual(ServerHandshakeError.headTooLarge.reason, "request head is larger than 16384 bytes")
    }

    func testRejectionBodyCannotCarryLineBreaks() {
        let bytes = ServerHandshakeError.malformedRequest("a\r\nInjected: 1").rejectionResponseBytes
        XCTAssertTrue(String(decoding: bytes, as: UTF8.self).hasSuffix("\r\n\r\nmalformed request: a??Injected: 1\n"))
    }
}

import XCTest
@testable import WebSocketCore

final class ClientHandshakeValidationTests: XCTestCase {
    private func handshake(subprotocols: [String] = [], extensionOffers: [ExtensionOffer] = []) throws -> ClientHandshake {
        var generator = HandshakeFixedBytesGenerator("the sample nonce")
        return try ClientHandshake(url: WebSocketURL(parsing: "ws://server.example.com/chat"),
                                   subprotocols: subprotocols, extensionOffers: extensionOffers, using: &generator)
    }

    /// Parses a response written as lines; the blank line and CRLFs are added here.
    private func head(_ lines: [String], body: String = "") throws -> (HTTPResponseHead, ArraySlice<UInt8>) {
        let bytes = Array((lines.joined(separator: "\r\n") + "\r\n\r\n" + body).utf8)
        let parsed = try XCTUnwrap(try parseResponseHead(bytes))
        return (parsed.0, bytes[parsed.consumed...])
    }

    private let acceptedLines = [
        "HTTP/1.1 101 Switching Protocols",
        "Upgrade: websocket",
        "Connection: Upgrade",
        "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=",
    ]

    private func assertRejected(_ lines: [String], body: String = "", subprotocols: [String] = [],
                                extensionOffers: [ExtensionOffer] = [], _ expected: HandshakeError,
                                message: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let client = try handshake(subprotocols: subprotocols, extensionOffers: extensionOffers)
        let (response, rest) = try head(lines, body: body)
        XCTAssertThrowsError(try client.validate(response, body: rest), file: file, line: line) { error in
            XCTAssertEqual(error as? HandshakeError, expected, file: file, line: line)
            XCTAssertEqual((error as? HandshakeError)?.description, message, file: file, line: line)
        }
    }

    // MARK: - Accepted answers

    func testAcceptsRFC6455ExampleAnswer() throws {
        let (response, _) = try head(acceptedLines)
        let result = try handshake().validate(response)
        XCTAssertNil(result.subprotocol)
        XCTAssertEqual(result.extensions, [])
        XCTAssertEqual(result.headers, response.headers)
    }

    func testAcceptsUpgradeAndConnectionTokensInAnyCase() throws {
        let (response, _) = try head([
            "HTTP/1.1 101 Switching Protocols",
            "upgrade: WebSocket",
            "connection: keep-alive, UPGRADE",
            "sec-websocket-accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=",
        ])
        XCTAssertNoThrow(try handshake().validate(response))
    }

    func testReportsTheSelectedSubprotocolAndAcceptedExtensions() throws {
        let deflate = ExtensionOffer(name: "permessage-deflate", parameters: [("client_max_window_bits", nil)])
        let (response, _) = try head(acceptedLines + [
            "Sec-WebSocket-Protocol: superchat",
            "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; client_max_window_bits=10",
        ])
        let result = try handshake(subprotocols: ["chat", "superchat"], extensionOffers: [deflate]).validate(response)
        XCTAssertEqual(result.subprotocol, "superchat")
        XCTAssertEqual(result.extensions, [
            ExtensionOffer(name: "permessage-deflate",
                           parameters: [("server_no_context_takeover", nil), ("client_max_window_bits", "10")]),
        ])
    }

    func testTreatsAnEmptySubprotocolHeaderAsNoSelection() throws {
        let (response, _) = try head(acceptedLines + ["Sec-WebSocket-Protocol: "])
        XCTAssertNil(try handshake().validate(response).subprotocol)
    }

    // MARK: - Status

    func testRejectsForbiddenStatusQuotingTheBody() throws {
        try assertRejected(["HTTP/1.1 403 Forbidden", "Content-Type: text/plain"], body: "forbidden: bad token\n",
                           .unexpectedStatus(statusLine: "HTTP/1.1 403 Forbidden", location: nil, bodyExcerpt: "forbidden: bad token"),
                           message: "handshake rejected: 403 Forbidden: forbidden: bad token")
    }

    func testRejectsRedirectNamingTheLocation() throws {
        try assertRejected(["HTTP/1.1 301 Moved Permanently", "Location: wss://example.com/chat", "Content-Length: 0"],
                           .unexpectedStatus(statusLine: "HTTP/1.1 301 Moved Permanently",
                                             location: "wss://example.com/chat", bodyExcerpt: ""),
                           message: "handshake rejected: 301 Moved Permanently (Location: wss://example.com/chat)")
    }

    func testRejectedStatusExposesCodeLocationAndRetryAfter() throws {
        let (response, rest) = try head(["HTTP/1.1 503 Service Unavailable", "Retry-After: 30"], body: "busy")
        XCTAssertThrowsError(try handshake().validate(response, body: rest)) { error in
            let error = error as? HandshakeError
            XCTAssertEqual(error?.statusCode, 503)
            XCTAssertNil(error?.location)
            XCTAssertEqual(error?.description, "handshake rejected: 503 Service Unavailable (Retry-After: 30): busy")
        }
        XCTAssertEqual(response.retryAfterSeconds, 30)

        let (redirect, _) = try head(["HTTP/1.1 307 Temporary Redirect", "Location: /elsewhere"])
        XCTAssertThrowsError(try handshake().validate(redirect)) { error in
            XCTAssertEqual((error as? HandshakeError)?.statusCode, 307)
            XCTAssertEqual((error as? HandshakeError)?.location, "/elsewhere")
        }
        XCTAssertNil(HandshakeError.missingAccept.statusCode)
        XCTAssertNil(HandshakeError.missingAccept.location)
    }

    func testRejectionNamesTheHeadersThatSayWhatToDoNext() throws {
        try assertRejected(["HTTP/1.1 401 Unauthorized", "WWW-Authenticate: Basic realm=\"chat\"", "Content-Type: text/plain"],
                           body: "login first",
                           .unexpectedStatus(statusLine: "HTTP/1.1 401 Unauthorized", location: nil,
                                             bodyExcerpt: "login first",
                                             notableHeaders: ["WWW-Authenticate: Basic realm=\"chat\""]),
                           message: "handshake rejected: 401 Unauthorized (WWW-Authenticate: Basic realm=\"chat\"): login first")
        try assertRejected(["HTTP/1.1 426 Upgrade Required", "Sec-WebSocket-Version: 13, 8"],
                           .unexpectedStatus(statusLine: "HTTP/1.1 426 Upgrade Required", location: nil, bodyExcerpt: "",
                                             notableHeaders: ["Sec-WebSocket-Version: 13, 8"]),
                           message: "handshake rejected: 426 Upgrade Required (Sec-WebSocket-Version: 13, 8)")
        try assertRejected(["HTTP/1.1 307 Temporary Redirect", "Location: /b", "Retry-After: 5"],
                           .unexpectedStatus(statusLine: "HTTP/1.1 307 Temporary Redirect", location: "/b", bodyExcerpt: "",
                                             notableHeaders: ["Retry-After: 5"]),
                           message: "handshake rejected: 307 Temporary Redirect (Location: /b; Retry-After: 5)")
    }

    func testRejectedStatusWithEmptyReasonShowsTheCode() throws {
        try assertRejected(["HTTP/1.1 404"],
                           .unexpectedStatus(statusLine: "HTTP/1.1 404", location: nil, bodyExcerpt: ""),
                           message: "handshake rejected: 404")
    }

    func testBodyExcerptDropsControlCharactersAndJoinsLines() throws {
        try assertRejected(["HTTP/1.1 401 Unauthorized"], body: "\u{1B}[31mLogin\u{7}  required\r\n\r\n\tsee docs\u{0}\n",
                           .unexpectedStatus(statusLine: "HTTP/1.1 401 Unauthorized", location: nil,
                                             bodyExcerpt: "[31mLogin required see docs"),
                           message: "handshake rejected: 401 Unauthorized: [31mLogin required see docs")
    }

    func testBodyExcerptIsCutAtTwoHundredCharacters() throws {
        let body = String(repeating: "é", count: 150) + String(repeating: "x", count: 150)
        let expected = String(repeating: "é", count: 150) + String(repeating: "x", count: 50) + "…"
        try assertRejected(["HTTP/1.1 500 Internal Server Error"], body: body,
                           .unexpectedStatus(statusLine: "HTTP/1.1 500 Internal Server Error", location: nil, bodyExcerpt: expected),
                           message: "handshake rejected: 500 Internal Server Error: " + expected)
    }

    func testBodyExcerptLooksAtABoundedPrefixOfHugeBodies() throws {
        let body = String(repeating: "\n", count: 5000) + "hidden"
        try assertRejected(["HTTP/1.1 500 Internal Server Error"], body: body,
                           .unexpectedStatus(statusLine: "HTTP/1.1 500 Internal Server Error", location: nil, bodyExcerpt: ""),
                           message: "handshake rejected: 500 Internal Server Error")
    }

    func testBodyExcerptQuotesTheFirstChunkOfAChunkedBody() throws {
        try assertRejected(["HTTP/1.1 429 Too Many Requests", "Transfer-Encoding: chunked"],
                           body: "18;ext=1\r\n{\"error\":\"rate limited\"}\r\n0\r\n\r\n",
                           .unexpectedStatus(statusLine: "HTTP/1.1 429 Too Many Requests", location: nil,
                                             bodyExcerpt: "{\"error\":\"rate limited\"}"),
                           message: "handshake rejected: 429 Too Many Requests: {\"error\":\"rate limited\"}")
    }

    // MARK: - Protocol rules for a 101

    func testRejectsHTTPVersionOtherThan1Point1() throws {
        try assertRejected(["HTTP/1.0 101 Switching Protocols"] + acceptedLines.dropFirst(),
                           .unsupportedHTTPVersion("HTTP/1.0"),
                           message: "server answered the upgrade with HTTP/1.0; a WebSocket handshake needs HTTP/1.1")
    }

    func testRejectsMissingUpgradeHeader() throws {
        try assertRejected(acceptedLines.filter { !$0.hasPrefix("Upgrade") }, .missingUpgrade,
                           message: "server response lacks 'Upgrade: websocket' (is this a WebSocket endpoint?)")
    }

    func testRejectsUpgradeToAnotherProtocol() throws {
        try assertRejected(acceptedLines.map { $0.hasPrefix("Upgrade") ? "Upgrade: h2c" : $0 }, .unexpectedUpgrade("h2c"),
                           message: "server response has 'Upgrade: h2c', expected 'websocket'")
    }

    func testRejectsConnectionWithoutUpgradeToken() throws {
        try assertRejected(acceptedLines.map { $0.hasPrefix("Connection") ? "Connection: keep-alive, upgraded" : $0 },
                           .missingConnectionUpgrade, message: "server response lacks 'Connection: Upgrade'")
    }

    func testRejectsMissingConnectionHeader() throws {
        try assertRejected(acceptedLines.filter { !$0.hasPrefix("Connection") },
                           .missingConnectionUpgrade, message: "server response lacks 'Connection: Upgrade'")
    }

    func testRejectsMissingAccept() throws {
        try assertRejected(Array(acceptedLines.dropLast()), .missingAccept,
                           message: "server response lacks the Sec-WebSocket-Accept header")
    }

    func testRejectsAcceptMismatchShowingExpectedAndGot() throws {
        try assertRejected(Array(acceptedLines.dropLast()) + ["Sec-WebSocket-Accept: AAAAAAAAAAAAAAAAAAAAAAAAAAA="],
                           .acceptMismatch(expected: rfcSampleAccept, got: "AAAAAAAAAAAAAAAAAAAAAAAAAAA="),
                           message: "Sec-WebSocket-Accept mismatch: expected 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=', got 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=' (a proxy or cache may have answered for another request)")
    }

    func testRejectsRepeatedAcceptHeaders() throws {
        try assertRejected(acceptedLines + ["Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="],
                           .acceptMismatch(expected: rfcSampleAccept, got: rfcSampleAccept + ", " + rfcSampleAccept),
                           message: "Sec-WebSocket-Accept mismatch: expected 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=', got 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=, s3pPLMBiTxaQ9kYGzzhZRbK+xOo=' (a proxy or cache may have answered for another request)")
    }

    func testRejectsSubprotocolTheClientDidNotOffer() throws {
        try assertRejected(acceptedLines + ["Sec-WebSocket-Protocol: superchat"], subprotocols: ["chat"],
                           .unofferedSubprotocol("superchat"),
                           message: "server selected subprotocol 'superchat', which the client did not offer")
    }

    func testRejectsSubprotocolThatDiffersOnlyInCase() throws {
        try assertRejected(acceptedLines + ["Sec-WebSocket-Protocol: Chat"], subprotocols: ["chat"],
                           .unofferedSubprotocol("Chat"),
                           message: "server selected subprotocol 'Chat', which the client did not offer")
    }

    func testRejectsSubprotocolWhenNoneWasOffered() throws {
        try assertRejected(acceptedLines + ["Sec-WebSocket-Protocol: chat"], .unsolicitedSubprotocol("chat"),
                           message: "server selected subprotocol 'chat' although the client offered none")
    }

    func testRejectsMoreThanOneSubprotocolValue() throws {
        try assertRejected(acceptedLines + ["Sec-WebSocket-Protocol: chat", "Sec-WebSocket-Protocol: superchat"],
                           subprotocols: ["chat", "superchat"], .multipleSubprotocols(["chat", "superchat"]),
                           message: "server selected more than one subprotocol: chat, superchat")
        try assertRejected(acceptedLines + ["Sec-WebSocket-Protocol: chat, superchat"],
                           subprotocols: ["chat", "superchat"], .multipleSubprotocols(["chat", "superchat"]),
                           message: "server selected more than one subprotocol: chat, superchat")
    }

    func testRejectsExtensionTheClientDidNotOffer() throws {
        try assertRejected(acceptedLines + ["Sec-WebSocket-Extensions: permessage-deflate"],
                           .unofferedExtension("permessage-deflate"),
                           message: "server accepted extension 'permessage-deflate', which the client did not offer")
        try assertRejected(acceptedLines + ["Sec-WebSocket-Extensions: permessage-deflate, x-other"],
                           extensionOffers: [ExtensionOffer(name: "permessage-deflate")],
                           .unofferedExtension("x-other"),
                           message: "server accepted extension 'x-other', which the client did not offer")
    }

    func testRejectsMalformedExtensionHeader() throws {
        try assertRejected(acceptedLines + ["Sec-WebSocket-Extensions: permessage-deflate; =10"],
                           extensionOffers: [ExtensionOffer(name: "permessage-deflate")],
                           .invalidExtensionHeader("expected a parameter name at offset 20, found '='"),
                           message: "server sent an invalid Sec-WebSocket-Extensions header: expected a parameter name at offset 20, found '='")
    }

    func testDescribesParserErrors() {
        XCTAssertEqual(HandshakeError.headTooLarge.description, "handshake response head is larger than 16384 bytes")
        XCTAssertEqual(HandshakeError.malformedResponse("CR not followed by LF").description,
                       "malformed handshake response: CR not followed by LF")
    }
}

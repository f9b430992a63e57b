import XCTest
@testable import WebSocketCore

final class ClientHandshakeRequestTests: XCTestCase {
    /// A handshake whose key is RFC 6455's example key.
    private func handshake(_ url: String, origin: String? = nil, subprotocols: [String] = [],
                           extensionOffers: [ExtensionOffer] = [], headers: [(String, String)] = [],
                           credentials: BasicCredentials? = nil) throws -> ClientHandshake {
        var generator = HandshakeFixedBytesGenerator("the sample nonce")
        return try ClientHandshake(url: WebSocketURL(parsing: url), origin: origin, subprotocols: subprotocols,
                                   extensionOffers: extensionOffers, headers: headers, credentials: credentials,
                                   using: &generator)
    }

    private func request(_ handshake: ClientHandshake) -> String {
        String(decoding: handshake.requestBytes(), as: UTF8.self)
    }

    private func assertRejected(_ expected: HandshakeRequestError, message: String, url: String = "ws://h/",
                                origin: String? = nil, subprotocols: [String] = [],
                                extensionOffers: [ExtensionOffer] = [], headers: [(String, String)] = [],
                                file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try handshake(url, origin: origin, subprotocols: subprotocols,
                                           extensionOffers: extensionOffers, headers: headers),
                             file: file, line: line) { error in
            XCTAssertEqual(error as? HandshakeRequestError, expected, file: file, line: line)
            XCTAssertEqual((error as? HandshakeRequestError)?.description, message, file: file, line: line)
        }
    }

    // MARK: - Key and accept

    func testAcceptValueMatchesRFC6455Example() {
        XCTAssertEqual(ClientHandshake.acceptValue(forKey: rfcSampleKey), rfcSampleAccept)
    }

    func testKeyIsBase64OfSixteenGeneratorBytes() throws {
        var generator = HandshakeFixedBytesGenerator(Array(0...15))
        let handshake = try ClientHandshake(url: WebSocketURL(parsing: "ws://h/"), using: &generator)
        XCTAssertEqual(handshake.key, "AAECAwQFBgcICQoLDA0ODw==")
        XCTAssertEqual(try self.handshake("ws://h/").key, rfcSampleKey)
    }

    func testSystemGeneratorGivesFreshSixteenByteKeys() throws {
        let url = try WebSocketURL(parsing: "ws://h/")
        let first = try ClientHandshake(url: url)
        let second = try ClientHandshake(url: url)
        XCTAssertEqual(Base64.decode(first.key)?.count, 16)
        XCTAssertEqual(first.key.count, 24)
        XCTAssertNotEqual(first.key, second.key)
    }

    // MARK: - Request bytes

    func testBuildsMinimalRequest() throws {
        XCTAssertEqual(request(try handshake("ws://example.com/chat")),
                       "GET /chat HTTP/1.1\r\n"
                           + "Host: example.com\r\n"
                           + "Upgrade: websocket\r\n"
                           + "Connection: Upgrade\r\n"
                           + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                           + "Sec-WebSocket-Version: 13\r\n"
                           + "\r\n")
    }

    func testHostCarriesPortOnlyWhenNotDefault() throws {
        XCTAssertTrue(request(try handshake("ws://example.com:9001/")).contains("\r\nHost: example.com:9001\r\n"))
        XCTAssertTrue(request(try handshake("ws://example.com:80/")).contains("\r\nHost: example.com\r\n"))
        XCTAssertTrue(request(try handshake("wss://example.com:443/")).contains("\r\nHost: example.com\r\n"))
        XCTAssertTrue(request(try handshake("ws://example.com:443/")).contains("\r\nHost: example.com:443\r\n"))
        XCTAssertTrue(request(try handshake("https://example.com:80/")).contains("\r\nHost: example.com:80\r\n"))
    }

    func testBracketsIPv6HostAndKeepsQueryVerbatim() throws {
        XCTAssertEqual(request(try handshake("ws://[::1]:9000/feed?since=%2A&x")),
                       "GET /feed?since=%2A&x HTTP/1.1\r\n"
                           + "Host: [::1]:9000\r\n"
                           + "Upgrade: websocket\r\n"
                           + "Connection: Upgrade\r\n"
                           + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                           + "Sec-WebSocket-Version: 13\r\n"
                           + "\r\n")
    }

    func testBuildsFullRequestWithEveryOption() throws {
        let handshake = try handshake(
            "wss://Aladdin:open%20sesame@server.example.com/chat",
            origin: "http://example.com",
            subprotocols: ["chat", "superchat"],
            extensionOffers: [ExtensionOffer(name: "permessage-deflate", parameters: [("client_max_window_bits", nil)])],
            headers: [("X-Token", "abc"), ("Cookie", "a=b; c=d")])
        XCTAssertEqual(request(handshake),
                       "GET /chat HTTP/1.1\r\n"
                           + "Host: server.example.com\r\n"
                           + "Upgrade: websocket\r\n"
                           + "Connection: Upgrade\r\n"
                           + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                           + "Sec-WebSocket-Version: 13\r\n"
                           + "Origin: http://example.com\r\n"
                           + "Sec-WebSocket-Protocol: chat, superchat\r\n"
                           + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
                           + "Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==\r\n"
                           + "X-Token: abc\r\n"
                           + "Cookie: a=b; c=d\r\n"
                           + "\r\n")
    }

    func testSendsCredentialsFromTheURL() throws {
        let handshake = try handshake("ws://user:p%40ss@h/")
        XCTAssertEqual(handshake.credentials, BasicCredentials(user: "user", password: "p@ss"))
        XCTAssertTrue(request(handshake).contains("\r\nAuthorization: Basic dXNlcjpwQHNz\r\n"))
    }

    func testExplicitCredentialsReplaceThoseFromTheURL() throws {
        let handshake = try handshake("ws://user:pass@h/", credentials: BasicCredentials(user: "Aladdin", password: "open sesame"))
        XCTAssertTrue(request(handshake).contains("\r\nAuthorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==\r\n"))
        XCTAssertFalse(request(handshake).contains("dXNlcjpwYXNz"))
    }

    func testUserAuthorizationHeaderSuppressesBasicCredentials() throws {
        let text = request(try handshake("ws://user:pass@h/", headers: [("authorization", "Bearer t0ken")]))
        XCTAssertTrue(text.hasSuffix("Sec-WebSocket-Version: 13\r\nauthorization: Bearer t0ken\r\n\r\n"))
        XCTAssertFalse(text.contains("Basic"))
    }

    func testUserHostHeaderReplacesTheGeneratedOneInPlace() throws {
        XCTAssertEqual(request(try handshake("ws://127.0.0.1:8080/", headers: [("X-A", "1"), ("host", "api.example.com")])),
                       "GET / HTTP/1.1\r\n"
                           + "Host: api.example.com\r\n"
                           + "Upgrade: websocket\r\n"
                           + "Connection: Upgrade\r\n"
                           + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                           + "Sec-WebSocket-Version: 13\r\n"
                           + "X-A: 1\r\n"
                           + "\r\n")
    }

    func testUserOriginHeaderReplacesTheOriginOption() throws {
        let text = request(try handshake("ws://h/", origin: "http://a.example", headers: [("Origin", "http://b.example")]))
        XCTAssertFalse(text.contains("a.example"))
        XCTAssertTrue(text.hasSuffix("Sec-WebSocket-Version: 13\r\nOrigin: http://b.example\r\n\r\n"))
    }

    func testHybi08AsksForVersion8AndSendsTheOriginAsSecWebSocketOrigin() throws {
        var handshake = try handshake("ws://h/", origin: "http://a.example")
        handshake.version = .hybi08
        XCTAssertEqual(request(handshake),
                       "GET / HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                           + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n"
                           + "Sec-WebSocket-Origin: http://a.example\r\n\r\n")
    }

    func testKeepsRepeatedUserHeadersInOrder() throws {
        let text = request(try handshake("ws://h/", headers: [("X-B", "2"), ("X-A", "1"), ("X-B", "3")]))
        XCTAssertTrue(text.hasSuffix("Sec-WebSocket-Version: 13\r\nX-B: 2\r\nX-A: 1\r\nX-B: 3\r\n\r\n"))
    }

    // MARK: - Refused input

    func testRefusesOverridingHandshakeHeaders() {
        assertRejected(.reservedHeader("Upgrade"),
                       message: "header 'Upgrade' is part of the WebSocket handshake and cannot be set by hand",
                       headers: [("Upgrade", "websocket")])
        assertRejected(.reservedHeader("connection"),
                       message: "header 'connection' is part of the WebSocket handshake and cannot be set by hand",
                       headers: [("connection", "close")])
        assertRejected(.reservedHeader("Sec-WebSocket-Key"),
                       message: "header 'Sec-WebSocket-Key' is part of the WebSocket handshake and cannot be set by hand",
                       headers: [("Sec-WebSocket-Key", rfcSampleKey)])
        assertRejected(.reservedHeader("SEC-WEBSOCKET-VERSION"),
                       message: "header 'SEC-WEBSOCKET-VERSION' is part of the WebSocket handshake and cannot be set by hand",
                       headers: [("SEC-WEBSOCKET-VERSION", "8")])
        assertRejected(.reservedHeader("Sec-WebSocket-Protocol"),
                       message: "header 'Sec-WebSocket-Protocol' is part of the WebSocket handshake and cannot be set by hand (offer subprotocols through the subprotocol option instead)",
                       headers: [("Sec-WebSocket-Protocol", "chat")])
        assertRejected(.reservedHeader("Sec-WebSocket-Extensions"),
                       message: "header 'Sec-WebSocket-Extensions' is part of the WebSocket handshake and cannot be set by hand (extensions are negotiated through their own options)",
                       headers: [("Sec-WebSocket-Extensions", "permessage-deflate")])
    }

    func testRefusesLineBreaksInHeaderValues() {
        assertRejected(.invalidHeaderValue(name: "X-Evil"),
                       message: "the value of header 'X-Evil' contains a line break or control character",
                       headers: [("X-Evil", "a\r\nInjected: yes")])
        assertRejected(.invalidHeaderValue(name: "X-Evil"),
                       message: "the value of header 'X-Evil' contains a line break or control character",
                       headers: [("X-Evil", "a\nb")])
        assertRejected(.invalidHeaderValue(name: "X-Nul"),
                       message: "the value of header 'X-Nul' contains a line break or control character",
                       headers: [("X-Nul", "a\u{0}b")])
        assertRejected(.invalidHeaderValue(name: "Origin"),
                       message: "the value of header 'Origin' contains a line break or control character",
                       origin: "http://a\r\nX: y")
    }

    func testRefusesInvalidHeaderNames() {
        assertRejected(.invalidHeaderName("X-Evil\r\nInjected"),
                       message: "invalid header name 'X-Evil??Injected' (expected letters, digits and !#$%&'*+-.^_`|~)",
                       headers: [("X-Evil\r\nInjected", "1")])
        assertRejected(.invalidHeaderName("X Space"),
                       message: "invalid header name 'X Space' (expected letters, digits and !#$%&'*+-.^_`|~)",
                       headers: [("X Space", "1")])
        assertRejected(.invalidHeaderName("X:"),
                       message: "invalid header name 'X:' (expected letters, digits and !#$%&'*+-.^_`|~)",
                       headers: [("X:", "1")])
        assertRejected(.invalidHeaderName(""),
                       message: "invalid header name '' (expected letters, digits and !#$%&'*+-.^_`|~)",
                       headers: [("", "1")])
    }

    func testAllowsTabsInHeaderValues() throws {
        XCTAssertTrue(request(try handshake("ws://h/", headers: [("X-Tab", "a\tb")])).contains("\r\nX-Tab: a\tb\r\n"))
    }

    func testRefusesTwoHostHeaders() {
        assertRejected(.duplicateHeader("HOST"), message: "header 'HOST' is given more than once",
                       headers: [("Host", "a"), ("HOST", "b")])
    }

    func testRefusesSubprotocolsThatAreNotUniqueTokens() {
        assertRejected(.invalidSubprotocol("a b"),
                       message: "invalid subprotocol 'a b' (expected a token: no spaces, commas or quotes)",
                       subprotocols: ["a b"])
        assertRejected(.invalidSubprotocol("a,b"),
                       message: "invalid subprotocol 'a,b' (expected a token: no spaces, commas or quotes)",
                       subprotocols: ["a,b"])
        assertRejected(.invalidSubprotocol(""),
                       message: "invalid subprotocol '' (expected a token: no spaces, commas or quotes)",
                       subprotocols: [""])
        assertRejected(.duplicateSubprotocol("chat"), message: "subprotocol 'chat' is offered more than once",
                       subprotocols: ["chat", "v2", "chat"])
    }

    func testRefusesMalformedExtensionOffers() {
        assertRejected(.invalidExtensionOffer(#"x; p="a b""#),
                       message: #"invalid extension offer 'x; p="a b"' (names and values must be tokens)"#,
                       extensionOffers: [ExtensionOffer(name: "x", parameters: [("p", "a b")])])
    }

    func testRefusesResourceThatWouldBreakTheRequestLine() throws {
        var url = try WebSocketURL(parsing: "ws://h/")
        url.resource = "/a b HTTP/1.1\r\nX: y"
        XCTAssertThrowsError(try ClientHandshake(url: url)) { error in
            XCTAssertEqual(error as? HandshakeRequestError, .invalidResource("/a b HTTP/1.1\r\nX: y"))
            XCTAssertEqual((error as? HandshakeRequestError)?.description,
                           "invalid request path '/a b HTTP/1.1??X: y' (must start with '/' and contain no spaces or control characters)")
        }
        url.resource = "chat"
        XCTAssertThrowsError(try ClientHandshake(url: url)) { error in
            XCTAssertEqual(error as? HandshakeRequestError, .invalidResource("chat"))
        }
    }

    func testRefusesHostThatWouldInjectHeaders() throws {
        var url = try WebSocketURL(parsing: "ws://h/")
        url.host = "h\r\nX-Injected: 1"
        XCTAssertThrowsError(try ClientHandshake(url: url)) { error in
            XCTAssertEqual(error as? HandshakeRequestError, .invalidHeaderValue(name: "Host"))
        }
    }
}

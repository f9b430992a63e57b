import XCTest
@testable import WebSocketCore

final class WebSocketURLTests: XCTestCase {
    private struct Valid {
        let text: String
        let isSecure: Bool
        let host: String
        let port: UInt16
        let resource: String
        let hostHeader: String
        let description: String
        var credentials: BasicCredentials? = nil
    }

    private let validTable: [Valid] = [
        Valid(text: "ws://example.com", isSecure: false, host: "example.com", port: 80, resource: "/",
              hostHeader: "example.com", description: "ws://example.com/"),
        Valid(text: "wss://example.com/chat", isSecure: true, host: "example.com", port: 443, resource: "/chat",
              hostHeader: "example.com", description: "wss://example.com/chat"),
        Valid(text: "WSS://Example.com:8443/a/b?x=1&y=%20#frag", isSecure: true, host: "Example.com", port: 8443,
              resource: "/a/b?x=1&y=%20", hostHeader: "Example.com:8443",
              description: "wss://Example.com:8443/a/b?x=1&y=%20"),
        Valid(text: "http://h:8080/", isSecure: false, host: "h", port: 8080, resource: "/",
              hostHeader: "h:8080", description: "ws://h:8080/"),
        Valid(text: "HTTPS://h", isSecure: true, host: "h", port: 443, resource: "/",
              hostHeader: "h", description: "wss://h/"),
        Valid(text: "ws://h?q=1", isSecure: false, host: "h", port: 80, resource: "/?q=1",
              hostHeader: "h", description: "ws://h/?q=1"),
        Valid(text: "ws://h#frag", isSecure: false, host: "h", port: 80, resource: "/",
              hostHeader: "h", description: "ws://h/"),
        Valid(text: "ws://h/a%2Fb/%7e?q=%41", isSecure: false, host: "h", port: 80, resource: "/a%2Fb/%7e?q=%41",
              hostHeader: "h", description: "ws://h/a%2Fb/%7e?q=%41"),
        Valid(text: "ws://127.0.0.1:9001/päth", isSecure: false, host: "127.0.0.1", port: 9001, resource: "/päth",
              hostHeader: "127.0.0.1:9001", description: "ws://127.0.0.1:9001/päth"),
        Valid(text: "ws://[::1]:9000/", isSecure: false, host: "::1", port: 9000, resource: "/",
              hostHeader: "[::1]:9000", description: "ws://[::1]:9000/"),
        Valid(text: "wss://[2001:db8::1]/x", isSecure: true, host: "2001:db8::1", port: 443, resource: "/x",
              hostHeader: "[2001:db8::1]", description: "wss://[2001:db8::1]/x"),
        Valid(text: "ws://[::ffff:192.0.2.1]", isSecure: false, host: "::ffff:192.0.2.1", port: 80, resource: "/",
              hostHeader: "[::ffff:192.0.2.1]", description: "ws://[::ffff:192.0.2.1]/"),
        Valid(text: "ws://h:80/", isSecure: false, host: "h", port: 80, resource: "/",
              hostHeader: "h", description: "ws://h/"),
        Valid(text: "ws://h:443/", isSecure: false, host: "h", port: 443, resource: "/",
              hostHeader: "h:443", description: "ws://h:443/"),
        Valid(text: "wss://h:80/", isSecure: true, host: "h", port: 80, resource: "/",
              hostHeader: "h:80", description: "wss://h:80/"),
        Valid(text: "ws://h:00080", isSecure: false, host: "h", port: 80, resource: "/",
              hostHeader: "h", description: "ws://h/"),
        Valid(text: "ws://h:65535", isSecure: false, host: "h", port: 65535, resource: "/",
              hostHeader: "h:65535", description: "ws://h:65535/"),
        Valid(text: "ws://user:p%40ss@h/", isSecure: false, host: "h", port: 80, resource: "/",
              hostHeader: "h", description: "ws://h/",
              credentials: BasicCredentials(user: "user", password: "p@ss")),
        Valid(text: "ws://us%C3%A9r:pa:ss@h:81", isSecure: false, host: "h", port: 81, resource: "/",
              hostHeader: "h:81", description: "ws://h:81/",
              credentials: BasicCredentials(user: "usér", password: "pa:ss")),
        Valid(text: "ws://user@h", isSecure: false, host: "h", port: 80, resource: "/",
              hostHeader: "h", description: "ws://h/",
              credentials: BasicCredentials(user: "user", password: "")),
        Valid(text: "ws://a@b:c@d@h/", isSecure: false, host: "h", port: 80, resource: "/",
              hostHeader: "h", description: "ws://h/",
              credentials: BasicCredentials(user: "a@b", password: "c@d")),
        Valid(text: "ws://@h/", isSecure: false, host: "h", port: 80, resource: "/",
              hostHeader: "h", description: "ws://h/"),
        Valid(text: "wss://user:pw@[::1]:9443/", isSecure: true, host: "::1", port: 9443, resource: "/",
              hostHeader: "[::1]:9443", description: "wss://[::1]:9443/",
              credentials: BasicCredentials(user: "user", password: "pw")),
    ]

    func testParsesValidURLTable() throws {
        for row in validTable {
            let url = try WebSocketURL(parsing: row.text)
            XCTAssertEqual(url.isSecure, row.isSecure, row.text)
            XCTAssertEqual(url.host, row.host, row.text)
            XCTAssertEqual(url.port, row.port, row.text)
            XCTAssertEqual(url.resource, row.resource, row.text)
            XCTAssertEqual(url.hostHeader, row.hostHeader, row.text)
            XCTAssertEqual(url.description, row.description, row.text)
            XCTAssertEqual(url.credentials, row.credentials, row.text)
        }
    }

    private let invalidTable: [(String, WebSocketURLError, String)] = [
        ("", .empty, "the URL is empty (expected ws://host[:port]/path or wss://…)"),
        ("ftp://h/", .unsupportedScheme("ftp"), "unsupported scheme 'ftp' (use ws://, wss://, or ws+unix:// for a Unix socket)"),
        ("ws+unix://:/x", .missingUnixSocketPath, "the URL names no Unix socket (expected ws+unix:///path/to.sock:/resource)"),
        ("localhost:8080", .missingScheme("localhost:8080"),
         "missing scheme in 'localhost:8080' (use ws://localhost:8080 or wss://localhost:8080)"),
        ("example.com/chat", .missingScheme("example.com/chat"),
         "missing scheme in 'example.com/chat' (use ws://example.com/chat or wss://example.com/chat)"),
        ("ws:example.com", .missingScheme("ws:example.com"),
         "missing scheme in 'ws:example.com' (use ws://example.com or wss://example.com)"),
        ("localhost:80/?next=ws://x", .missingScheme("localhost:80/?next=ws://x"),
         "missing scheme in 'localhost:80/?next=ws://x' (use ws://localhost:80/?next=ws://x or wss://localhost:80/?next=ws://x)"),
        ("://h/", .missingScheme("://h/"), "missing scheme in '://h/' (use ws://h/ or wss://h/)"),
        ("ws://", .missingHost, "the URL has no host (expected ws://host[:port]/path)"),
        ("ws:///path", .missingHost, "the URL has no host (expected ws://host[:port]/path)"),
        ("ws://:9000/", .missingHost, "the URL has no host (expected ws://host[:port]/path)"),
        ("ws://user:pw@/x", .missingHost, "the URL has no host (expected ws://host[:port]/path)"),
        ("ws://h:abc/", .invalidPort("abc"), "invalid port 'abc' (expected a number from 1 to 65535)"),
        ("ws://h:0", .invalidPort("0"), "invalid port '0' (expected a number from 1 to 65535)"),
        ("ws://h:65536", .invalidPort("65536"), "invalid port '65536' (expected a number from 1 to 65535)"),
        ("ws://h:-1", .invalidPort("-1"), "invalid port '-1' (expected a number from 1 to 65535)"),
        ("ws://h:99999999999999999999999", .invalidPort("99999999999999999999999"),
         "invalid port '99999999999999999999999' (expected a number from 1 to 65535)"),
        ("ws://h:/", .invalidPort(""), "missing port number after ':' (expected a number from 1 to 65535)"),
        ("ws://[::1]x/", .invalidPort("x"), "invalid port 'x' (expected a number from 1 to 65535)"),
        ("ws://[::1]:0/", .invalidPort("0"), "invalid port '0' (expected a number from 1 to 65535)"),
        ("ws://[::1:9000/", .unterminatedIPv6Literal("[::1:9000"), "unterminated IPv6 address '[::1:9000' (missing ']')"),
        ("ws://[zz]/", .invalidHost("zz"), "invalid host 'zz'"),
        ("ws://::1/", .unbracketedIPv6Address("::1"), "IPv6 address '::1' must be in brackets, as in ws://[::1]:9000/"),
        ("ws://ho^st/", .invalidHost("ho^st"), "invalid host 'ho^st'"),
        ("ws://bücher.de/", .invalidHost("bücher.de"),
         "invalid host 'bücher.de': non-ASCII host names must be written in their xn-- (punycode) form"),
        ("ws://exa mple.com/", .invalidCharacter(" ", offset: 8),
         "the URL contains a space at offset 8 (percent-encode it as %20)"),
        (" ws://h/", .invalidCharacter(" ", offset: 0), "the URL contains a space at offset 0 (percent-encode it as %20)"),
        ("ws://h/\n", .invalidCharacter("\n", offset: 7),
         "the URL contains whitespace or a control character (U+000A) at offset 7; percent-encode it"),
        ("ws://h/a\tb", .invalidCharacter("\t", offset: 8),
         "the URL contains whitespace or a control character (U+0009) at offset 8; percent-encode it"),
        ("ws://h/\u{7F}", .invalidCharacter("\u{7F}", offset: 7),
         "the URL contains whitespace or a control character (U+007F) at offset 7; percent-encode it"),
        ("ws://h/\u{A0}", .invalidCharacter("\u{A0}", offset: 7),
         "the URL contains whitespace or a control character (U+00A0) at offset 7; percent-encode it"),
        ("ws://us%zzer:pw@h/", .invalidCredentials, "invalid percent-encoding in the user:password part of the URL"),
        ("ws://user:%FF@h/", .invalidCredentials, "invalid percent-encoding in the user:password part of the URL"),
        ("ws://user:secret%4@h/", .invalidCredentials, "invalid percent-encoding in the user:password part of the URL"),
    ]

    func testRejectsInvalidURLTableWithMessages() {
        for (text, expected, message) in invalidTable {
            XCTAssertThrowsError(try WebSocketURL(parsing: text), "'\(text)'") { error in
                XCTAssertEqual(error as? WebSocketURLError, expected, "'\(text)'")
                XCTAssertEqual((error as? WebSocketURLError)?.description, message, "'\(text)'")
            }
        }
    }

    func testErrorForBadCredentialsDoesNotQuoteThePassword() {
        XCTAssertThrowsError(try WebSocketURL(parsing: "ws://user:hunter2%zz@h/")) { error in
            XCTAssertFalse(String(describing: error).contains("hunter2"))
        }
    }

    func testDescriptionOmitsCredentials() throws {
        let url = try WebSocketURL(parsing: "wss://alice:hunter2@example.com:8443/feed")
        XCTAssertEqual(url.description, "wss://example.com:8443/feed")
        XCTAssertFalse(String(describing: url.credentials).contains("hunter2"))
    }

    func testDefaultPortDependsOnScheme() throws {
        XCTAssertTrue(try WebSocketURL(parsing: "ws://h:80").isDefaultPort)
        XCTAssertFalse(try WebSocketURL(parsing: "ws://h:443").isDefaultPort)
        XCTAssertTrue(try WebSocketURL(parsing: "wss://h:443").isDefaultPort)
        XCTAssertFalse(try WebSocketURL(parsing: "wss://h:80").isDefaultPort)
    }

    func testMemberwiseInitialiserDefaultsPortFromScheme() {
        XCTAssertEqual(WebSocketURL(isSecure: true, host: "h").port, 443)
        XCTAssertEqual(WebSocketURL(isSecure: false, host: "h").port, 80)
        XCTAssertEqual(WebSocketURL(isSecure: false, host: "::1", port: 9000, resource: "/x").description,
                       "ws://[::1]:9000/x")
    }

    func testBasicCredentialsBuildAuthorizationValue() {
        // RFC 7617 section 2.
        let credentials = BasicCredentials(user: "Aladdin", password: "open sesame")
        XCTAssertEqual(credentials.authorizationHeaderValue, "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")
    }

    func testBasicCredentialsParsePercentEncodedUserinfo() throws {
        XCTAssertEqual(try BasicCredentials(parsing: "Aladdin:open%20sesame"),
                       BasicCredentials(user: "Aladdin", password: "open sesame"))
        XCTAssertEqual(try BasicCredentials(parsing: "only-user"), BasicCredentials(user: "only-user", password: ""))
        XCTAssertEqual(try BasicCredentials(parsing: "a:b:c"), BasicCredentials(user: "a", password: "b:c"))
    }

    func testBasicCredentialsDescriptionHidesPassword() {
        XCTAssertEqual(BasicCredentials(user: "alice", password: "hunter2").description, "alice:<hidden>")
    }
}

final class UnixSocketURLTests: XCTestCase {
    func testSocketPathThenResource() throws {
        let url = try WebSocketURL(parsing: "ws+unix:///tmp/s.sock:/chat?room=1#top")
        XCTAssertEqual(url.unixSocketPath, "/tmp/s.sock")
        XCTAssertEqual(url.resource, "/chat?room=1")
        XCTAssertEqual(url.host, "localhost")
        XCTAssertEqual(url.hostHeader, "localhost")
        XCTAssertFalse(url.isSecure)
        XCTAssertEqual(url.description, "ws+unix:///tmp/s.sock:/chat?room=1")
    }

    func testResourceDefaultsToSlash() throws {
        XCTAssertEqual(try WebSocketURL(parsing: "ws+unix:///run/app.sock").resource, "/")
        XCTAssertEqual(try WebSocketURL(parsing: "ws+unix:///run/app.sock:").resource, "/")
        XCTAssertEqual(try WebSocketURL(parsing: "ws+unix:///run/app.sock:?x=1").resource, "/?x=1")
    }

    func testSecureVariantSpeaksTLS() throws {
        let url = try WebSocketURL(parsing: "WSS+UNIX:///run/app.sock:/x")
        XCTAssertTrue(url.isSecure)
        XCTAssertEqual(url.port, 443)
        XCTAssertEqual(url.unixSocketPath, "/run/app.sock")
    }

    func testMissingPathIsAnError() {
        XCTAssertThrowsError(try WebSocketURL(parsing: "ws+unix://:/chat")) { error in
            XCTAssertEqual(error as? WebSocketURLError, .missingUnixSocketPath)
        }
    }

    func testPlainURLsHaveNoSocket() throws {
        XCTAssertNil(try WebSocketURL(parsing: "ws://h/").unixSocketPath)
    }
}

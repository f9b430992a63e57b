import XCTest
import WebSocketCore
@testable import WebSocketTransport

final class ProxyConfigurationTests: XCTestCase {
    private func url(_ text: String) throws -> WebSocketURL { try WebSocketURL(parsing: text) }

    func testSecureURLsUseHTTPSProxyAndPlainOnesHTTPProxy() throws {
        let config = ProxyConfiguration(explicit: nil, environment: [
            "https_proxy": "http://secure-proxy:3128", "HTTP_PROXY": "plain-proxy:8080",
        ])
        XCTAssertEqual(try config.proxy(for: url("wss://example.com/"))?.host, "secure-proxy")
        let plain = try config.proxy(for: url("ws://example.com/"))
        XCTAssertEqual(plain?.host, "plain-proxy")
        XCTAssertEqual(plain?.port, 8080)
    }

    func testNoProxyMatchesHostsAndDomainSuffixes() throws {
        let config = ProxyConfiguration(explicit: nil, environment: [
            "http_proxy": "http://proxy:3128", "no_proxy": "localhost, .internal.example,10.0.0.1",
        ])
        XCTAssertNil(try config.proxy(for: url("ws://localhost:9000/")))
        XCTAssertNil(try config.proxy(for: url("ws://api.internal.example/")))
        XCTAssertNil(try config.proxy(for: url("ws://internal.example/")))
        XCTAssertNil(try config.proxy(for: url("ws://10.0.0.1/")))
        XCTAssertNotNil(try config.proxy(for: url("ws://notinternal.example/")))
    }

    func testExplicitProxyWinsOverNoProxy() throws {
        let config = ProxyConfiguration(explicit: "http://p:1", environment: ["no_proxy": "*"])
        XCTAssertEqual(try config.proxy(for: url("ws://localhost/"))?.host, "p")
    }

    func testHTTPSProxyIsRefusedClearly() throws {
        let config = ProxyConfiguration(explicit: "https://p:1")
        XCTAssertThrowsError(try config.proxy(for: url("ws://x/"))) { error in
            XCTAssertTrue("\(error)".contains("only http:// proxies"))
        }
    }

    func testConnectRequestNamesTheTargetAndProxyCredentials() throws {
        let bytes = ProxyTunnel.connectRequest(to: try url("wss://example.com/chat"), proxy: try url("http://u:p@proxy:3128"))
        XCTAssertEqual(String(decoding: bytes, as: UTF8.self),
                       "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\nProxy-Authorization: Basic dTpw\r\n\r\n")
    }
}

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
            XCTAssertTrue("\(error)".contains("unsupported proxy scheme 'https'"), "\(error)")
        }
    }

    func testSOCKSProxiesFromTheOptionAndAllProxy() throws {
        let explicit = try ProxyConfiguration(explicit: "socks5h://u:p@proxy").proxy(for: url("wss://x/"))
        XCTAssertEqual(explicit, ProxyEndpoint(kind: .socks5(resolvesNames: true), host: "proxy", port: 1080,
                                               credentials: BasicCredentials(user: "u", password: "p")))
        let all = ProxyConfiguration(explicit: nil, environment: ["ALL_PROXY": "socks5://[::1]:9050", "no_proxy": "local"])
        XCTAssertEqual(try all.proxy(for: url("ws://x/")), ProxyEndpoint(kind: .socks5(resolvesNames: false), host: "::1", port: 9050))
        XCTAssertNil(try all.proxy(for: url("ws://local/")))
        let specific = ProxyConfiguration(explicit: nil, environment: ["all_proxy": "socks5://a:1", "http_proxy": "http://b:2"])
        XCTAssertEqual(try specific.proxy(for: url("ws://x/"))?.host, "b")
        XCTAssertEqual(try specific.proxy(for: url("wss://x/"))?.host, "a")
        XCTAssertEqual(try ProxyEndpoint(parsing: "socks5://h:80").port, 80)
        XCTAssertEqual(try ProxyEndpoint(parsing: "http://h").port, 80)
    }

    func testUnixSocketURLsAreNeverProxied() throws {
        let config = ProxyConfiguration(explicit: nil, environment: ["all_proxy": "socks5://a:1"])
        XCTAssertNil(try config.proxy(for: url("ws+unix:///run/s.sock:/x")))
    }

    func testUnsupportedProxySchemesAreNamed() {
        XCTAssertThrowsError(try ProxyEndpoint(parsing: "socks4://h:1080")) { error in
            XCTAssertTrue("\(error)".contains("socks4"), "\(error)")
        }
    }

    func testConnectRequestNamesTheTargetAndProxyCredentials() throws {
        let bytes = HTTPConnectHandshake(target: try url("wss://example.com/chat"),
                                         proxy: try ProxyEndpoint(parsing: "http://u:p@proxy:3128")).request
        XCTAssertEqual(String(decoding: bytes, as: UTF8.self),
                       "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\nProxy-Authorization: Basic dTpw\r\n\r\n")
    }
}

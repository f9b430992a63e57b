import XCTest
import WebSocketCore

final class RedirectPolicyTests: XCTestCase {
    private func url(_ text: String) -> WebSocketURL { try! WebSocketURL(parsing: text) }
    private let secrets: [(name: String, value: String)] = [
        ("Authorization", "Bearer t"), ("X-Other", "kept"), ("cookie", "a=1"),
    ]

    func testFollowsOnlyTheRedirectStatuses() {
        let policy = RedirectPolicy()
        for status in [301, 302, 303, 307, 308] { XCTAssertTrue(policy.isRedirect(status: status), "\(status)") }
        for status in [200, 300, 304, 305, 400, 403] { XCTAssertFalse(policy.isRedirect(status: status), "\(status)") }
    }

    func testOriginIsSchemeHostAndPort() {
        XCTAssertTrue(RedirectPolicy.isSameOrigin(url("ws://Example.COM/a"), url("ws://example.com:80/b")))
        XCTAssertTrue(RedirectPolicy.isSameOrigin(url("wss://h/"), url("https://h:443/")))
        XCTAssertFalse(RedirectPolicy.isSameOrigin(url("ws://h:8080/"), url("ws://h:8081/")))
        XCTAssertFalse(RedirectPolicy.isSameOrigin(url("wss://h:8080/"), url("ws://h:8080/")))
        XCTAssertFalse(RedirectPolicy.isSameOrigin(url("ws://h/"), url("ws://other/")))
    }

    func testSecretsStayOnTheGivenOrigin() {
        let given = url("ws://user:pw@h:8080/")
        let same = RedirectPolicy.request(to: url("ws://h:8080/next"), given: given, headers: secrets, credentials: nil)
        XCTAssertEqual(same.headers.map(\.name), ["Authorization", "X-Other", "cookie"])
        XCTAssertEqual(same.credentials, BasicCredentials(user: "user", password: "pw"))

        for other in ["ws://h:8081/", "wss://h:8080/", "ws://elsewhere:8080/"] {
            let stripped = RedirectPolicy.request(to: url(other), given: given, headers: secrets,
                                                  credentials: BasicCredentials(user: "a", password: "b"))
            XCTAssertEqual(stripped.headers.map(\.name), ["X-Other"], other)
            XCTAssertNil(stripped.credentials, other)
        }
    }

    func testAuthOptionWinsOnTheGivenOriginAndLocationCredentialsAreUsedElsewhere() {
        let given = url("ws://user:pw@h/")
        let auth = BasicCredentials(user: "a", password: "b")
        XCTAssertEqual(RedirectPolicy.request(to: given, given: given, headers: [], credentials: auth).credentials, auth)
        let handedOut = RedirectPolicy.request(to: url("ws://x:y@other/"), given: given, headers: [], credentials: auth)
        XCTAssertEqual(handedOut.credentials, BasicCredentials(user: "x", password: "y"))
    }

    func testTargetResolvesTheLocation() {
        let policy = RedirectPolicy(maxRedirects: 3)
        XCTAssertEqual(try policy.target(location: "/b", from: url("ws://h:9/a"), hopsSoFar: 0).get(), url("ws://h:9/b"))
        XCTAssertEqual(try policy.target(location: "ws://h/", from: url("ws://h:9/a"), hopsSoFar: 2).get(), url("ws://h/"))
    }

    func testRefusals() {
        let policy = RedirectPolicy(maxRedirects: 2)
        let current = url("wss://h/")
        XCTAssertEqual(policy.target(location: nil, from: current, hopsSoFar: 0), .failure(.missingLocation))
        XCTAssertEqual(policy.target(location: "", from: current, hopsSoFar: 0), .failure(.missingLocation))
        XCTAssertEqual(policy.target(location: "/x", from: current, hopsSoFar: 2), .failure(.tooManyRedirects(2)))
        guard case .failure(.invalidLocation("ftp://h/", _)) = policy.target(location: "ftp://h/", from: current, hopsSoFar: 0) else {
            return XCTFail("ftp:// accepted")
        }
        XCTAssertEqual(policy.target(location: "ws://h/", from: current, hopsSoFar: 0),
                       .failure(.insecureRedirect(from: current, to: url("ws://h/"))))
        XCTAssertEqual(policy.target(location: "http://h/", from: current, hopsSoFar: 0),
                       .failure(.insecureRedirect(from: current, to: url("ws://h/"))))
    }

    func testInsecureRedirectIsFollowedWhenAllowed() {
        let policy = RedirectPolicy(allowsInsecureRedirect: true)
        XCTAssertEqual(try policy.target(location: "ws://h/", from: url("wss://h/"), hopsSoFar: 0).get(), url("ws://h/"))
    }

    func testUpgradeToTLSIsFollowed() {
        XCTAssertEqual(try RedirectPolicy().target(location: "wss://h/", from: url("ws://h/"), hopsSoFar: 0).get(),
                       url("wss://h/"))
    }
}

import XCTest
@testable import WebSocketCore

final class RedirectTargetTests: XCTestCase {
    private let base = try! WebSocketURL(parsing: "ws://user:pw@example.com:8080/a/b?x=1")

    func testAbsoluteLocationIsParsedAsItIs() throws {
        let next = try RedirectTarget.resolve("https://other.example/socket", relativeTo: base)
        XCTAssertTrue(next.isSecure)
        XCTAssertEqual(next.host, "other.example")
        XCTAssertEqual(next.port, 443)
        XCTAssertEqual(next.resource, "/socket")
    }

    func testPathReplacesTheResourceAndDropsCredentials() throws {
        let next = try RedirectTarget.resolve("/new?y=2", relativeTo: base)
        XCTAssertEqual(next.host, "example.com")
        XCTAssertEqual(next.port, 8080)
        XCTAssertEqual(next.resource, "/new?y=2")
        XCTAssertNil(next.credentials)
    }

    func testRelativeReferenceResolvesAgainstTheDirectory() throws {
        XCTAssertEqual(try RedirectTarget.resolve("c", relativeTo: base).resource, "/a/c")
    }

    func testSchemeRelativeLocationKeepsTheScheme() throws {
        let next = try RedirectTarget.resolve("//elsewhere:9/x", relativeTo: base)
        XCTAssertEqual(next.host, "elsewhere")
        XCTAssertEqual(next.port, 9)
        XCTAssertFalse(next.isSecure)
    }
}

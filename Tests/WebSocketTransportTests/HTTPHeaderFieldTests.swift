import XCTest
@testable import WebSocketTransport

final class HTTPHeaderFieldTests: XCTestCase {
    func testParsesNameAndTrimmedValue() {
        XCTAssertEqual(HTTPHeaderField(parsing: "X-Token:  abc def "), HTTPHeaderField(name: "X-Token", value: "abc def"))
        XCTAssertEqual(HTTPHeaderField(parsing: "Empty:"), HTTPHeaderField(name: "Empty", value: ""))
    }

    func testRejectsMissingColonBadNamesAndLineBreaks() {
        XCTAssertNil(HTTPHeaderField(parsing: "no colon"))
        XCTAssertNil(HTTPHeaderField(parsing: ": value"))
        XCTAssertNil(HTTPHeaderField(parsing: "Bad Name: v"))
        XCTAssertNil(HTTPHeaderField(parsing: "X: a\r\nInjected: yes"))
    }
}

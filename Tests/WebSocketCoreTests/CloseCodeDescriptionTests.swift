import XCTest
import WebSocketCore

final class CloseCodeDescriptionTests: XCTestCase {
    func testNamesTheRegisteredCodesAndQuotesTheReason() {
        XCTAssertEqual(CloseCode.describe(1000, reason: ""), "1000 normal closure")
        XCTAssertEqual(CloseCode.describe(1001, reason: "bye"), "1001 going away \"bye\"")
        XCTAssertEqual(CloseCode.describe(4000, reason: "custom"), "4000 \"custom\"")
        XCTAssertEqual(CloseCode.describe(nil, reason: ""), "no status code")
    }

    func testReservedAndApplicationCodesHaveNoName() {
        for code: UInt16 in [1004, 1005, 1006, 1015, 3000, 4999] {
            XCTAssertNil(CloseCode.name(of: code), "\(code)")
        }
    }
}

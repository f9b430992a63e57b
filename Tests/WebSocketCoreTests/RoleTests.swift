import XCTest
@testable import WebSocketCore

final class RoleTests: XCTestCase {
    func testClientMasksAndServerExpectsMasks() {
        XCTAssertTrue(Role.client.masksOutgoingFrames)
        XCTAssertFalse(Role.client.expectsMaskedIncomingFrames)
        XCTAssertTrue(Role.server.expectsMaskedIncomingFrames)
    }
}

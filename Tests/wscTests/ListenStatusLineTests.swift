import XCTest
import WebSocketTransport
@testable import wsc

/// Listen mode's status line for a client whose connection ended: it names the client.
final class ListenStatusLineTests: XCTestCase {
    func testASocketFailureNamesTheClient() {
        let line = ListenSession.describe(.abnormalClosure(.transportFailed(.io("Connection reset by peer"))), client: 2)
        XCTAssertTrue(line.hasPrefix("client 2: "), line)
        XCTAssertTrue(line.contains("Connection reset by peer"), line)
    }

    func testAHangUpWithoutACloseFrameNamesTheClient() {
        XCTAssertEqual(ListenSession.describe(.abnormalClosure(.peerEndedStream), client: 3),
                       "client 3 closed the connection without sending a close frame")
    }
}

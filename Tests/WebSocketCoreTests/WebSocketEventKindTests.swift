import XCTest
import WebSocketCore

/// Which events are data, and which are messages rather than endings: the transport and the
/// sessions route on these.
final class WebSocketEventKindTests: XCTestCase {
    private let all: [(WebSocketEvent, isData: Bool, isMessage: Bool)] = [
        (.text(Array("hi".utf8)), true, true),
        (.binary([0, 1]), true, true),
        (.ping([]), false, true),
        (.pong([7]), false, true),
        (.closed(code: 1000, reason: "", initiatedByPeer: true), false, false),
        (.protocolViolation(.reservedBitsSet(0x40)), false, false),
        (.abnormalClosure, false, false),
    ]

    func testDataIsTextAndBinaryOnly() {
        for (event, isData, _) in all { XCTAssertEqual(event.isData, isData, "\(event)") }
    }

    func testMessagesAreEverythingButTheEndings() {
        for (event, _, isMessage) in all { XCTAssertEqual(event.isMessage, isMessage, "\(event)") }
    }
}

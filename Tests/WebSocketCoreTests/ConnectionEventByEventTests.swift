import XCTest
@testable import WebSocketCore

/// `receive(_:into:stoppingAfterEvent:)`: the application answers a message before a violation
/// later in the same read closes the connection (Autobahn 3.2–3.4, 4.1.3–4.2.5, 5.15 strictly).
final class ConnectionEventByEventTests: XCTestCase {
    /// Feeds `bytes` event by event, calling `react` after each call, as the transport does.
    private func feedEventByEvent(_ connection: inout WebSocketConnection, _ bytes: [UInt8],
                                  react: (inout WebSocketConnection, [WebSocketEvent]) -> Void) -> [Int] {
        var consumed: [Int] = []
        bytes.withUnsafeBytes { raw in
            var offset = 0
            repeat {
                var events: [WebSocketEvent] = []
                let count = connection.receive(UnsafeRawBufferPointer(rebasing: raw[offset...]), into: &events,
                                               stoppingAfterEvent: true)
                consumed.append(count)
                offset += count
                react(&connection, events)
            } while offset < raw.count
        }
        return consumed
    }

    private func echo(_ connection: inout WebSocketConnection, _ events: [WebSocketEvent]) {
        for case let .text(payload) in events {
            XCTAssertNoThrow(try connection.sendText(String(decoding: payload, as: UTF8.self)))
        }
    }

    func testEchoOfAMessageLeavesBeforeTheCloseOfALaterViolation() {
        // Autobahn 4.1.3: a text message, a frame with reserved opcode 5, a ping, in one read.
        var connection = openConnection(.client)
        var seen: [WebSocketEvent] = []
        let consumed = feedEventByEvent(&connection, hex("81 05 48 65 6c 6c 6f") + hex("85 00") + hex("89 00")) { connection, events in
            seen += events
            echo(&connection, events)
        }
        XCTAssertEqual(consumed, [7, 4])
        XCTAssertEqual(seen, [.text(utf8("Hello")), .protocolViolation(.unknownOpcode(5))])
        XCTAssertEqual(connection.drainOutgoing(), hex("81 85 00 00 00 00 48 65 6c 6c 6f") + hex("88 82 00 00 00 00 03 ea"))
    }

    func testReceivingEverythingAtOnceReportsTheViolationWithTheMessage() {
        var connection = openConnection(.client)
        XCTAssertEqual(connection.feed(hex("81 05 48 65 6c 6c 6f") + hex("85 00")),
                       [.text(utf8("Hello")), .protocolViolation(.unknownOpcode(5))])
        XCTAssertThrowsError(try connection.sendText("Hello"))
        XCTAssertEqual(connection.drainOutgoing(), hex("88 82 00 00 00 00 03 ea"))
    }

    func testStopsAfterEachMessageAndControlFrame() {
        var connection = openConnection(.client)
        var seen: [[WebSocketEvent]] = []
        let stream = hex("81 01 61") + hex("89 00") + hex("01 01 62") + hex("80 01 63") + hex("82 00") + hex("81 01")
        let consumed = feedEventByEvent(&connection, stream) { _, events in seen.append(events) }
        XCTAssertEqual(consumed, [3, 2, 6, 2, 2])
        XCTAssertEqual(seen, [[.text(utf8("a"))], [.ping([])], [.text(utf8("bc"))], [.binary([])], []])
        // The last frame's header is kept; its payload completes it.
        XCTAssertEqual(connection.feed(hex("64")), [.text(utf8("d"))])
    }

    func testAClosedConnectionConsumesEverything() {
        var connection = openConnection(.client)
        var events: [WebSocketEvent] = []
        let close = hex("88 02 03 e8") + hex("81 01 61")
        let consumed = close.withUnsafeBytes { connection.receive($0, into: &events, stoppingAfterEvent: true) }
        XCTAssertEqual(consumed, close.count)
        XCTAssertEqual(events, [.closed(code: 1000, reason: "", initiatedByPeer: true)])
    }
}

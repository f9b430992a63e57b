import XCTest
@testable import WebSocketCore

/// RFC 6455 7.1.1: who closes TCP after the close handshake, for both roles and both initiators,
/// and after a failure or the peer's end of stream.
final class CloseOrderTests: XCTestCase {
    private let clientWaits = CloseOrder.waitForPeerToClose(timeout: WebSocketConfiguration.defaultPeerCloseTimeout)

    func testServerClosesAtOnceAfterEchoingTheClientsClose() {
        var connection = openConnection(.server)
        XCTAssertEqual(connection.closeOrder, .keepOpen)
        _ = connection.feed(rawFrame(0x88, hex("03 E8"), key: clientKey))
        XCTAssertEqual(connection.closeOrder, .keepOpen, "the echo is not written yet")
        XCTAssertEqual(connection.drainOutgoing(), hex("88 02 03 E8"))
        XCTAssertEqual(connection.closeOrder, .closeNow)
    }

    func testServerClosesAtOnceWhenTheClientAnswersItsClose() throws {
        var connection = openConnection(.server)
        try connection.close(code: 1001, reason: "")
        _ = connection.drainOutgoing()
        XCTAssertEqual(connection.closeOrder, .keepOpen, "closing: the client's answer is awaited")
        XCTAssertEqual(connection.feed(rawFrame(0x88, hex("03 E9"), key: clientKey)),
                       [.closed(code: 1001, reason: "", initiatedByPeer: false)])
        XCTAssertEqual(connection.closeOrder, .closeNow)
    }

    func testClientWaitsForTheServerAfterEchoingItsClose() {
        var connection = openConnection(.client)
        _ = connection.feed(hex("88 02 03 E8"))
        XCTAssertEqual(connection.closeOrder, .keepOpen, "the echo is not written yet")
        XCTAssertEqual(connection.drainOutgoing(), hex("88 82 00 00 00 00 03 E8"))
        XCTAssertEqual(connection.closeOrder, clientWaits)
    }

    func testClientWaitsForTheServerWhenItAnswersTheClientsClose() throws {
        var connection = openConnection(.client)
        try connection.close()
        _ = connection.drainOutgoing()
        XCTAssertEqual(connection.closeOrder, .keepOpen)
        _ = connection.feed(hex("88 02 03 E8"))
        XCTAssertEqual(connection.closeOrder, clientWaits)
    }

    func testClientStopsWaitingWhenTheServerEndsTheStream() {
        var connection = openConnection(.client)
        _ = connection.feed(hex("88 02 03 E8"))
        _ = connection.drainOutgoing()
        var events: [WebSocketEvent] = []
        connection.receiveEndOfStream(into: &events)
        XCTAssertEqual(events, [], "a clean close, not an abnormal one")
        XCTAssertEqual(connection.closeOrder, .closeNow)
    }

    func testTheClientsWaitIsBoundedByTheConfiguredTimeout() {
        var connection = openConnection(.client, configuration: WebSocketConfiguration(peerCloseTimeout: 2.5))
        _ = connection.feed(hex("88 00"))
        _ = connection.drainOutgoing()
        XCTAssertEqual(connection.closeOrder, .waitForPeerToClose(timeout: 2.5))
    }

    func testEitherRoleClosesAtOnceAfterAViolationOnceItsCloseFrameIsWritten() {
        for role in [Role.client, .server] {
            var connection = openConnection(role)
            // A reserved opcode (0x3): 1002, whichever side receives it.
            let frame = role == .server ? rawFrame(0x83, [], key: clientKey) : rawFrame(0x83, [])
            XCTAssertEqual(connection.feed(frame), [.protocolViolation(.unknownOpcode(3))], "\(role)")
            XCTAssertEqual(connection.closeOrder, .keepOpen, "\(role): the close frame is not written yet")
            _ = connection.drainOutgoing()
            XCTAssertEqual(connection.closeOrder, .closeNow, "\(role)")
        }
    }

    func testEitherRoleClosesAtOnceWhenThePeerEndsTheStreamWithoutAClose() {
        for role in [Role.client, .server] {
            var connection = openConnection(role)
            var events: [WebSocketEvent] = []
            connection.receiveEndOfStream(into: &events)
            XCTAssertEqual(events, [.abnormalClosure])
            XCTAssertEqual(connection.closeOrder, .closeNow, "\(role)")
        }
    }
}

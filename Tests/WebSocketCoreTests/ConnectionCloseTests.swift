import XCTest
@testable import WebSocketCore

/// Close codes, the close handshake in both directions, and end of stream.
final class ConnectionCloseTests: XCTestCase {
    private let boundaryCodes: [(code: UInt16, valid: Bool)] = [
        (0, false), (999, false), (1000, true), (1003, true), (1004, false), (1005, false),
        (1006, false), (1007, true), (1014, true), (1015, false), (1016, false), (2999, false),
        (3000, true), (4999, true), (5000, false), (65535, false),
    ]

    func testCloseCodeValidityAtEveryBoundary() {
        for (code, valid) in boundaryCodes {
            XCTAssertEqual(CloseCode.isValidReceived(code), valid, "code \(code)")
        }
    }

    func testReceivedCloseCodesAreEchoedOrRejectedAtEveryBoundary() {
        for (code, valid) in boundaryCodes {
            var connection = openConnection(.server)
            let codeBytes = [UInt8(code >> 8), UInt8(code & 0xFF)]
            let events = connection.feed(rawFrame(0x88, codeBytes, key: clientKey))
            if valid {
                XCTAssertEqual(events, [.closed(code: code, reason: "", initiatedByPeer: true)], "code \(code)")
                XCTAssertEqual(connection.drainOutgoing(), hex("88 02") + codeBytes, "code \(code)")
            } else {
                XCTAssertEqual(events, [.protocolViolation(.invalidCloseCode(code))], "code \(code)")
                XCTAssertEqual(connection.drainOutgoing(), hex("88 02 03 EA"), "code \(code)")
            }
            XCTAssertEqual(connection.state, .closed)
        }
    }

    func testSendingCloseCodesIsAllowedOrRefusedAtEveryBoundary() {
        for (code, valid) in boundaryCodes {
            var connection = openConnection(.server)
            if valid {
                XCTAssertNoThrow(try connection.close(code: code), "code \(code)")
                XCTAssertEqual(connection.drainOutgoing(), hex("88 02") + [UInt8(code >> 8), UInt8(code & 0xFF)])
                XCTAssertEqual(connection.state, .closing)
            } else {
                XCTAssertThrowsError(try connection.close(code: code), "code \(code)") { error in
                    XCTAssertEqual(error as? SendError, .invalidCloseCode(code))
                }
                XCTAssertEqual(connection.pendingOutgoingCount, 0)
                XCTAssertEqual(connection.state, .open)
            }
        }
    }

    // MARK: Peer closes first

    func testPeerInitiatedCloseIsEchoedWithTheSameCode() {
        var connection = openConnection(.server)
        let events = connection.feed(rawFrame(0x88, hex("03 E9") + utf8("bye"), key: clientKey))
        XCTAssertEqual(events, [.closed(code: 1001, reason: "bye", initiatedByPeer: true)])
        XCTAssertEqual(connection.state, .closed)
        XCTAssertEqual(connection.closeOrder, .keepOpen, "the echo must be written first")
        XCTAssertEqual(connection.drainOutgoing(), hex("88 02 03 E9"))
        XCTAssertEqual(connection.closeOrder, .closeNow, "the server closes TCP first (7.1.1)")
    }

    func testClientEchoesCloseMasked() {
        var connection = openConnection(.client, key: FixedKeyGenerator(0x37, 0xFA, 0x21, 0x3D))
        XCTAssertEqual(connection.feed(hex("88 02 03 E8")), [.closed(code: 1000, reason: "", initiatedByPeer: true)])
        XCTAssertEqual(connection.drainOutgoing(), hex("88 82 37 fa 21 3d 34 12"))
    }

    func testEmptyClosePayloadIsReportedWithoutACodeAndEchoedEmpty() {
        var connection = openConnection(.server)
        XCTAssertEqual(connection.feed(rawFrame(0x88, [], key: clientKey)), [.closed(code: nil, reason: "", initiatedByPeer: true)])
        XCTAssertEqual(connection.drainOutgoing(), hex("88 00"))
    }

    func testCloseReasonIsDecodedAsUTF8() {
        var connection = openConnection(.client)
        let events = connection.feed(rawFrame(0x88, hex("0F A0") + utf8("adiós 👋")))
        XCTAssertEqual(events, [.closed(code: 4000, reason: "adiós 👋", initiatedByPeer: true)])
    }

    func testInputAfterThePeersCloseIsIgnored() {
        var connection = openConnection(.client)
        let events = connection.feed(hex("88 02 03 E8 81 01 61"))
        XCTAssertEqual(events, [.closed(code: 1000, reason: "", initiatedByPeer: true)])
        XCTAssertEqual(connection.feed(hex("89 00")), [])
        XCTAssertEqual(connection.drainOutgoing(), hex("88 82 00 00 00 00 03 E8"))
    }

    // MARK: We close first

    func testWeCloseFirstThenThePeersCloseCompletesTheHandshake() {
        var connection = openConnection(.client, key: FixedKeyGenerator(0x37, 0xFA, 0x21, 0x3D))
        XCTAssertNoThrow(try connection.close(code: 1000, reason: "done"))
        XCTAssertEqual(connection.state, .closing)
        XCTAssertEqual(connection.drainOutgoing(), hex("88 86 37 fa 21 3d 34 12 45 52 59 9f"))
        XCTAssertEqual(connection.closeOrder, .keepOpen)

        // Messages still in flight are delivered; a ping is reported but not answered, since
        // our close frame must be the last frame we send.
        XCTAssertEqual(connection.feed(hex("81 04 6c 61 74 65 89 00")), [.text(utf8("late")), .ping([])])
        XCTAssertEqual(connection.pendingOutgoingCount, 0)

        XCTAssertEqual(connection.feed(hex("88 02 03 E8")), [.closed(code: 1000, reason: "", initiatedByPeer: false)])
        XCTAssertEqual(connection.state, .closed)
        XCTAssertEqual(connection.pendingOutgoingCount, 0, "the peer's close is not echoed again")
        XCTAssertEqual(connection.closeOrder, .waitForPeerToClose(timeout: WebSocketConfiguration.defaultPeerCloseTimeout),
                       "the client waits for the server to close TCP (7.1.1)")
    }

    func testServerCloseCarriesCodeAndReasonUnmasked() {
        var connection = openConnection(.server)
        XCTAssertNoThrow(try connection.close(code: 1001, reason: "bye"))
        XCTAssertEqual(connection.drainOutgoing(), hex("88 05 03 E9 62 79 65"))
        XCTAssertEqual(connection.feed(rawFrame(0x88, [], key: clientKey)), [.closed(code: nil, reason: "", initiatedByPeer: false)])
    }

    func testCloseReasonIsLimitedTo123Bytes() {
        var connection = openConnection(.server)
        let tooLong = String(repeating: "x", count: 124)
        XCTAssertThrowsError(try connection.close(reason: tooLong)) { error in
            XCTAssertEqual(error as? SendError, .closeReasonTooLong(124))
        }
        XCTAssertEqual(connection.state, .open)
        XCTAssertNoThrow(try connection.close(reason: String(repeating: "x", count: 123)))
        XCTAssertEqual(connection.drainOutgoing().count, 2 + 125)
    }

    func testSendingAfterOurCloseFails() {
        var connection = openConnection(.client)
        XCTAssertNoThrow(try connection.close())
        let queued = connection.pendingOutgoingCount
        XCTAssertThrowsError(try connection.sendText("more")) { XCTAssertEqual($0 as? SendError, .closeAlreadySent) }
        XCTAssertThrowsError(try connection.sendBinary([1])) { XCTAssertEqual($0 as? SendError, .closeAlreadySent) }
        XCTAssertThrowsError(try connection.sendPing([])) { XCTAssertEqual($0 as? SendError, .closeAlreadySent) }
        XCTAssertThrowsError(try connection.sendPong([])) { XCTAssertEqual($0 as? SendError, .closeAlreadySent) }
        XCTAssertThrowsError(try connection.close()) { XCTAssertEqual($0 as? SendError, .closeAlreadySent) }
        XCTAssertEqual(connection.pendingOutgoingCount, queued)
    }

    func testSendingAfterThePeersCloseFails() {
        var connection = openConnection(.client)
        _ = connection.feed(hex("88 00"))
        XCTAssertThrowsError(try connection.sendText("more")) { XCTAssertEqual($0 as? SendError, .connectionClosed) }
        XCTAssertThrowsError(try connection.close()) { XCTAssertEqual($0 as? SendError, .connectionClosed) }
    }

    // MARK: End of stream

    func testEndOfStreamWhileOpenIsAnAbnormalClosure() {
        var connection = openConnection(.client)
        _ = connection.feed(hex("81 05 48 65"))  // a frame cut short
        var events: [WebSocketEvent] = []
        connection.receiveEndOfStream(into: &events)
        XCTAssertEqual(events, [.abnormalClosure])
        XCTAssertEqual(connection.state, .closed)
        XCTAssertEqual(CloseCode.abnormalClosure, 1006)
    }

    func testEndOfStreamWhileClosingIsAnAbnormalClosure() {
        var connection = openConnection(.client)
        XCTAssertNoThrow(try connection.close())
        var events: [WebSocketEvent] = []
        connection.receiveEndOfStream(into: &events)
        XCTAssertEqual(events, [.abnormalClosure])
        XCTAssertEqual(connection.state, .closed)
    }

    func testEndOfStreamAfterTheCloseHandshakeIsNormal() {
        var connection = openConnection(.client)
        XCTAssertNoThrow(try connection.close())
        _ = connection.feed(hex("88 02 03 E8"))
        var events: [WebSocketEvent] = []
        connection.receiveEndOfStream(into: &events)
        XCTAssertEqual(events, [])
    }

    func testEndOfStreamDuringTheOpeningHandshakeIsAnAbnormalClosure() {
        var connection = WebSocketConnection(role: .client)
        var events: [WebSocketEvent] = []
        connection.receiveEndOfStream(into: &events)
        XCTAssertEqual(events, [.abnormalClosure])
        XCTAssertEqual(connection.state, .closed)
    }

    // MARK: ClosePayload

    func testClosePayloadRoundTrips() throws {
        let payload = ClosePayload(code: 3000, reason: "ok")
        XCTAssertEqual(payload.bytes, hex("0B B8 6F 6B"))
        XCTAssertEqual(try ClosePayload(parsing: payload.bytes), payload)
        XCTAssertEqual(ClosePayload(code: nil, reason: "ignored").bytes, [])
    }
}

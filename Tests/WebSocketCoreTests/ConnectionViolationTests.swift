import XCTest
@testable import WebSocketCore

/// Every protocol violation: the event, the close code, and the exact close frame queued.
final class ConnectionViolationTests: XCTestCase {
    private func assertFails(
        _ role: Role,
        _ bytes: [UInt8],
        configuration: WebSocketConfiguration = .init(),
        with violation: ProtocolViolation,
        replying reply: [UInt8],
        file: StaticString = #filePath,
        line: UInt = #line
    ) {
        for bytewise in [false, true] {
            var connection = openConnection(role, configuration: configuration)
            let events = bytewise ? connection.feedBytewise(bytes) : connection.feed(bytes)
            XCTAssertEqual(events.last, .protocolViolation(violation), "bytewise: \(bytewise)", file: file, line: line)
            XCTAssertEqual(connection.drainOutgoing().suffix(reply.count), reply[...], "bytewise: \(bytewise)", file: file, line: line)
            XCTAssertEqual(connection.state, .closed, file: file, line: line)
            XCTAssertEqual(connection.closeOrder, .closeNow, "a failed connection is closed at once by either role", file: file, line: line)
        }
        let code = UInt16(reply[reply.count - 2]) << 8 | UInt16(reply[reply.count - 1])
        XCTAssertEqual(violation.closeCode, code, file: file, line: line)
    }

    // Replies: a server's close frame is unmasked; a client's is masked with the all-zero test key.
    private let serverProtocolError = hex("88 02 03 EA")
    private let clientProtocolError = hex("88 82 00 00 00 00 03 EA")

    func testReservedBitsFailWith1002() {
        assertFails(.client, hex("C1 00"), with: .reservedBitsSet(0x40), replying: clientProtocolError)
        assertFails(.client, hex("A2 00"), with: .reservedBitsSet(0x20), replying: clientProtocolError)
        assertFails(.server, rawFrame(0x91, [], key: clientKey), with: .reservedBitsSet(0x10), replying: serverProtocolError)
    }

    func testRSV1OnAContinuationFailsWith1002EvenWithAnExtension() {
        let configuration = WebSocketConfiguration(allowsRSV1: true)
        assertFails(.client, hex("41 00 C0 00"), configuration: configuration,
                    with: .compressedBitOnNonInitialFrame(.continuation), replying: clientProtocolError)
        assertFails(.client, hex("C9 00"), configuration: configuration,
                    with: .compressedBitOnNonInitialFrame(.ping), replying: clientProtocolError)
    }

    func testUnknownOpcodesFailWith1002() {
        for opcode: UInt8 in [3, 7, 0xB, 0xF] {
            assertFails(.client, [0x80 | opcode, 0x00], with: .unknownOpcode(opcode), replying: clientProtocolError)
        }
    }

    func testFragmentedControlFrameFailsWith1002() {
        assertFails(.client, hex("09 00"), with: .fragmentedControlFrame(.ping), replying: clientProtocolError)
    }

    func testControlFrameOver125BytesFailsWith1002() {
        assertFails(.client, hex("89 7E 00 7E") + [UInt8](repeating: 0, count: 126),
                    with: .controlFrameTooLong(.ping), replying: clientProtocolError)
    }

    func testLengthWithMostSignificantBitFailsWith1002() {
        assertFails(.client, hex("82 7F 80 00 00 00 00 00 00 01"), with: .lengthMostSignificantBitSet, replying: clientProtocolError)
    }

    func testNonMinimalLengthFailsWith1002() {
        assertFails(.client, hex("82 7E 00 05 01 02 03 04 05"), with: .nonMinimalLength(5), replying: clientProtocolError)
        assertFails(.client, hex("82 7F 00 00 00 00 00 00 01 00"), with: .nonMinimalLength(256), replying: clientProtocolError)
    }

    func testClientReceivingAMaskedFrameFailsWith1002() {
        assertFails(.client, hex("81 85 37 fa 21 3d 7f 9f 4d 51 58"), with: .maskedFrameFromServer, replying: clientProtocolError)
    }

    func testServerReceivingAnUnmaskedFrameFailsWith1002() {
        assertFails(.server, hex("81 05 48 65 6c 6c 6f"), with: .unmaskedFrameFromClient, replying: serverProtocolError)
        XCTAssertEqual(ProtocolViolation.unmaskedFrameFromClient.description, "client sent an unmasked frame")
    }

    func testOversizedFrameAndMessageFailWith1009() {
        assertFails(.client, hex("82 7E 01 01"), configuration: WebSocketConfiguration(maxFrameSize: 256),
                    with: .frameTooLarge(length: 257, limit: 256), replying: hex("88 82 00 00 00 00 03 F1"))
        assertFails(.server, rawFrame(0x02, [1, 2, 3], key: clientKey) + hex("80 82") + clientKey,
                    configuration: WebSocketConfiguration(maxMessageSize: 4),
                    with: .messageTooLarge(limit: 4), replying: hex("88 02 03 F1"))
    }

    func testContinuationWithoutAStartedMessageFailsWith1002() {
        assertFails(.client, hex("80 02 6c 6f"), with: .continuationWithoutMessage, replying: clientProtocolError)
        // Also after a message has completed.
        assertFails(.client, hex("81 01 61 00 01 62"), with: .continuationWithoutMessage, replying: clientProtocolError)
    }

    func testNewDataFrameDuringAFragmentedMessageFailsWith1002() {
        assertFails(.client, hex("01 03 48 65 6c 81 02 6c 6f"), with: .newMessageDuringFragmentedMessage(.text), replying: clientProtocolError)
        assertFails(.client, hex("02 01 00 89 00 82 00"), with: .newMessageDuringFragmentedMessage(.binary), replying: clientProtocolError)
    }

    func testInvalidUTF8InTextFailsWith1007() {
        assertFails(.client, hex("81 02 C0 80"), with: .invalidUTF8InText, replying: hex("88 82 00 00 00 00 03 EF"))
        assertFails(.server, rawFrame(0x81, [0xCE, 0xBA, 0xFF], key: clientKey), with: .invalidUTF8InText, replying: hex("88 02 03 EF"))
    }

    func testOneByteClosePayloadFailsWith1002() {
        assertFails(.client, hex("88 01 03"), with: .closePayloadTooShort, replying: clientProtocolError)
    }

    func testInvalidCloseCodeFailsWith1002() {
        assertFails(.server, rawFrame(0x88, [0x03, 0xED], key: clientKey), with: .invalidCloseCode(1005), replying: serverProtocolError)
    }

    func testInvalidUTF8InCloseReasonFailsWith1007() {
        assertFails(.client, hex("88 04 03 E8 C3 28"), with: .invalidUTF8InCloseReason, replying: hex("88 82 00 00 00 00 03 EF"))
    }

    func testEventsBeforeTheViolationAreDeliveredAndInputAfterItIsIgnored() {
        var connection = openConnection(.client)
        let events = connection.feed(hex("81 01 61") + hex("83 00") + hex("81 01 62"))
        XCTAssertEqual(events, [.text(utf8("a")), .protocolViolation(.unknownOpcode(3))])
        XCTAssertEqual(connection.feed(hex("81 01 63 89 00")), [])
        XCTAssertEqual(connection.drainOutgoing(), clientProtocolError)
    }

    func testSendingAfterAViolationFails() {
        var connection = openConnection(.client)
        _ = connection.feed(hex("83 00"))
        XCTAssertThrowsError(try connection.sendText("late")) { error in
            XCTAssertEqual(error as? SendError, .connectionClosed)
        }
    }

    func testViolationWhileClosingQueuesNoSecondCloseFrame() {
        var connection = openConnection(.client)
        XCTAssertNoThrow(try connection.close())
        XCTAssertEqual(connection.drainOutgoing(), hex("88 82 00 00 00 00 03 E8"))
        XCTAssertEqual(connection.feed(hex("83 00")), [.protocolViolation(.unknownOpcode(3))])
        XCTAssertEqual(connection.pendingOutgoingCount, 0)
        XCTAssertEqual(connection.state, .closed)
    }

    func testEndOfStreamAfterAViolationReportsNothingMore() {
        var connection = openConnection(.client)
        _ = connection.feed(hex("83 00"))
        var events: [WebSocketEvent] = []
        connection.receiveEndOfStream(into: &events)
        XCTAssertEqual(events, [])
    }
}

import XCTest
@testable import WebSocketCore

/// Receiving messages: RFC 6455 5.7 examples, fragmentation, control frames, UTF-8 and limits.
final class ConnectionMessageTests: XCTestCase {
    func testClientReceivesUnmaskedHello() {
        var connection = openConnection(.client)
        XCTAssertEqual(connection.feed(hex("81 05 48 65 6c 6c 6f")), [.text(utf8("Hello"))])
        XCTAssertEqual(connection.pendingOutgoingCount, 0)
    }

    func testServerReceivesMaskedHello() {
        var connection = openConnection(.server)
        XCTAssertEqual(connection.feed(hex("81 85 37 fa 21 3d 7f 9f 4d 51 58")), [.text(utf8("Hello"))])
    }

    func testJoinsAFragmentedMessage() {
        var connection = openConnection(.client)
        XCTAssertEqual(connection.feed(hex("01 03 48 65 6c")), [])
        XCTAssertEqual(connection.feed(hex("80 02 6c 6f")), [.text(utf8("Hello"))])
    }

    func testServerJoinsMaskedFragmentsWithDifferentKeys() {
        var connection = openConnection(.server)
        let stream = rawFrame(0x02, [1, 2, 3], key: clientKey)
            + rawFrame(0x00, [4, 5, 6, 7, 8], key: [9, 8, 7, 6])
            + rawFrame(0x80, [9], key: [0xFF, 0, 0xFF, 0])
        XCTAssertEqual(connection.feed(stream), [.binary([1, 2, 3, 4, 5, 6, 7, 8, 9])])
    }

    func testControlFramesInterleaveBetweenFragments() {
        var connection = openConnection(.server)
        let stream = rawFrame(0x01, utf8("Hel"), key: clientKey)
            + rawFrame(0x89, utf8("are you there"), key: clientKey)
            + rawFrame(0x00, [], key: clientKey)
            + rawFrame(0x8A, utf8("unsolicited"), key: clientKey)
            + rawFrame(0x80, utf8("lo"), key: clientKey)
        XCTAssertEqual(connection.feed(stream), [
            .ping(utf8("are you there")),
            .pong(utf8("unsolicited")),
            .text(utf8("Hello")),
        ])
        XCTAssertEqual(connection.drainOutgoing(), hex("8A 0D") + utf8("are you there"))
    }

    func testAnswersPingWithAMaskedPongOfTheSamePayload() {
        var connection = openConnection(.client, key: FixedKeyGenerator(0x37, 0xFA, 0x21, 0x3D))
        XCTAssertEqual(connection.feed(hex("89 05 48 65 6c 6c 6f")), [.ping(utf8("Hello"))])
        XCTAssertEqual(connection.drainOutgoing(), hex("8a 85 37 fa 21 3d 7f 9f 4d 51 58"))
    }

    func testServerAnswersMaskedPingWithAnUnmaskedPong() {
        var connection = openConnection(.server)
        XCTAssertEqual(connection.feed(rawFrame(0x89, utf8("Hello"), key: clientKey)), [.ping(utf8("Hello"))])
        XCTAssertEqual(connection.drainOutgoing(), hex("8a 05 48 65 6c 6c 6f"))
    }

    func testAnswersAnEmptyPing() {
        var connection = openConnection(.server)
        XCTAssertEqual(connection.feed(rawFrame(0x89, [], key: clientKey)), [.ping([])])
        XCTAssertEqual(connection.drainOutgoing(), hex("8a 00"))
    }

    func testReportsAnUnsolicitedPongAndSendsNothing() {
        var connection = openConnection(.client)
        XCTAssertEqual(connection.feed(hex("8a 02 68 69")), [.pong(utf8("hi"))])
        XCTAssertEqual(connection.pendingOutgoingCount, 0)
        XCTAssertEqual(connection.state, .open)
    }

    func testReceives256ByteAnd64KiBBinaryMessages() {
        var connection = openConnection(.client)
        let small = [UInt8](repeating: 0x11, count: 256)
        let large = (0..<65536).map { UInt8(truncatingIfNeeded: $0) }
        let stream = hex("82 7E 01 00") + small + hex("82 7F 00 00 00 00 00 01 00 00") + large
        XCTAssertEqual(connection.feed(stream), [.binary(small), .binary(large)])
    }

    func testReceivesEmptyMessages() {
        var connection = openConnection(.client)
        XCTAssertEqual(connection.feed(hex("81 00 82 00 01 00 80 00")), [.text([]), .binary([]), .text([])])
    }

    func testBytewiseFeedingProducesTheSameEventsAsOneShotFeeding() {
        var stream = rawFrame(0x81, utf8("first"), key: clientKey)
        stream += rawFrame(0x01, utf8("κό"), key: clientKey)
        stream += rawFrame(0x89, utf8("ping"), key: clientKey)
        stream += rawFrame(0x00, utf8("σμ"), key: clientKey)
        stream += rawFrame(0x80, utf8("ε 😀"), key: clientKey)
        stream += rawFrame(0x82, (0..<300).map { UInt8(truncatingIfNeeded: $0 * 7) }, key: clientKey)
        stream += rawFrame(0x8A, [], key: clientKey)
        stream += rawFrame(0x88, [0x03, 0xE8] + utf8("done"), key: clientKey)

        var oneShot = openConnection(.server)
        let expected = oneShot.feed(stream)
        XCTAssertEqual(expected.count, 6)
        XCTAssertEqual(expected.last, .closed(code: 1000, reason: "done", initiatedByPeer: true))

        var bytewise = openConnection(.server)
        XCTAssertEqual(bytewise.feedBytewise(stream), expected)
        XCTAssertEqual(bytewise.drainOutgoing(), oneShot.drainOutgoing())

        for chunkSize in [2, 3, 5, 11, 64] {
            var chunked = openConnection(.server)
            var events: [WebSocketEvent] = []
            var start = 0
            while start < stream.count {
                chunked.receive(Array(stream[start..<min(start + chunkSize, stream.count)]), into: &events)
                start += chunkSize
            }
            XCTAssertEqual(events, expected, "chunk size \(chunkSize)")
        }
    }

    // MARK: UTF-8

    func testAcceptsTextSplitAcrossTwoFragmentsAtEveryBytePosition() {
        let text = utf8("aé€😀z")
        for split in 0...text.count {
            var connection = openConnection(.client)
            let stream = rawFrame(0x01, Array(text[..<split])) + rawFrame(0x80, Array(text[split...]))
            XCTAssertEqual(connection.feed(stream), [.text(text)], "split at \(split)")
        }
    }

    func testAcceptsTextSplitAcrossThreeFragmentsAtEveryPairOfPositions() {
        let text = utf8("€😀")
        for first in 0...text.count {
            for second in first...text.count {
                var connection = openConnection(.server)
                let stream = rawFrame(0x01, Array(text[..<first]), key: clientKey)
                    + rawFrame(0x00, Array(text[first..<second]), key: clientKey)
                    + rawFrame(0x80, Array(text[second...]), key: clientKey)
                XCTAssertEqual(connection.feed(stream), [.text(text)], "splits at \(first), \(second)")
            }
        }
    }

    func testFailsFastOnAnInvalidByteInTheFirstFragment() {
        var connection = openConnection(.server)
        // Only the first fragment arrives; the connection must not wait for the rest.
        let events = connection.feed(rawFrame(0x01, utf8("κόσμε") + [0xED, 0xA0, 0x80] + utf8("edited"), key: clientKey))
        XCTAssertEqual(events, [.protocolViolation(.invalidUTF8InText)])
        XCTAssertEqual(connection.drainOutgoing(), hex("88 02 03 EF"))
        XCTAssertEqual(connection.state, .closed)
    }

    func testFailsFastWhenTheNextFragmentMakesASequenceImpossible() {
        // Autobahn 6.4.1: the first fragment ends in a lead byte that is valid so far.
        var connection = openConnection(.client)
        XCTAssertEqual(connection.feed(rawFrame(0x01, utf8("κόσμε") + [0xF4])), [])
        XCTAssertEqual(connection.feed(rawFrame(0x00, [0x90])), [.protocolViolation(.invalidUTF8InText)])
        XCTAssertEqual(connection.drainOutgoing(), hex("88 82 00 00 00 00 03 EF"))
    }

    func testFailsFastInsideAFrameThatIsStillArriving() {
        // Autobahn 6.4.3: one frame delivered in chops; the bad chop fails the connection
        // although the frame is incomplete.
        var connection = openConnection(.client)
        let payload = utf8("κόσμε") + [0xF4, 0x90, 0x80, 0x80] + utf8("edited")
        let frame = rawFrame(0x81, payload)
        let firstChop = 2 + utf8("κόσμε").count
        XCTAssertEqual(connection.feed(Array(frame[..<firstChop])), [])
        XCTAssertEqual(connection.feed(Array(frame[firstChop..<(firstChop + 2)])), [.protocolViolation(.invalidUTF8InText)])
        XCTAssertEqual(connection.feed(Array(frame[(firstChop + 2)...])), [])
    }

    func testRejectsATextMessageEndingInsideACharacter() {
        var connection = openConnection(.client)
        XCTAssertEqual(connection.feed(rawFrame(0x01, utf8("ok") + [0xE2, 0x82])), [])
        XCTAssertEqual(connection.feed(rawFrame(0x80, [])), [.protocolViolation(.invalidUTF8InText)])
        XCTAssertEqual(connection.drainOutgoing(), hex("88 82 00 00 00 00 03 EF"))
        XCTAssertEqual(ProtocolViolation.invalidUTF8InText.description, "invalid UTF-8 in text message")
    }

    func testDoesNotValidateBinaryMessages() {
        var connection = openConnection(.client)
        XCTAssertEqual(connection.feed(hex("82 02 FF FE")), [.binary([0xFF, 0xFE])])
    }

    func testDeliversCompressedMessagesUnvalidatedWhenRSV1IsAllowed() {
        // Deflated bytes are not UTF-8; the extension layer inflates and validates them.
        var connection = openConnection(.client, configuration: WebSocketConfiguration(allowsRSV1: true))
        XCTAssertEqual(connection.feed(hex("41 01 FF 80 01 FE")), [.text([0xFF, 0xFE])])
        XCTAssertEqual(connection.feed(hex("C1 01 FF")), [.text([0xFF])])
        XCTAssertEqual(connection.feed(hex("81 01 FF")), [.protocolViolation(.invalidUTF8InText)])
    }

    // MARK: Size limits

    func testMessageSizeLimitAppliesToTheTotalOfAllFragments() {
        var connection = openConnection(.client, configuration: WebSocketConfiguration(maxMessageSize: 10))
        XCTAssertEqual(connection.feed(rawFrame(0x02, [1, 2, 3, 4, 5, 6])), [])
        // The header of a fragment that would exceed the limit is enough: no payload follows.
        XCTAssertEqual(connection.feed(hex("80 05")), [.protocolViolation(.messageTooLarge(limit: 10))])
        XCTAssertEqual(connection.drainOutgoing(), hex("88 82 00 00 00 00 03 F1"))
    }

    func testAcceptsAMessageExactlyAtTheLimit() {
        var connection = openConnection(.client, configuration: WebSocketConfiguration(maxMessageSize: 10))
        let stream = rawFrame(0x02, [1, 2, 3, 4, 5, 6]) + rawFrame(0x89, []) + rawFrame(0x80, [7, 8, 9, 10])
        XCTAssertEqual(connection.feed(stream), [.ping([]), .binary([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])])
    }

    func testRejectsASingleFrameMessageAboveTheLimitFromItsHeader() {
        var connection = openConnection(.client, configuration: WebSocketConfiguration(maxMessageSize: 100))
        XCTAssertEqual(connection.feed(hex("81 65")), [.protocolViolation(.messageTooLarge(limit: 100))])
        XCTAssertEqual(
            ProtocolViolation.messageTooLarge(limit: WebSocketConfiguration.defaultMaxMessageSize).description,
            "message exceeds 64 MiB limit"
        )
    }

    func testRejectsAFrameAboveTheFrameLimitFromItsHeader() {
        var connection = openConnection(.server, configuration: WebSocketConfiguration(maxFrameSize: 1000))
        XCTAssertEqual(connection.feed(hex("82 FE 03 E9")), [.protocolViolation(.frameTooLarge(length: 1001, limit: 1000))])
        XCTAssertEqual(connection.drainOutgoing(), hex("88 02 03 F1"))
    }

    /// `--max-message-size` above the default frame limit: a single frame of that size is a
    /// message the user allowed, so the frame limit follows the message limit.
    func testAMessageLimitAboveTheDefaultFrameLimitRaisesTheFrameLimit() {
        var configuration = WebSocketConfiguration()
        configuration.limitMessages(to: 100 << 20)
        XCTAssertGreaterThanOrEqual(configuration.maxFrameSize, 100 << 20)
        var connection = openConnection(.client, configuration: configuration)
        // A header announcing one 80 MiB frame, and its first payload bytes.
        XCTAssertEqual(connection.feed(hex("82 7F 00 00 00 00 05 00 00 00 01 02")), [])
        XCTAssertEqual(connection.state, .open)
        // Above the message limit, the message limit speaks (1009), not the frame limit.
        var small = WebSocketConfiguration()
        small.limitMessages(to: 1000)
        var limited = openConnection(.client, configuration: small)
        XCTAssertEqual(limited.feed(hex("82 7E 03 E9")), [.protocolViolation(.messageTooLarge(limit: 1000))])
    }
}

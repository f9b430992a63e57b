import XCTest
@testable import WebSocketCore

/// permessage-deflate in the connection: RSV1 on the wire, RFC 7692 7.2.3's frames, context
/// takeover each way, and the limit on the inflated size.
final class ConnectionCompressionTests: XCTestCase {
    /// An open connection with permessage-deflate; compresses every message unless told otherwise.
    private func deflating(
        _ role: Role,
        _ parameters: PerMessageDeflateParameters = .init(),
        configuration: WebSocketConfiguration = WebSocketConfiguration(compressionThreshold: 0)
    ) -> WebSocketConnection {
        var connection = WebSocketConnection(role: role, configuration: configuration,
                                             maskingKeyGenerator: FixedKeyGenerator(0, 0, 0, 0))
        connection.handshakeCompleted(perMessageDeflate: parameters)
        return connection
    }

    private func closeFrame(from role: Role, _ code: UInt16) -> [UInt8] {
        let payload = [UInt8(code >> 8), UInt8(code & 0xFF)]
        return role == .client ? hex("88 82 00 00 00 00") + payload : hex("88 02") + payload
    }

    // MARK: - Receiving (RFC 7692 7.2.3)

    func testInflatesACompressedTextMessage() {
        var connection = deflating(.client)
        XCTAssertEqual(connection.perMessageDeflate, PerMessageDeflateParameters())
        XCTAssertEqual(connection.feed(hex("c1 07 f2 48 cd c9 c9 07 00")), [.text(utf8("Hello"))])
    }

    func testInflatesACompressedMessageInFragments() {
        // 7.2.3.1: RSV1 on the first frame only.
        var connection = deflating(.client)
        XCTAssertEqual(connection.feed(hex("41 03 f2 48 cd")), [])
        XCTAssertEqual(connection.feed(hex("80 04 c9 c9 07 00")), [.text(utf8("Hello"))])
    }

    func testServerInflatesAMaskedCompressedMessage() {
        var connection = deflating(.server)
        XCTAssertEqual(connection.feed(rawFrame(0xC1, hex("f2 48 cd c9 c9 07 00"), key: clientKey)), [.text(utf8("Hello"))])
    }

    func testInflatesAcrossMessagesWithContextTakeover() {
        // 7.2.3.2: the second message refers back into the first.
        var connection = deflating(.client)
        XCTAssertEqual(connection.feedBytewise(hex("c1 07 f2 48 cd c9 c9 07 00 c1 05 f2 00 11 00 00")),
                       [.text(utf8("Hello")), .text(utf8("Hello"))])
    }

    func testInflatesStoredFinalAndTwoBlockMessages() {
        var connection = deflating(.client)
        XCTAssertEqual(connection.feed(
            hex("c1 0b 00 05 00 fa ff 48 65 6c 6c 6f 00")                   // 7.2.3.3: no compression
                + hex("c1 08 f3 48 cd c9 c9 07 00 00")                      // 7.2.3.4: BFINAL set
                + hex("c1 0d f2 48 05 00 00 00 ff ff ca c9 c9 07 00")       // 7.2.3.5: two blocks
                + hex("c1 01 00")                                           // 7.2.3.6: empty
        ), [.text(utf8("Hello")), .text(utf8("Hello")), .text(utf8("Hello")), .text([])])
    }

    func testInflatesCompressedBinaryAndPassesUncompressedMessagesThrough() {
        var connection = deflating(.client)
        XCTAssertEqual(connection.feed(hex("c2 07 f2 48 cd c9 c9 07 00") + hex("82 02 ff fe") + hex("81 02 68 69")),
                       [.binary(utf8("Hello")), .binary([0xFF, 0xFE]), .text(utf8("hi"))])
    }

    func testControlFramesBetweenCompressedFragments() {
        var connection = deflating(.client)
        XCTAssertEqual(connection.feed(hex("41 03 f2 48 cd") + hex("89 01 21") + hex("80 04 c9 c9 07 00")),
                       [.ping(utf8("!")), .text(utf8("Hello"))])
        XCTAssertEqual(connection.drainOutgoing(), hex("8a 81 00 00 00 00 21"))
    }

    func testPeerWithoutContextTakeoverCannotReferToAnEarlierMessage() {
        // With server_no_context_takeover the client forgets each message, so the 7.2.3.2
        // back-reference has nothing to point to: the server broke its promise (1007).
        var connection = deflating(.client, .init(serverNoContextTakeover: true))
        XCTAssertEqual(connection.feed(hex("c1 07 f2 48 cd c9 c9 07 00")), [.text(utf8("Hello"))])
        XCTAssertEqual(connection.feed(hex("c1 05 f2 00 11 00 00")),
                       [.protocolViolation(.invalidCompressedData("invalid distance too far back"))])
        XCTAssertEqual(connection.drainOutgoing(), closeFrame(from: .client, 1007))
    }

    func testRSV1OnAContinuationFrameIsStillAViolation() {
        var connection = deflating(.client)
        XCTAssertEqual(connection.feed(hex("41 03 f2 48 cd") + hex("c0 04 c9 c9 07 00")),
                       [.protocolViolation(.compressedBitOnNonInitialFrame(.continuation))])
    }

    func testRSV2StaysForbidden() {
        var connection = deflating(.client)
        XCTAssertEqual(connection.feed(hex("a1 00")), [.protocolViolation(.reservedBitsSet(0x20))])
    }

    func testRSV1WithoutNegotiationFailsWith1002() {
        var connection = openConnection(.client)
        XCTAssertEqual(connection.feed(hex("c1 07 f2 48 cd c9 c9 07 00")), [.protocolViolation(.reservedBitsSet(0x40))])
        XCTAssertEqual(connection.drainOutgoing(), closeFrame(from: .client, 1002))
    }

    func testInvalidDeflateDataFailsWith1007() {
        var connection = deflating(.client)
        XCTAssertEqual(connection.feed(hex("c2 02 07 00")), [.protocolViolation(.invalidCompressedData("invalid block type"))])
        XCTAssertEqual(connection.drainOutgoing(), closeFrame(from: .client, 1007))
    }

    func testInflatedTextIsValidatedAsUTF8() {
        let compressor = DeflateCompressor(windowBits: 15)
        let deflated = [UInt8]([0x48, 0xFF, 0xFE]).withUnsafeBytes { Array(compressor.compress($0)) }
        var connection = deflating(.client)
        XCTAssertEqual(connection.feed(rawFrame(0xC1, deflated)), [.protocolViolation(.invalidUTF8InText)])
        XCTAssertEqual(connection.drainOutgoing(), closeFrame(from: .client, 1007))
    }

    // MARK: - The size limit applies to the inflated message

    func testASmallFrameThatInflatesPastTheLimitFailsWith1009() {
        // 1 MiB of zeros deflates to about 1 KiB, well under the 64 KiB limit on the wire.
        let compressor = DeflateCompressor(windowBits: 15)
        let bomb = [UInt8](repeating: 0, count: 1 << 20).withUnsafeBytes { Array(compressor.compress($0)) }
        XCTAssertLessThan(bomb.count, 1200)
        var connection = deflating(.client, configuration: WebSocketConfiguration(maxMessageSize: 64 << 10))
        XCTAssertEqual(connection.feed(rawFrame(0xC2, bomb)), [.protocolViolation(.decompressedMessageTooLarge(limit: 64 << 10))])
        XCTAssertEqual(connection.drainOutgoing(), closeFrame(from: .client, 1009))
        XCTAssertEqual(connection.state, .closed)
        XCTAssertEqual(ProtocolViolation.decompressedMessageTooLarge(limit: 64 << 10).description,
                       "compressed message inflates past the 64 KiB limit")
    }

    func testAMessageInflatingExactlyToTheLimitIsDelivered() {
        let message = [UInt8](repeating: 0x61, count: 5000)
        let compressor = DeflateCompressor(windowBits: 15)
        let deflated = message.withUnsafeBytes { Array(compressor.compress($0)) }
        var connection = deflating(.client, configuration: WebSocketConfiguration(maxMessageSize: 5000))
        XCTAssertEqual(connection.feed(rawFrame(0xC1, deflated)), [.text(message)])
    }

    func testIncompressibleMessagesAtTheLimitAreNotRefusedForTheirWireSize() {
        // Deflating random bytes makes them slightly larger; the inflated size is what counts.
        var generator = SplitMix64(seed: 42)
        let message = (0..<100_000).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        let compressor = DeflateCompressor(windowBits: 15)
        let deflated = message.withUnsafeBytes { Array(compressor.compress($0)) }
        XCTAssertGreaterThan(deflated.count, message.count)
        var connection = deflating(.client, configuration: WebSocketConfiguration(maxMessageSize: message.count))
        XCTAssertEqual(connection.feed(rawFrame(0xC2, deflated)), [.binary(message)])
    }

    func testACompressedMessageFarOverTheLimitOnTheWireIsRefusedFromItsHeader() {
        var connection = deflating(.client, configuration: WebSocketConfiguration(maxMessageSize: 1000))
        XCTAssertEqual(connection.feed(hex("c2 7e 10 00")), [.protocolViolation(.messageTooLarge(limit: 1000))])
    }

    // MARK: - Sending

    func testClientSendsHelloCompressedWithRSV1() throws {
        var connection = deflating(.client)
        try connection.sendText("Hello")
        XCTAssertEqual(connection.drainOutgoing(), hex("c1 87 00 00 00 00 f2 48 cd c9 c9 07 00"))
    }

    func testServerSendsHelloCompressedAsInTheRFC() throws {
        var connection = deflating(.server)
        try connection.sendText("Hello")
        XCTAssertEqual(connection.drainOutgoing(), hex("c1 07 f2 48 cd c9 c9 07 00"))
    }

    func testContextTakeoverShortensTheSecondMessage() throws {
        var connection = deflating(.server)
        try connection.sendText("Hello")
        try connection.sendText("Hello")
        XCTAssertEqual(connection.drainOutgoing(), hex("c1 07 f2 48 cd c9 c9 07 00") + hex("c1 05 f2 00 11 00 00"))
    }

    func testNoContextTakeoverCompressesEachMessageAlone() throws {
        var client = deflating(.client, .init(clientNoContextTakeover: true))
        try client.sendText("Hello")
        try client.sendText("Hello")
        XCTAssertEqual(client.drainOutgoing(), hex("c1 87 00 00 00 00 f2 48 cd c9 c9 07 00 c1 87 00 00 00 00 f2 48 cd c9 c9 07 00"))

        var server = deflating(.server, .init(serverNoContextTakeover: true))
        try server.sendText("Hello")
        try server.sendText("Hello")
        XCTAssertEqual(server.drainOutgoing(), hex("c1 07 f2 48 cd c9 c9 07 00 c1 07 f2 48 cd c9 c9 07 00"))

        // The other direction's parameter does not reset our compressor.
        var other = deflating(.server, .init(clientNoContextTakeover: true))
        try other.sendText("Hello")
        try other.sendText("Hello")
        XCTAssertEqual(other.drainOutgoing(), hex("c1 07 f2 48 cd c9 c9 07 00 c1 05 f2 00 11 00 00"))
    }

    func testMessagesBelowTheThresholdGoUncompressed() throws {
        var connection = deflating(.server, configuration: WebSocketConfiguration())
        XCTAssertEqual(WebSocketConfiguration().compressionThreshold, 16)
        try connection.sendText("Hello")
        try connection.sendBinary([UInt8](repeating: 0, count: 15))
        try connection.sendBinary([UInt8](repeating: 0, count: 16))
        XCTAssertEqual(connection.drainOutgoing(),
                       hex("81 05 48 65 6c 6c 6f") + hex("82 0f") + [UInt8](repeating: 0, count: 15) + hex("c2 06 62 60 40 05 00 00"))
    }

    func testControlFramesAreNeverCompressed() throws {
        var connection = deflating(.server)
        try connection.sendPing(utf8("Hello"))
        try connection.close(code: 1000, reason: "Hello")
        XCTAssertEqual(connection.drainOutgoing(), hex("89 05 48 65 6c 6c 6f") + hex("88 07 03 e8 48 65 6c 6c 6f"))
    }

    func testEmptyMessageCompressesToOneByte() throws {
        var connection = deflating(.server)
        try connection.sendBinary([])
        XCTAssertEqual(connection.drainOutgoing(), hex("c2 01 00"))
    }

    func testClientAndServerUnderstandEachOtherWithEveryParameterCombination() throws {
        var generator = SplitMix64(seed: 6455)
        let messages: [[UInt8]] = (0..<12).map { index in
            let length = [0, 1, 20, 300, 5000, 70_000][index % 6]
            let alphabet = index % 2 == 0 ? 4 : 256
            return (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next() % UInt64(alphabet)) }
        }
        for bits in [8, 9, 12, 15] {
            for takeover in [false, true] {
                let parameters = PerMessageDeflateParameters(
                    serverNoContextTakeover: takeover, clientNoContextTakeover: !takeover,
                    serverMaxWindowBits: bits, clientMaxWindowBits: 23 - bits
                )
                var client = deflating(.client, parameters)
                var server = deflating(.server, parameters)
                for message in messages {
                    try client.sendBinary(message)
                    XCTAssertEqual(server.feed(client.drainOutgoing()), [.binary(message)], "\(parameters)")
                    try server.sendBinary(message)
                    XCTAssertEqual(client.feed(server.drainOutgoing()), [.binary(message)], "\(parameters)")
                }
            }
        }
    }

    func testHandshakeCompletedWithoutParametersKeepsCompressionOff() throws {
        var connection = WebSocketConnection(role: .server, configuration: WebSocketConfiguration(compressionThreshold: 0))
        connection.handshakeCompleted()
        XCTAssertNil(connection.perMessageDeflate)
        try connection.sendText("Hello")
        XCTAssertEqual(connection.drainOutgoing(), hex("81 05 48 65 6c 6c 6f"))
    }
}

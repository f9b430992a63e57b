import XCTest
@testable import WebSocketCore

/// Sending: exact frames, state checks, masking keys and the outgoing buffer.
final class ConnectionSendingTests: XCTestCase {
    /// Calls the raw-bytes `sendText`. The result travels out of the closure as a `Result`:
    /// passing a `throws(SendError)` closure to the `rethrows` `withUnsafeBytes` crashes the
    /// Swift 6.3.1 compiler (IRGen, reabstraction thunk).
    private func sendText(_ bytes: [UInt8], on connection: inout WebSocketConnection) -> Result<Void, SendError> {
        bytes.withUnsafeBytes { raw in
            do throws(SendError) {
                try connection.sendText(raw)
                return .success(())
            } catch {
                return .failure(error)
            }
        }
    }

    func testClientSendsMaskedHello() throws {
        var connection = openConnection(.client, key: FixedKeyGenerator(0x37, 0xFA, 0x21, 0x3D))
        try connection.sendText("Hello")
        XCTAssertEqual(connection.drainOutgoing(), hex("81 85 37 fa 21 3d 7f 9f 4d 51 58"))
    }

    func testClientSendsMaskedHelloFromRawBytes() throws {
        var connection = openConnection(.client, key: FixedKeyGenerator(0x37, 0xFA, 0x21, 0x3D))
        try sendText(utf8("Hello"), on: &connection).get()
        XCTAssertEqual(connection.drainOutgoing(), hex("81 85 37 fa 21 3d 7f 9f 4d 51 58"))
    }

    func testServerSendsUnmaskedFrames() throws {
        var connection = openConnection(.server)
        try connection.sendText("Hello")
        try connection.sendPing(utf8("Hello"))
        try connection.sendPong([])
        try connection.sendBinary([UInt8](repeating: 0x42, count: 256))
        let bytes = connection.drainOutgoing()
        XCTAssertEqual(Array(bytes[..<20]), hex("81 05 48 65 6c 6c 6f 89 05 48 65 6c 6c 6f 8a 00 82 7E 01 00"))
        XCTAssertEqual(bytes.count, 20 + 256)
    }

    func testSendingBeforeTheHandshakeCompletesFails() {
        var connection = WebSocketConnection(role: .client)
        XCTAssertEqual(connection.state, .connecting)
        XCTAssertThrowsError(try connection.sendText("early")) { XCTAssertEqual($0 as? SendError, .handshakeNotCompleted) }
        XCTAssertThrowsError(try connection.sendPing([])) { XCTAssertEqual($0 as? SendError, .handshakeNotCompleted) }
        XCTAssertThrowsError(try connection.close()) { XCTAssertEqual($0 as? SendError, .handshakeNotCompleted) }
        XCTAssertEqual(connection.pendingOutgoingCount, 0)
        connection.handshakeCompleted()
        XCTAssertEqual(connection.state, .open)
        XCTAssertNoThrow(try connection.sendText("now"))
    }

    func testRefusesInvalidUTF8AsText() {
        var connection = openConnection(.client)
        XCTAssertThrowsError(try sendText([0x61, 0xC0, 0x80], on: &connection).get()) {
            XCTAssertEqual($0 as? SendError, .invalidUTF8)
        }
        XCTAssertEqual(connection.pendingOutgoingCount, 0)
        XCTAssertEqual(connection.state, .open)
    }

    func testRefusesControlPayloadsOver125Bytes() {
        var connection = openConnection(.server)
        XCTAssertThrowsError(try connection.sendPing([UInt8](repeating: 0, count: 126))) {
            XCTAssertEqual($0 as? SendError, .controlPayloadTooLong(126))
        }
        XCTAssertThrowsError(try connection.sendPong([UInt8](repeating: 0, count: 126))) {
            XCTAssertEqual($0 as? SendError, .controlPayloadTooLong(126))
        }
        XCTAssertNoThrow(try connection.sendPing([UInt8](repeating: 0, count: 125)))
        XCTAssertEqual(Array(connection.drainOutgoing()[..<2]), hex("89 7D"))
    }

    func testUsesAFreshMaskingKeyForEveryFrame() throws {
        struct Counter: RandomNumberGenerator, Sendable {
            var value: UInt64 = 0x1111_1111_2222_2222
            mutating func next() -> UInt64 {
                defer { value &+= 0x0101_0101_0101_0101 }
                return value
            }
        }
        var connection = WebSocketConnection(role: .client, maskingKeyGenerator: Counter())
        connection.handshakeCompleted()
        for _ in 0..<4 { try connection.sendBinary([UInt8]()) }
        let bytes = connection.drainOutgoing()
        let keys = stride(from: 0, to: bytes.count, by: 6).map { Array(bytes[($0 + 2)..<($0 + 6)]) }
        // Each draw gives two keys: its low half, then its high half.
        XCTAssertEqual(keys, [hex("22222222"), hex("11111111"), hex("23232323"), hex("12121212")])
    }

    func testDefaultKeysDifferBetweenFrames() throws {
        var connection = WebSocketConnection(role: .client)
        connection.handshakeCompleted()
        for _ in 0..<8 { try connection.sendBinary([UInt8]()) }
        let bytes = connection.drainOutgoing()
        let keys = Set(stride(from: 0, to: bytes.count, by: 6).map { Array(bytes[($0 + 2)..<($0 + 6)]) })
        XCTAssertGreaterThan(keys.count, 1)
    }

    func testManyFramesAreQueuedForOneWrite() throws {
        var connection = openConnection(.server)
        for index in 0..<100 { try connection.sendText("message \(index)") }
        XCTAssertEqual(connection.pendingOutgoingCount, (0..<100).reduce(0) { $0 + 2 + "message \($1)".utf8.count })
    }

    func testPartialWritesAndCompactionKeepTheByteOrder() throws {
        var connection = openConnection(.server)
        var expected: [UInt8] = []
        var written: [UInt8] = []
        var generator = SplitMix64(seed: 42)
        for round in 0..<300 {
            let payload = [UInt8](repeating: UInt8(truncatingIfNeeded: round), count: Int(generator.next() % 200))
            try connection.sendBinary(payload)
            expected += rawFrame(0x82, payload)
            // Write a random amount, as a non-blocking socket would.
            let pending = connection.pendingOutgoingCount
            let amount = Int(generator.next() % UInt64(pending + 1))
            written += connection.withPendingOutgoing { Array($0[..<amount]) }
            connection.consumeOutgoing(amount)
            XCTAssertEqual(connection.pendingOutgoingCount, pending - amount)
        }
        written += connection.drainOutgoing()
        XCTAssertEqual(written, expected)
        XCTAssertEqual(connection.pendingOutgoingCount, 0)
    }

    func testAnOpenConnectionDoesNotAskToCloseTheTransport() {
        let connection = openConnection(.client)
        XCTAssertEqual(connection.closeOrder, .keepOpen)
    }

    func testSendErrorsExplainThemselves() {
        XCTAssertEqual(SendError.closeAlreadySent.description, "cannot send after the close frame was sent")
        XCTAssertEqual(SendError.controlPayloadTooLong(126).description, "ping or pong payload of 126 bytes exceeds the 125-byte limit")
        XCTAssertEqual(SendError.invalidCloseCode(1005).description, "close code 1005 may not be sent (use 1000–1003, 1007–1014 or 3000–4999)")
    }
}

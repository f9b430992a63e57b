import XCTest
@testable import WebSocketCore

final class MessageAssemblerTests: XCTestCase {
    /// Feeds one frame's payload in pieces of `pieceSize`, masked with `key` if given.
    private func feedFrame(
        _ assembler: inout MessageAssembler,
        _ header: FrameHeader,
        _ payload: [UInt8],
        pieceSize: Int = .max
    ) throws(ProtocolViolation) -> MessageAssembler.Message? {
        var wire = payload
        if let key = header.maskingKey {
            wire.withUnsafeMutableBytes { key.apply(to: $0) }
        }
        try assembler.begin(header)
        if wire.isEmpty {
            return try assembler.append(UnsafeRawBufferPointer(start: nil, count: 0), offset: 0, isLast: true)
        }
        var offset = 0
        var result: MessageAssembler.Message?
        while offset < wire.count {
            let end = min(wire.count, offset + min(pieceSize, wire.count))
            let isLast = end == wire.count
            let piece = Array(wire[offset..<end])
            let outcome: Result<MessageAssembler.Message?, ProtocolViolation> = piece.withUnsafeBytes { bytes in
                do throws(ProtocolViolation) {
                    return .success(try assembler.append(bytes, offset: offset, isLast: isLast))
                } catch {
                    return .failure(error)
                }
            }
            result = try outcome.get()
            offset = end
        }
        return result
    }

    func testUnmasksPayloadsDeliveredInPiecesAtEveryPhase() throws {
        let key = MaskingKey(0x37, 0xFA, 0x21, 0x3D)
        let payload = (0..<37).map { UInt8($0) }
        for pieceSize in 1...9 {
            var assembler = MessageAssembler()
            let header = FrameHeader(opcode: .binary, maskingKey: key, payloadLength: payload.count)
            XCTAssertEqual(try feedFrame(&assembler, header, payload, pieceSize: pieceSize), .binary(payload, compressed: false))
        }
    }

    /// Small single-frame messages share one reused array; a message the caller still holds
    /// must keep its bytes when the next (shorter, masked) message arrives.
    func testHeldMessageKeepsItsBytesWhenTheNextOneReusesTheBuffer() throws {
        var assembler = MessageAssembler()
        let first = try feedFrame(&assembler, FrameHeader(opcode: .text, payloadLength: 5), utf8("first"))
        let key = MaskingKey(0x01, 0x02, 0x03, 0x04)
        let second = try feedFrame(&assembler, FrameHeader(opcode: .binary, maskingKey: key, payloadLength: 3), [9, 8, 7])
        let third = try feedFrame(&assembler, FrameHeader(opcode: .text, payloadLength: 2), utf8("ok"))
        XCTAssertEqual(first, .text(utf8("first"), compressed: false))
        XCTAssertEqual(second, .binary([9, 8, 7], compressed: false))
        XCTAssertEqual(third, .text(utf8("ok"), compressed: false))
        // Over the reuse limit: its own array, correct bytes.
        let big = [UInt8](repeating: 0x61, count: MessageAssembler.reuseLimit + 1)
        XCTAssertEqual(try feedFrame(&assembler, FrameHeader(opcode: .text, payloadLength: big.count), big),
                       .text(big, compressed: false))
        XCTAssertEqual(try feedFrame(&assembler, FrameHeader(opcode: .text, payloadLength: 1), utf8("z")),
                       .text(utf8("z"), compressed: false))
    }

    func testTracksAnOpenMessageAcrossInterleavedControlFrames() throws {
        var assembler = MessageAssembler()
        XCTAssertFalse(assembler.isReceivingMessage)
        XCTAssertNil(try feedFrame(&assembler, FrameHeader(fin: false, opcode: .text, payloadLength: 3), utf8("Hel")))
        XCTAssertTrue(assembler.isReceivingMessage)
        XCTAssertEqual(try feedFrame(&assembler, FrameHeader(opcode: .ping, payloadLength: 1), [7]), .ping([7]))
        XCTAssertTrue(assembler.isReceivingMessage)
        XCTAssertEqual(
            try feedFrame(&assembler, FrameHeader(opcode: .continuation, payloadLength: 2), utf8("lo"), pieceSize: 1),
            .text(utf8("Hello"), compressed: false)
        )
        XCTAssertFalse(assembler.isReceivingMessage)
    }

    func testControlPayloadInPiecesIsJoined() throws {
        var assembler = MessageAssembler()
        let header = FrameHeader(opcode: .close, maskingKey: MaskingKey(1, 2, 3, 4), payloadLength: 5)
        XCTAssertEqual(try feedFrame(&assembler, header, hex("03 E8 6F 6B 21"), pieceSize: 2), .close(hex("03 E8 6F 6B 21")))
    }

    func testMarksMessagesWhoseFirstFrameHasRSV1AsCompressed() throws {
        var assembler = MessageAssembler()
        XCTAssertNil(try feedFrame(&assembler, FrameHeader(fin: false, rsv1: true, opcode: .text, payloadLength: 1), [0xFF]))
        XCTAssertEqual(
            try feedFrame(&assembler, FrameHeader(opcode: .continuation, payloadLength: 1), [0xFE]),
            .text([0xFF, 0xFE], compressed: true)
        )
        XCTAssertEqual(
            try feedFrame(&assembler, FrameHeader(opcode: .binary, payloadLength: 1), [1]),
            .binary([1], compressed: false)
        )
    }

    func testMessageLimitCountsEveryFragment() {
        var assembler = MessageAssembler(maxMessageSize: 5)
        XCTAssertNoThrow(try feedFrame(&assembler, FrameHeader(fin: false, opcode: .binary, payloadLength: 3), [1, 2, 3]))
        XCTAssertThrowsError(try assembler.begin(FrameHeader(opcode: .continuation, payloadLength: 3))) {
            XCTAssertEqual($0 as? ProtocolViolation, .messageTooLarge(limit: 5))
        }
    }
}

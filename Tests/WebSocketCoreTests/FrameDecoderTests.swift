import XCTest
@testable import WebSocketCore

final class FrameDecoderTests: XCTestCase {
    /// A frame as the decoder reported it, payload unmasked and joined from its pieces.
    struct Decoded: Equatable {
        var header: FrameHeader
        var payload: [UInt8]
        /// Whether the last payload piece had been seen.
        var complete: Bool
    }

    /// Decodes `bytes` fed in chunks of `chunkSize` (all at once when nil).
    private func decode(
        _ bytes: [UInt8],
        role: Role = .client,
        maxFrameSize: Int = WebSocketConfiguration.defaultMaxFrameSize,
        allowsRSV1: Bool = false,
        chunkSize: Int? = nil
    ) -> (frames: [Decoded], violation: ProtocolViolation?) {
        var decoder = FrameDecoder(role: role, maxFrameSize: maxFrameSize, allowsRSV1: allowsRSV1)
        var frames: [Decoded] = []
        let size = max(1, chunkSize ?? bytes.count)
        var start = 0
        repeat {
            let chunk = Array(bytes[start..<min(bytes.count, start + size)])
            start += size
            let violation: ProtocolViolation? = chunk.withUnsafeBytes { input in
                var index = 0
                do throws(ProtocolViolation) {
                    while let part = try decoder.next(from: input, index: &index) {
                        switch part {
                        case .header(let header):
                            frames.append(Decoded(header: header, payload: [], complete: false))
                        case .payload(let piece, let offset, let isLast):
                            var unmasked = Array(piece)
                            XCTAssertEqual(offset, frames[frames.count - 1].payload.count, "payload offset")
                            if let key = frames[frames.count - 1].header.maskingKey {
                                unmasked.withUnsafeMutableBytes { key.apply(to: $0, phase: offset) }
                            }
                            frames[frames.count - 1].payload += unmasked
                            frames[frames.count - 1].complete = isLast
                        }
                    }
                    XCTAssertEqual(index, input.count, "decoder stopped before the end of its input")
                    return nil
                } catch {
                    return error
                }
            }
            if let violation { return (frames, violation) }
        } while start < bytes.count
        return (frames, nil)
    }

    private func assertViolation(
        _ bytes: [UInt8],
        role: Role = .client,
        maxFrameSize: Int = WebSocketConfiguration.defaultMaxFrameSize,
        allowsRSV1: Bool = false,
        _ expected: ProtocolViolation,
        closeCode: UInt16,
        file: StaticString = #filePath,
        line: UInt = #line
    ) {
        for chunkSize in [nil, 1] {
            let result = decode(bytes, role: role, maxFrameSize: maxFrameSize, allowsRSV1: allowsRSV1, chunkSize: chunkSize)
            XCTAssertEqual(result.violation, expected, "chunk size \(String(describing: chunkSize))", file: file, line: line)
            XCTAssertEqual(result.frames, [], "no frame is reported before its header is validated", file: file, line: line)
        }
        XCTAssertEqual(expected.closeCode, closeCode, file: file, line: line)
    }

    // MARK: RFC 6455 5.7 examples

    func testDecodesUnmaskedHello() {
        let result = decode(hex("81 05 48 65 6c 6c 6f"))
        XCTAssertNil(result.violation)
        XCTAssertEqual(result.frames, [Decoded(header: FrameHeader(opcode: .text, payloadLength: 5), payload: utf8("Hello"), complete: true)])
    }

    func testServerDecodesMaskedHello() {
        let result = decode(hex("81 85 37 fa 21 3d 7f 9f 4d 51 58"), role: .server)
        XCTAssertNil(result.violation)
        let header = FrameHeader(opcode: .text, maskingKey: MaskingKey(0x37, 0xFA, 0x21, 0x3D), payloadLength: 5)
        XCTAssertEqual(result.frames, [Decoded(header: header, payload: utf8("Hello"), complete: true)])
    }

    func testDecodesFragmentsWithTheirFINBits() {
        let result = decode(hex("01 03 48 65 6c") + hex("80 02 6c 6f"))
        XCTAssertEqual(result.frames, [
            Decoded(header: FrameHeader(fin: false, opcode: .text, payloadLength: 3), payload: utf8("Hel"), complete: true),
            Decoded(header: FrameHeader(opcode: .continuation, payloadLength: 2), payload: utf8("lo"), complete: true),
        ])
    }

    func testDecodes16And64BitLengths() {
        let binary256 = hex("82 7E 01 00") + [UInt8](repeating: 7, count: 256)
        let binary64K = hex("82 7F 00 00 00 00 00 01 00 00") + [UInt8](repeating: 9, count: 65536)
        let result = decode(binary256 + binary64K)
        XCTAssertNil(result.violation)
        XCTAssertEqual(result.frames.map(\.header.payloadLength), [256, 65536])
        XCTAssertEqual(result.frames.map(\.payload), [[UInt8](repeating: 7, count: 256), [UInt8](repeating: 9, count: 65536)])
    }

    func testReportsAnEmptyPayloadAsOneEmptyLastPiece() {
        let result = decode(hex("89 00 8a 00"))
        XCTAssertEqual(result.frames, [
            Decoded(header: FrameHeader(opcode: .ping, payloadLength: 0), payload: [], complete: true),
            Decoded(header: FrameHeader(opcode: .pong, payloadLength: 0), payload: [], complete: true),
        ])
    }

    func testBytewiseFeedingDecodesTheSameFrames() {
        var stream = rawFrame(0x01, utf8("Hel"), key: clientKey)
        stream += rawFrame(0x89, utf8("ping"), key: clientKey)
        stream += rawFrame(0x80, utf8("lo"), key: clientKey)
        stream += rawFrame(0x82, [UInt8](repeating: 0x5A, count: 300), key: clientKey)
        stream += rawFrame(0x82, [UInt8](repeating: 0xA5, count: 70000), key: clientKey)
        stream += rawFrame(0x88, [0x03, 0xE8], key: clientKey)
        let whole = decode(stream, role: .server)
        XCTAssertNil(whole.violation)
        XCTAssertEqual(whole.frames.count, 6)
        for chunkSize in [1, 2, 3, 5, 7, 13, 4096] {
            XCTAssertEqual(decode(stream, role: .server, chunkSize: chunkSize).frames, whole.frames, "chunk size \(chunkSize)")
        }
    }

    func testPayloadPiecesAreHandedOutBeforeTheFrameCompletes() {
        let frame = hex("82 05 01 02 03 04 05")
        let result = decode(Array(frame[..<4]))
        XCTAssertEqual(result.frames, [Decoded(header: FrameHeader(opcode: .binary, payloadLength: 5), payload: [1, 2], complete: false)])
    }

    // MARK: Header violations

    func testRejectsEachReservedBitWithoutAnExtension() {
        assertViolation(hex("C1 00"), .reservedBitsSet(0x40), closeCode: 1002)
        assertViolation(hex("A1 00"), .reservedBitsSet(0x20), closeCode: 1002)
        assertViolation(hex("91 00"), .reservedBitsSet(0x10), closeCode: 1002)
        assertViolation(hex("F1 00"), .reservedBitsSet(0x70), closeCode: 1002)
        assertViolation(hex("C9 00"), .reservedBitsSet(0x40), closeCode: 1002)
    }

    func testAcceptsRSV1OnTheFirstDataFrameWhenAnExtensionAllowsIt() {
        let result = decode(hex("41 01 00 80 01 00"), allowsRSV1: true)
        XCTAssertNil(result.violation)
        XCTAssertEqual(result.frames.map(\.header.rsv1), [true, false])
        XCTAssertEqual(decode(hex("C2 00"), allowsRSV1: true).frames.map(\.header.rsv1), [true])
    }

    func testRejectsRSV1OnControlAndContinuationFramesEvenWithAnExtension() {
        assertViolation(hex("C9 00"), allowsRSV1: true, .compressedBitOnNonInitialFrame(.ping), closeCode: 1002)
        assertViolation(hex("C8 00"), allowsRSV1: true, .compressedBitOnNonInitialFrame(.close), closeCode: 1002)
        assertViolation(hex("C0 00"), allowsRSV1: true, .compressedBitOnNonInitialFrame(.continuation), closeCode: 1002)
    }

    func testRejectsRSV2AndRSV3EvenWhenRSV1IsAllowed() {
        assertViolation(hex("E1 00"), allowsRSV1: true, .reservedBitsSet(0x20), closeCode: 1002)
        assertViolation(hex("D1 00"), allowsRSV1: true, .reservedBitsSet(0x10), closeCode: 1002)
    }

    func testRejectsEveryReservedOpcode() {
        for opcode: UInt8 in [3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF] {
            assertViolation([0x80 | opcode, 0x00], .unknownOpcode(opcode), closeCode: 1002)
        }
    }

    func testRejectsFragmentedControlFrames() {
        assertViolation(hex("09 00"), .fragmentedControlFrame(.ping), closeCode: 1002)
        assertViolation(hex("0A 00"), .fragmentedControlFrame(.pong), closeCode: 1002)
        assertViolation(hex("08 00"), .fragmentedControlFrame(.close), closeCode: 1002)
    }

    func testRejectsControlFramesLongerThan125Bytes() {
        assertViolation(hex("89 7E 00 7E"), .controlFrameTooLong(.ping), closeCode: 1002)
        assertViolation(hex("88 7F 00 00 00 00 00 01 00 00"), .controlFrameTooLong(.close), closeCode: 1002)
        let longest = decode(rawFrame(0x89, [UInt8](repeating: 1, count: 125)))
        XCTAssertNil(longest.violation)
        XCTAssertEqual(longest.frames.first?.payload.count, 125)
    }

    func testRejectsA64BitLengthWithTheMostSignificantBitSet() {
        assertViolation(hex("82 7F 80 00 00 00 00 00 00 00"), .lengthMostSignificantBitSet, closeCode: 1002)
        assertViolation(hex("82 7F FF FF FF FF FF FF FF FF"), .lengthMostSignificantBitSet, closeCode: 1002)
    }

    func testRejectsNonMinimalLengthEncodings() {
        assertViolation(hex("82 7E 00 00"), .nonMinimalLength(0), closeCode: 1002)
        assertViolation(hex("82 7E 00 7D"), .nonMinimalLength(125), closeCode: 1002)
        assertViolation(hex("82 7F 00 00 00 00 00 00 00 7E"), .nonMinimalLength(126), closeCode: 1002)
        assertViolation(hex("82 7F 00 00 00 00 00 00 FF FF"), .nonMinimalLength(65535), closeCode: 1002)
        XCTAssertNil(decode(hex("82 7E 00 7E") + [UInt8](repeating: 0, count: 126)).violation)
    }

    func testClientRejectsMaskedFrames() {
        assertViolation(hex("81 85 37 fa 21 3d 7f 9f 4d 51 58"), role: .client, .maskedFrameFromServer, closeCode: 1002)
        XCTAssertEqual(ProtocolViolation.maskedFrameFromServer.description, "server sent a masked frame")
    }

    func testServerRejectsUnmaskedFrames() {
        assertViolation(hex("81 05 48 65 6c 6c 6f"), role: .server, .unmaskedFrameFromClient, closeCode: 1002)
    }

    func testRejectsAnOversizedFrameFromItsHeaderBeforeAnyPayload() {
        // Only the header is fed: the limit must be enforced without waiting for the payload.
        assertViolation(hex("82 7E 01 01"), maxFrameSize: 256, .frameTooLarge(length: 257, limit: 256), closeCode: 1009)
        assertViolation(hex("82 7F 00 00 00 01 00 00 00 00"), .frameTooLarge(length: 1 << 32, limit: 64 << 20), closeCode: 1009)
        assertViolation(hex("82 0B"), maxFrameSize: 10, .frameTooLarge(length: 11, limit: 10), closeCode: 1009)
        XCTAssertNil(decode(hex("82 7E 01 00") + [UInt8](repeating: 0, count: 256), maxFrameSize: 256).violation)
        XCTAssertEqual(
            ProtocolViolation.frameTooLarge(length: 1 << 32, limit: 64 << 20).description,
            "frame of 4294967296 bytes exceeds 64 MiB limit"
        )
    }

    func testProducesNothingAfterAViolation() throws {
        var decoder = FrameDecoder(role: .client)
        let bytes = hex("83 00 81 01 41")
        try bytes.withUnsafeBytes { input in
            var index = 0
            XCTAssertThrowsError(try decoder.next(from: input, index: &index))
            XCTAssertNil(try decoder.next(from: input, index: &index))
        }
    }

    func testTracksWhetherItIsBetweenFrames() throws {
        var decoder = FrameDecoder(role: .client)
        XCTAssertTrue(decoder.isAtFrameBoundary)
        try [UInt8]([0x81]).withUnsafeBytes { input in
            var index = 0
            XCTAssertNil(try decoder.next(from: input, index: &index))
        }
        XCTAssertFalse(decoder.isAtFrameBoundary)
    }
}

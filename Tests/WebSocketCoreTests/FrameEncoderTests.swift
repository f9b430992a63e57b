import XCTest
@testable import WebSocketCore

/// Exact bytes from RFC 6455 5.7 and the length-encoding boundaries.
final class FrameEncoderTests: XCTestCase {
    private let rfcKey = MaskingKey(0x37, 0xFA, 0x21, 0x3D)

    private func encode(_ opcode: Opcode, _ payload: [UInt8], fin: Bool = true, rsv1: Bool = false, key: MaskingKey? = nil) -> [UInt8] {
        var buffer: [UInt8] = []
        FrameEncoder.encode(opcode: opcode, payload: payload, fin: fin, rsv1: rsv1, maskKey: key, into: &buffer)
        return buffer
    }

    func testEncodesUnmaskedHello() {
        XCTAssertEqual(encode(.text, utf8("Hello")), hex("81 05 48 65 6c 6c 6f"))
    }

    func testEncodesMaskedHelloWithTheRFCKey() {
        XCTAssertEqual(encode(.text, utf8("Hello"), key: rfcKey), hex("81 85 37 fa 21 3d 7f 9f 4d 51 58"))
    }

    func testEncodesAFragmentedMessage() {
        XCTAssertEqual(encode(.text, utf8("Hel"), fin: false), hex("01 03 48 65 6c"))
        XCTAssertEqual(encode(.continuation, utf8("lo")), hex("80 02 6c 6f"))
    }

    func testEncodesUnmaskedPingAndMaskedPong() {
        XCTAssertEqual(encode(.ping, utf8("Hello")), hex("89 05 48 65 6c 6c 6f"))
        // As printed in RFC 6455 5.7: the masked "Hello" is the same as in the text example
        // ('H' 0x48 ^ 0x37 = 0x7f), only the opcode differs.
        XCTAssertEqual(encode(.pong, utf8("Hello"), key: rfcKey), hex("8a 85 37 fa 21 3d 7f 9f 4d 51 58"))
    }

    func testEncodes256ByteBinaryWithA16BitLength() {
        let payload = [UInt8](repeating: 0xAB, count: 256)
        let frame = encode(.binary, payload)
        XCTAssertEqual(Array(frame[..<4]), hex("82 7E 01 00"))
        XCTAssertEqual(Array(frame[4...]), payload)
    }

    func testEncodes64KiBBinaryWithA64BitLength() {
        let payload = [UInt8](repeating: 0xCD, count: 65536)
        let frame = encode(.binary, payload)
        XCTAssertEqual(Array(frame[..<10]), hex("82 7F 00 00 00 00 00 01 00 00"))
        XCTAssertEqual(frame.count, 10 + 65536)
        XCTAssertEqual(Array(frame[10...]), payload)
    }

    func testUsesTheMinimalLengthEncodingAtEachBoundary() {
        let cases: [(length: Int, header: [UInt8])] = [
            (0, hex("82 00")),
            (125, hex("82 7D")),
            (126, hex("82 7E 00 7E")),
            (65535, hex("82 7E FF FF")),
            (65536, hex("82 7F 00 00 00 00 00 01 00 00")),
        ]
        for (length, header) in cases {
            let frame = encode(.binary, [UInt8](repeating: 0, count: length))
            XCTAssertEqual(Array(frame[..<header.count]), header, "length \(length)")
            XCTAssertEqual(frame.count, header.count + length, "length \(length)")
            let parsed = FrameHeader(opcode: .binary, payloadLength: length)
            XCTAssertEqual(parsed.encodedLength, header.count, "length \(length)")
        }
    }

    func testSetsRSV1ForCompressedMessages() {
        XCTAssertEqual(encode(.text, [0x00], rsv1: true), hex("C1 01 00"))
    }

    func testMaskedHeaderCarriesTheKeyAfterAnExtendedLength() {
        let frame = encode(.binary, [UInt8](repeating: 0, count: 200), key: rfcKey)
        XCTAssertEqual(Array(frame[..<8]), hex("82 FE 00 C8 37 fa 21 3d"))
        // Zeros masked are the key itself, repeated.
        XCTAssertEqual(Array(frame[8..<16]), hex("37 fa 21 3d 37 fa 21 3d"))
    }

    func testAppendsAfterExistingBytesWithoutDisturbingThem() {
        var buffer: [UInt8] = [1, 2, 3]
        FrameEncoder.encode(opcode: .text, payload: utf8("Hello"), maskKey: rfcKey, into: &buffer)
        FrameEncoder.encode(opcode: .ping, payload: [UInt8](), maskKey: nil, into: &buffer)
        XCTAssertEqual(buffer, [1, 2, 3] + hex("81 85 37 fa 21 3d 7f 9f 4d 51 58") + hex("89 00"))
    }
}

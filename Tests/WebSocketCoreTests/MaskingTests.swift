import XCTest
@testable import WebSocketCore

final class MaskingTests: XCTestCase {
    private let key = MaskingKey(0x37, 0xFA, 0x21, 0x3D)

    /// The obvious byte-by-byte definition from RFC 6455 5.3.
    private func referenceMask(_ bytes: [UInt8], key: [UInt8], phase: Int) -> [UInt8] {
        bytes.enumerated().map { $0.element ^ key[($0.offset + phase) % 4] }
    }

    private func sample(_ length: Int) -> [UInt8] {
        (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
    }

    func testMasksTheRFCExample() {
        var hello = utf8("Hello")
        hello.withUnsafeMutableBytes { key.apply(to: $0) }
        XCTAssertEqual(hello, hex("7f 9f 4d 51 58"))
    }

    func testKeyExposesItsBytesInWireOrder() {
        XCTAssertEqual(key.bytes, [0x37, 0xFA, 0x21, 0x3D])
        XCTAssertEqual(key.bigEndianValue, 0x37FA_213D)
        XCTAssertEqual(key.description, "37 fa 21 3d")
    }

    func testInPlaceMaskingMatchesTheReferenceForAllLengthsAndPhases() {
        for length in 0...40 {
            for phase in 0..<4 {
                let input = sample(length)
                var output = input
                output.withUnsafeMutableBytes { key.apply(to: $0, phase: phase) }
                XCTAssertEqual(output, referenceMask(input, key: key.bytes, phase: phase), "length \(length) phase \(phase)")
            }
        }
    }

    func testCopyingMaskMatchesTheReferenceForAllLengthsAndPhases() {
        for length in 0...40 {
            for phase in 0..<4 {
                let input = sample(length)
                var output = [UInt8](repeating: 0xEE, count: length + 3)
                input.withUnsafeBytes { source in
                    output.withUnsafeMutableBytes { key.copy(from: source, to: $0, phase: phase) }
                }
                XCTAssertEqual(Array(output[..<length]), referenceMask(input, key: key.bytes, phase: phase), "length \(length) phase \(phase)")
                XCTAssertEqual(Array(output[length...]), [0xEE, 0xEE, 0xEE], "wrote past the payload")
            }
        }
    }

    func testMaskingMisalignedBuffersMatchesTheReference() {
        let storage = sample(64)
        for start in 0..<8 {
            var bytes = storage
            bytes.withUnsafeMutableBytes { all in
                key.apply(to: UnsafeMutableRawBufferPointer(rebasing: all[start..<(start + 41)]))
            }
            let expected = Array(storage[..<start]) + referenceMask(Array(storage[start..<(start + 41)]), key: key.bytes, phase: 0)
                + Array(storage[(start + 41)...])
            XCTAssertEqual(bytes, expected, "start \(start)")
        }
    }

    func testMaskingInPiecesWithTheRunningPhaseEqualsMaskingAtOnce() {
        let input = sample(40)
        let whole = referenceMask(input, key: key.bytes, phase: 0)
        for first in 0...40 {
            for second in first...40 {
                var bytes = input
                bytes.withUnsafeMutableBytes { all in
                    key.apply(to: UnsafeMutableRawBufferPointer(rebasing: all[..<first]), phase: 0)
                    key.apply(to: UnsafeMutableRawBufferPointer(rebasing: all[first..<second]), phase: first)
                    key.apply(to: UnsafeMutableRawBufferPointer(rebasing: all[second...]), phase: second)
                }
                XCTAssertEqual(bytes, whole, "pieces at \(first), \(second)")
            }
        }
    }

    func testMaskingTwiceRestoresThePayload() {
        let input = sample(1000)
        var bytes = input
        bytes.withUnsafeMutableBytes { key.apply(to: $0, phase: 3) }
        XCTAssertNotEqual(bytes, input)
        bytes.withUnsafeMutableBytes { key.apply(to: $0, phase: 3) }
        XCTAssertEqual(bytes, input)
    }
}

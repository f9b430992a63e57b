import XCTest
@testable import WebSocketCore

final class SHA1Tests: XCTestCase {
    private func hex(_ bytes: [UInt8]) -> String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    func testDigestOfABCMatchesFIPS180Example() {
        XCTAssertEqual(hex(SHA1.digest(Array("abc".utf8))), "a9993e364706816aba3e25717850c26c9cd0d89d")
    }

    func testDigestOfEmptyInput() {
        XCTAssertEqual(hex(SHA1.digest([])), "da39a3ee5e6b4b0d3255bfef95601890afd80709")
    }

    func testDigestOfTwoBlockMessage() {
        let message = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
        XCTAssertEqual(hex(SHA1.digest(Array(message.utf8))), "84983e441c3bd26ebaae4aa1f95129e5e54670f1")
    }

    func testDigestIsTwentyBytes() {
        XCTAssertEqual(SHA1.digest(Array(repeating: 0x61, count: 1000)).count, 20)
    }
}

import XCTest
@testable import wsc

final class FormattingTests: XCTestCase {
    func testByteSizesAcceptBinarySuffixes() {
        XCTAssertEqual(ByteSize(argument: "1048576")?.bytes, 1_048_576)
        XCTAssertEqual(ByteSize(argument: "512K")?.bytes, 512 * 1024)
        XCTAssertEqual(ByteSize(argument: "64M")?.bytes, 64 << 20)
        XCTAssertEqual(ByteSize(argument: "1GiB")?.bytes, 1 << 30)
        XCTAssertNil(ByteSize(argument: "lots")?.bytes)
        XCTAssertNil(ByteSize(argument: "-5")?.bytes)
        XCTAssertEqual(ByteSize.describe(64 << 20), "64 MiB")
        XCTAssertEqual(ByteSize.describe(1500), "1500 bytes")
    }

    func testHexLineIsLowercaseWithoutSeparators() {
        XCTAssertEqual(String(decoding: HexFormatting.line([0x00, 0xAB, 0x10, 0xFF]), as: UTF8.self), "00ab10ff")
    }

    func testHexDumpShowsOffsetsHexAndPrintableText() {
        let dump = HexFormatting.dump(Array("Hello, WebSocket!".utf8))
        XCTAssertEqual(dump, """
        00000000  48 65 6c 6c 6f 2c 20 57  65 62 53 6f 63 6b 65 74  |Hello, WebSocket|
        00000010  21                                                |!|

        """)
    }

    func testReadablePayloadFallsBackToHexForControlBytes() {
        XCTAssertEqual(HexFormatting.readable(Array("hi".utf8)), "hi")
        XCTAssertEqual(HexFormatting.readable([0x01, 0x02]), "0x0102")
        XCTAssertEqual(HexFormatting.readable([0xFF]), "0xff")
    }
}

import XCTest
@testable import WebSocketCore

final class UTF8ValidatorTests: XCTestCase {
    private func isValid(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { UTF8Validator.isValid($0) }
    }

    private func feed(_ validator: inout UTF8Validator, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { validator.feed($0) }
    }

    func testAcceptsASCIIAndEveryEncodingLength() {
        XCTAssertTrue(isValid([]))
        XCTAssertTrue(isValid(utf8("Hello, world")))
        XCTAssertTrue(isValid(utf8("κόσμε")))
        XCTAssertTrue(isValid(utf8("€ 中文 😀 𝄞")))
        XCTAssertTrue(isValid(utf8(String(repeating: "a", count: 1000) + "é")))
    }

    func testAcceptsBoundaryCodePoints() {
        let valid: [[UInt8]] = [
            [0x00], [0x7F],                         // U+0000, U+007F
            [0xC2, 0x80], [0xDF, 0xBF],             // U+0080, U+07FF
            [0xE0, 0xA0, 0x80], [0xEF, 0xBF, 0xBF], // U+0800, U+FFFF
            [0xED, 0x9F, 0xBF], [0xEE, 0x80, 0x80], // U+D7FF, U+E000 (around the surrogates)
            [0xF0, 0x90, 0x80, 0x80],               // U+10000
            [0xF4, 0x8F, 0xBF, 0xBF],               // U+10FFFF
        ]
        for bytes in valid {
            XCTAssertTrue(isValid(bytes), "\(bytes)")
        }
    }

    func testRejectsOverlongsSurrogatesAndCodePointsBeyondUnicode() {
        let invalid: [[UInt8]] = [
            [0xC0, 0x80], [0xC1, 0xBF],             // overlong 2-byte
            [0xE0, 0x80, 0x80], [0xE0, 0x9F, 0xBF], // overlong 3-byte
            [0xF0, 0x80, 0x80, 0x80], [0xF0, 0x8F, 0xBF, 0xBF], // overlong 4-byte
            [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF], // surrogates U+D800, U+DFFF
            [0xF4, 0x90, 0x80, 0x80],               // U+110000
            [0xF5, 0x80, 0x80, 0x80], [0xFF],       // leads that can only exceed U+10FFFF
            [0x80], [0xBF],                         // continuation without lead
            [0xC2, 0x41],                           // lead followed by ASCII
            [0xE2, 0x82],                           // truncated at the end
            [0xCE, 0xBA, 0xE1, 0xBD, 0xB9, 0xCF, 0x83, 0xCE, 0xBC, 0xCE, 0xB5, 0xED, 0xA0, 0x80, 0x65, 0x64, 0x69, 0x74, 0x65, 0x64],
        ]
        for bytes in invalid {
            XCTAssertFalse(isValid(bytes), "\(bytes)")
        }
    }

    func testFailsAtTheFirstByteThatCannotContinueASequence() {
        // F4 90 can never become valid, so the failure is reported while the sequence is
        // still incomplete: this is the "fail fast" of Autobahn 6.4.
        var validator = UTF8Validator()
        XCTAssertTrue(feed(&validator, [0x61, 0xF4]))
        XCTAssertFalse(validator.isAtCharacterBoundary)
        XCTAssertFalse(feed(&validator, [0x90]))
        XCTAssertTrue(validator.hasFailed)
    }

    func testFailureIsStickyUntilReset() {
        var validator = UTF8Validator()
        XCTAssertFalse(feed(&validator, [0xFF]))
        XCTAssertFalse(feed(&validator, utf8("fine")))
        XCTAssertFalse(validator.isAtCharacterBoundary)
        validator.reset()
        XCTAssertTrue(feed(&validator, utf8("fine")))
        XCTAssertTrue(validator.isAtCharacterBoundary)
    }

    func testAcceptsSequencesSplitAtEveryBytePosition() {
        let text = utf8("aé€😀z" + String(repeating: "x", count: 20) + "中😀")
        for split in 0...text.count {
            var validator = UTF8Validator()
            XCTAssertTrue(feed(&validator, Array(text[..<split])), "split \(split)")
            XCTAssertTrue(feed(&validator, Array(text[split...])), "split \(split)")
            XCTAssertTrue(validator.isAtCharacterBoundary, "split \(split)")
        }
        var bytewise = UTF8Validator()
        for byte in text {
            XCTAssertTrue(feed(&bytewise, [byte]))
        }
        XCTAssertTrue(bytewise.isAtCharacterBoundary)
    }

    func testFindsAnInvalidByteAtEveryPositionOfALongASCIIRun() {
        // Exercises the word-at-a-time ASCII path: the bad byte must not be skipped wherever
        // it sits relative to the 8- and 16-byte steps.
        for position in 0..<70 {
            var bytes = [UInt8](repeating: 0x41, count: 70)
            bytes[position] = 0x80
            XCTAssertFalse(isValid(bytes), "position \(position)")
            bytes[position] = 0xC3
            if position + 1 < bytes.count {
                bytes[position + 1] = 0xA9
                XCTAssertTrue(isValid(bytes), "é at \(position)")
            } else {
                XCTAssertFalse(isValid(bytes), "truncated é at the end")
            }
        }
    }

    func testAgreesWithTheStandardLibraryOnRandomInput() {
        var generator = SplitMix64(seed: 6455)
        // Bias toward bytes that form (almost) valid sequences so both outcomes are common.
        let alphabet: [UInt8] = [0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC2, 0xDF,
                                 0xE0, 0xE1, 0xED, 0xEF, 0xF0, 0xF3, 0xF4, 0xF5, 0xFF]
        for _ in 0..<5000 {
            let length = Int(generator.next() % 12)
            let bytes = (0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }
            let expected = String(validating: bytes, as: UTF8.self) != nil
            XCTAssertEqual(isValid(bytes), expected, "\(bytes)")
        }
    }
}

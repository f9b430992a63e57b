import XCTest
@testable import WebSocketCore

final class Base64Tests: XCTestCase {
    /// RFC 4648 section 10.
    private let vectors: [(String, String)] = [
        ("", ""),
        ("f", "Zg=="),
        ("fo", "Zm8="),
        ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="),
        ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
    ]

    func testEncodesRFC4648TestVectors() {
        for (plain, encoded) in vectors {
            XCTAssertEqual(Base64.encode(Array(plain.utf8)), encoded, "encoding '\(plain)'")
        }
    }

    func testDecodesRFC4648TestVectors() {
        for (plain, encoded) in vectors {
            XCTAssertEqual(Base64.decode(encoded), Array(plain.utf8), "decoding '\(encoded)'")
        }
    }

    func testRoundTripsEveryByteValue() {
        let bytes = (0...255).map { UInt8($0) }
        let encoded = Base64.encode(bytes)
        XCTAssertEqual(Base64.decode(encoded), bytes)
        XCTAssertTrue(encoded.hasPrefix("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g"))
        XCTAssertTrue(encoded.hasSuffix("+/w=="))
    }

    func testEncodesAnyCollectionOfBytes() {
        XCTAssertEqual(Base64.encode(Array("foobar".utf8)[1...3]), "b29i")
        XCTAssertEqual(Base64.encode("the sample nonce".utf8), rfcSampleKey)
    }

    func testRejectsMissingPadding() {
        XCTAssertNil(Base64.decode("Zg"))
        XCTAssertNil(Base64.decode("Zm8"))
    }

    func testRejectsCharactersOutsideTheAlphabet() {
        XCTAssertNil(Base64.decode("Zm9v!A=="))
        XCTAssertNil(Base64.decode("Zm9v_-=="))
        XCTAssertNil(Base64.decode("Zm9v\nYg=="))
        XCTAssertNil(Base64.decode("Zm9v Yg="))
    }

    func testRejectsPaddingBeforeTheEnd() {
        XCTAssertNil(Base64.decode("Zg==Zm9v"))
        XCTAssertNil(Base64.decode("Z===")) // padding may fill at most two positions
        XCTAssertNil(Base64.decode("Zg=v"))
    }

    func testRejectsNonCanonicalTrailingBits() {
        XCTAssertNil(Base64.decode("Zh=="))
        XCTAssertNil(Base64.decode("Zm9="))
    }
}

import XCTest
@testable import wsc

/// `-b -x` values with hex: and base64: prefixes, `--binary-format`, and `-v`'s masking.
final class BinaryInputTests: XCTestCase {
    func testHexPrefixGivesTheBytes() throws {
        XCTAssertEqual(try OutgoingMessage(argument: "hex:48656c6C6f", binary: true),
                       OutgoingMessage(payload: Array("Hello".utf8), binary: true))
        XCTAssertEqual(try OutgoingMessage(argument: "hex:0x00ff 10", binary: true).payload, [0x00, 0xFF, 0x10])
    }

    func testBase64PrefixGivesTheBytes() throws {
        XCTAssertEqual(try OutgoingMessage(argument: "base64:SGVsbG8=", binary: true).payload, Array("Hello".utf8))
        XCTAssertEqual(try OutgoingMessage(argument: "base64:AP8Q", binary: true).payload, [0x00, 0xFF, 0x10])
    }

    func testWithoutPrefixOrWithoutBinaryTheTextIsSentAsItIs() throws {
        XCTAssertEqual(try OutgoingMessage(argument: "plain", binary: true), OutgoingMessage(payload: Array("plain".utf8), binary: true))
        XCTAssertEqual(try OutgoingMessage(argument: "hex:zz", binary: false),
                       OutgoingMessage(payload: Array("hex:zz".utf8), binary: false))
    }

    /// Zero hex digits is an even number: `hex:` is an empty message, as `base64:` is.
    func testEmptyHexAndBase64AreAnEmptyMessage() throws {
        XCTAssertEqual(try OutgoingMessage(argument: "hex:", binary: true).payload, [])
        XCTAssertEqual(try OutgoingMessage(argument: "base64:", binary: true).payload, [])
    }

    func testBadHexAndBase64AreInvalidInput() {
        for argument in ["hex:abc", "hex:zz", "hex:0x", "base64:abc", "base64:SGVsbG8", "base64:@@@@"] {
            XCTAssertThrowsError(try OutgoingMessage(argument: argument, binary: true), argument) { error in
                XCTAssertEqual((error as? SetupError)?.status, .invalidInput, argument)
            }
        }
    }

    func testBinaryFormatKeepsTodaysDefaults() {
        XCTAssertEqual(BinaryDisplay(format: nil, binaryFlag: false, terminal: true), .hexDump)
        XCTAssertEqual(BinaryDisplay(format: nil, binaryFlag: false, terminal: false), .hexLine)
        XCTAssertEqual(BinaryDisplay(format: nil, binaryFlag: true, terminal: false), .raw)
        XCTAssertEqual(BinaryDisplay(format: .base64, binaryFlag: true, terminal: false), .base64)
        XCTAssertEqual(BinaryDisplay(format: .hex, binaryFlag: true, terminal: false), .hexLine)
        XCTAssertEqual(BinaryDisplay(format: .raw, binaryFlag: false, terminal: true), .raw)
    }

    func testInteractiveBinaryFormats() {
        let base64 = IncomingMessageFormatter(pretty: false, style: TerminalStyle(enabled: false), binaryFormat: .base64)
        XCTAssertEqual(base64.binary([0x00, 0xFF]), "< <binary 2 bytes>\n  AP8=\n")
        let raw = IncomingMessageFormatter(pretty: false, style: TerminalStyle(enabled: false), binaryFormat: .raw)
        XCTAssertEqual(raw.binary(Array("hi".utf8)), "< <binary 2 bytes>\n  hi\n")
    }

    // MARK: - -v masking

    func testSecretHeaderValuesAreMasked() {
        XCTAssertEqual(HandshakeTrace.masked("Authorization: Basic dXNlcjpwYXNz"), "Authorization: Basic <masked>")
        XCTAssertEqual(HandshakeTrace.masked("proxy-authorization: Bearer abc.def"), "proxy-authorization: Bearer <masked>")
        XCTAssertEqual(HandshakeTrace.masked("Authorization: token"), "Authorization: <masked>")
        XCTAssertEqual(HandshakeTrace.masked("Cookie: session=abc; theme=dark"), "Cookie: <masked>")
        XCTAssertEqual(HandshakeTrace.masked("Set-Cookie: id=1; HttpOnly"), "Set-Cookie: <masked>")
        XCTAssertEqual(HandshakeTrace.masked("Host: example.com:80"), "Host: example.com:80")
        XCTAssertEqual(HandshakeTrace.masked("GET /chat HTTP/1.1"), "GET /chat HTTP/1.1")
    }

    func testTraceLinesArePrefixed() {
        XCTAssertEqual(HandshakeTrace.lines(["GET / HTTP/1.1", "Cookie: a=b"], prefix: "> "),
                       "> GET / HTTP/1.1\n> Cookie: <masked>\n")
    }
}

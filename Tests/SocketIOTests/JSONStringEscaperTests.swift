import XCTest
@testable import SocketIO

final class JSONStringEscaperTests: XCTestCase {
    func testEscapesQuotesBackslashesControlCharactersAndDeleteOnly() {
        XCTAssertEqual(JSONStringEscaper.quoted("a\"b\\c/d é 界 😀"), #""a\"b\\c/d é 界 😀""#)
        XCTAssertEqual(JSONStringEscaper.quoted("\n\r\t\u{8}\u{C}"), #""\n\r\t\b\f""#)
        XCTAssertEqual(JSONStringEscaper.quoted("\u{0}\u{1}\u{1F}\u{7F}"), #""\u0000\u0001\u001f\u007f""#)
        XCTAssertEqual(JSONStringEscaper.quoted(""), #""""#)
    }

    func testEveryASCIICharacterReadsBackThroughTheTokenizer() throws {
        let text = String(decoding: Array(0...0x7F) + Array("é界😀".utf8), as: UTF8.self)
        let quoted = Array(JSONStringEscaper.quoted(text).utf8)
        var tokenizer = JSONTokenizer(quoted)
        let token = try XCTUnwrap(try tokenizer.next())
        XCTAssertEqual(token, JSONToken(.string, 0..<quoted.count))
        XCTAssertEqual(try tokenizer.string(of: token), text)
        XCTAssertNil(try tokenizer.next())
    }
}

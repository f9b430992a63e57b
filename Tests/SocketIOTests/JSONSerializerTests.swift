import XCTest
@testable import SocketIO
import WebSocketCore

final class JSONSerializerTests: XCTestCase {
    func testWritesCompactJSONInMemberOrder() {
        let value = JSONValue.object([("b", .integer(1)), ("a", .array([.string("x"), .null, .bool(true)]))])
        XCTAssertEqual(value.serialized, #"{"b":1,"a":["x",null,true]}"#)
    }

    func testEscapesQuotesBackslashesAndControlCharactersOnly() {
        XCTAssertEqual(JSONValue.string("a\"b\\c\nd\te\u{1}é/").serialized, #""a\"b\\c\nd\te\u0001é/""#)
        XCTAssertEqual(JSONStringEscaper.quoted("two words"), #""two words""#)
    }

    func testRoundTripsWhatItReads() throws {
        let texts = [#"{"sid":"abc","upgrades":[],"pingInterval":25000}"#, #"["chat",{"a":1},[],"\u0000"]"#, "-1.5E+10"]
        for text in texts {
            XCTAssertEqual(try JSONParser.parse(text).serialized, text)
        }
    }
}

import XCTest
@testable import SocketIO
import WebSocketCore

final class JSONParserTests: XCTestCase {
    func testReadsEveryKindOfValue() throws {
        let value = try JSONParser.parse(#" {"a": [1, -2.5e3, true, false, null], "b": "x\"y", "c": {}} "#)
        XCTAssertEqual(value, .object([
            ("a", .array([.number("1"), .number("-2.5e3"), .bool(true), .bool(false), .null])),
            ("b", .string("x\"y")),
            ("c", .object([])),
        ]))
    }

    func testNumbersKeepTheirTextExactly() throws {
        XCTAssertEqual(try JSONParser.parse("12345678901234567890").serialized, "12345678901234567890")
        XCTAssertEqual(try JSONParser.parse("0.10").serialized, "0.10")
        XCTAssertEqual(try JSONParser.parse("-0").serialized, "-0")
        XCTAssertEqual(try JSONParser.parse("25000").intValue, 25000)
        XCTAssertNil(try JSONParser.parse("1.5").intValue)
    }

    func testDecodesEscapesAndSurrogatePairs() throws {
        XCTAssertEqual(try JSONParser.parse(#""\n\t\\\/\b\f\r\u00e9\ud83d\ude00""#), .string("\n\t\\/\u{8}\u{C}\r\u{E9}😀"))
        XCTAssertEqual(try JSONParser.parse("\"héllo\""), .string("héllo"))
    }

    func testRejectsWhatStrictJSONForbids() {
        let invalid = [
            "", " ", "[1,]", "{\"a\":1,}", "01", "1.", ".5", "-", "1e", "+1", "[1 2]", "{a:1}", "{\"a\" 1}",
            "'a'", "\"a", "\"\u{1}\"", #""\x""#, #""\ud800""#, #""\udc00""#, #""\ud800\u0041""#, "tru", "nul",
            "NaN", "Infinity", "[1] x", "{} {}", "[", "]", "// comment\n1",
        ]
        for text in invalid {
            XCTAssertThrowsError(try JSONParser.parse(text), "accepted \(text.debugDescription)")
        }
    }

    func testReportsTheOffsetOfTheProblem() {
        XCTAssertThrowsError(try JSONParser.parse("[1,]")) { error in
            XCTAssertEqual(error as? JSONError, JSONError("unexpected character ']'", at: 3))
        }
    }

    func testLimitsNestingDepth() {
        let deep = String(repeating: "[", count: JSONTokenizer.maxDepth + 1) + String(repeating: "]", count: JSONTokenizer.maxDepth + 1)
        XCTAssertThrowsError(try JSONParser.parse(deep))
        let fine = String(repeating: "[", count: JSONTokenizer.maxDepth) + String(repeating: "]", count: JSONTokenizer.maxDepth)
        XCTAssertNoThrow(try JSONParser.parse(fine))
    }

    func testReadsASequenceOfValues() throws {
        XCTAssertEqual(try JSONParser.parseSequence(#"1 "a"  {"b":2} [3]"#),
                       [.number("1"), .string("a"), .object([("b", .number("2"))]), .array([.number("3")])])
        XCTAssertEqual(try JSONParser.parseSequence("[1][2]"), [.array([.number("1")]), .array([.number("2")])])
        XCTAssertEqual(try JSONParser.parseSequence("  "), [])
        XCTAssertThrowsError(try JSONParser.parseSequence("truefalse"))
        XCTAssertThrowsError(try JSONParser.parseSequence("1 x"))
    }
}

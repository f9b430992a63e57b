import XCTest
@testable import SocketIO

final class JSONTokenizerTests: XCTestCase {
    private func tokens(_ bytes: [UInt8], mode: JSONTokenizer.Mode = .single) throws -> [JSONToken] {
        var tokenizer = JSONTokenizer(bytes, mode: mode)
        var tokens: [JSONToken] = []
        while let token = try tokenizer.next() { tokens.append(token) }
        return tokens
    }

    private func tokens(_ text: String, mode: JSONTokenizer.Mode = .single) throws -> [JSONToken] {
        try tokens(Array(text.utf8), mode: mode)
    }

    /// The error the tokenizer stops with, reading `bytes` to the end.
    private func error(_ bytes: [UInt8], mode: JSONTokenizer.Mode = .single) -> JSONError? {
        do {
            _ = try tokens(bytes, mode: mode)
            return nil
        } catch {
            return error as? JSONError
        }
    }

    private func error(_ text: String, mode: JSONTokenizer.Mode = .single) -> JSONError? {
        error(Array(text.utf8), mode: mode)
    }

    private func nested(_ levels: Int) -> String {
        String(repeating: "[", count: levels) + String(repeating: "]", count: levels)
    }

    func testGivesEveryTokenWithItsExactByteRange() throws {
        let text = #" {"a" : [1, -0.5e3,true,false,null], "b":"x\"y"} "#
        XCTAssertEqual(try tokens(text), [
            JSONToken(.beginObject, 1..<2), JSONToken(.memberName, 2..<5), JSONToken(.nameSeparator, 6..<7),
            JSONToken(.beginArray, 8..<9), JSONToken(.number, 9..<10), JSONToken(.valueSeparator, 10..<11),
            JSONToken(.number, 12..<18), JSONToken(.valueSeparator, 18..<19), JSONToken(.true, 19..<23),
            JSONToken(.valueSeparator, 23..<24), JSONToken(.false, 24..<29), JSONToken(.valueSeparator, 29..<30),
            JSONToken(.null, 30..<34), JSONToken(.endArray, 34..<35), JSONToken(.valueSeparator, 35..<36),
            JSONToken(.memberName, 37..<40), JSONToken(.nameSeparator, 40..<41), JSONToken(.string, 41..<47),
            JSONToken(.endObject, 47..<48),
        ])
    }

    func testReadsTheNumberGrammarAsOneTokenEach() throws {
        for number in ["0", "-0", "1e5", "1E+5", "1e-5", "0.5", "-0.5", "10", "1.25E-10", "12345678901234567890"] {
            XCTAssertEqual(try tokens(number), [JSONToken(.number, 0..<number.utf8.count)], number)
        }
    }

    /// Invalid texts, each with the reason and the offset the tokenizer stops at.
    private let invalidTexts: [(String, String, Int)] = [
        // Numbers.
        ("01", "leading zeros are not allowed", 0),
        ("-01", "leading zeros are not allowed", 0),
        ("1.", "expected a digit after '.'", 2),
        ("1.e5", "expected a digit after '.'", 2),
        (".5", "unexpected character '.'", 0),
        ("-", "expected a digit", 1),
        ("-a", "expected a digit", 1),
        ("+1", "unexpected character '+'", 0),
        ("1e", "expected a digit in the exponent", 2),
        ("1E+", "expected a digit in the exponent", 3),
        ("[1e-]", "expected a digit in the exponent", 4),
        ("0x10", "unexpected text after the JSON value", 1),
        ("NaN", "unexpected character 'N'", 0),
        // Structure.
        ("", "expected a JSON value, found the end", 0),
        ("  ", "expected a JSON value, found the end", 2),
        ("[", "expected a JSON value, found the end", 1),
        ("[1", "expected ',' or ']' in an array", 2),
        ("[1,]", "unexpected character ']'", 3),
        ("[1 2]", "expected ',' or ']' in an array", 3),
        ("[1}", "expected ',' or ']' in an array", 2),
        ("[,1]", "unexpected character ','", 1),
        ("{", "expected a member name in quotes", 1),
        ("{,}", "expected a member name in quotes", 1),
        ("{1:2}", "expected a member name in quotes", 1),
        ("{a:1}", "expected a member name in quotes", 1),
        (#"{"a""#, "expected ':' after a member name", 4),
        (#"{"a" 1}"#, "expected ':' after a member name", 5),
        (#"{"a":}"#, "unexpected character '}'", 5),
        (#"{"a":1,}"#, "expected a member name in quotes", 7),
        (#"{"a":1]"#, "expected ',' or '}' in an object", 6),
        (#"{"a":1 "b":2}"#, "expected ',' or '}' in an object", 7),
        ("]", "unexpected character ']'", 0),
        ("1 2", "unexpected text after the JSON value", 2),
        ("[1] x", "unexpected text after the JSON value", 4),
        ("{} {}", "unexpected text after the JSON value", 3),
        ("tru", "invalid literal (expected true)", 0),
        ("[nul]", "invalid literal (expected null)", 1),
        ("[fals]", "invalid literal (expected false)", 1),
        ("'a'", "unexpected character '''", 0),
        ("// comment\n1", "unexpected character '/'", 0),
        // Strings.
        (#""a"#, "unterminated string", 2),
        (#""\"#, "unterminated escape", 2),
        (#""\x""#, "invalid escape '\\x'", 1),
        (#""ab\'""#, "invalid escape '\\''", 3),
        (#""\u12""#, "expected four hex digits", 5),
        (#""\u12g4""#, "expected four hex digits", 5),
        (#""\ud800""#, "unpaired surrogate in \\u escape", 1),
        (#""\udc00""#, "unpaired surrogate in \\u escape", 1),
        (#""\ud800\u0041""#, "unpaired surrogate in \\u escape", 1),
        (#""\ud800\n""#, "unpaired surrogate in \\u escape", 1),
        (#""\ud800\udbff""#, "unpaired surrogate in \\u escape", 1),
        ("\"a\u{1}\"", "control character in a string (must be escaped)", 2),
        ("\"tab\tinside\"", "control character in a string (must be escaped)", 4),
        ("\"line\nbreak\"", "control character in a string (must be escaped)", 5),
    ]

    func testRejectsInvalidTextsAtTheOffendingByte() {
        for (text, reason, offset) in invalidTexts {
            XCTAssertEqual(error(text), JSONError(reason, at: offset), text.debugDescription)
        }
    }

    func testAllowsOnlyJSONWhitespaceBetweenTokens() throws {
        XCTAssertEqual(try tokens(" \t\r\n[ \t\r\n1 \t\r\n] \t\r\n").map(\.kind), [.beginArray, .number, .endArray])
        XCTAssertEqual(error("\u{0C}1"), JSONError("unexpected character '\\xc'", at: 0))  // form feed
        XCTAssertEqual(error("[\u{0B}1]"), JSONError("unexpected character '\\xb'", at: 1))  // vertical tab
        XCTAssertEqual(error([0xC2, 0xA0, 0x31]), JSONError("unexpected character '\\xc2'", at: 0))  // no-break space
        XCTAssertEqual(error([0xEF, 0xBB, 0xBF, 0x31]), JSONError("unexpected character '\\xef'", at: 0))  // BOM
    }

    func testRejectsInvalidUTF8InStrings() {
        let invalid: [[UInt8]] = [
            [0xC3],                    // lead byte, then the closing quote
            [0x80],                    // continuation byte alone
            [0xC0, 0x80],              // overlong NUL
            [0xE0, 0x80, 0x80],        // overlong
            [0xED, 0xA0, 0x80],        // an encoded surrogate
            [0xF4, 0x90, 0x80, 0x80],  // above U+10FFFF
            [0xF5, 0x80, 0x80, 0x80],
            [0xFF],
        ]
        for bytes in invalid {
            XCTAssertEqual(error([0x22, 0x61] + bytes + [0x22]), JSONError("invalid UTF-8 in a string", at: 2), "\(bytes)")
        }
        XCTAssertEqual(error([0x22, 0xE2, 0x82]), JSONError("invalid UTF-8 in a string", at: 1))  // cut short by the end
        XCTAssertNoThrow(try tokens([0x22, 0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0xF0, 0x9F, 0x98, 0x80, 0x22]))  // é € 😀
    }

    func testDecodesStringsWithTheirEscapes() throws {
        let text = #"{"k\u00e9y":"\n\t\\\/\b\f\r\"\u00e9\ud83d\ude00 é"}"#
        var tokenizer = JSONTokenizer(Array(text.utf8))
        var decoded: [String] = []
        while let token = try tokenizer.next() {
            if token.kind == .memberName || token.kind == .string { decoded.append(try tokenizer.string(of: token)) }
        }
        XCTAssertEqual(decoded, ["kéy", "\n\t\\/\u{8}\u{C}\r\"é😀 é"])
    }

    func testNestingIsLimitedToMaxDepth() throws {
        let limit = JSONTokenizer.maxDepth
        XCTAssertEqual(try tokens(nested(limit)).count, 2 * limit)
        XCTAssertEqual(error(nested(limit + 1)), JSONError("nested too deeply", at: limit))
        let objects = String(repeating: #"{"a":"#, count: limit) + "1" + String(repeating: "}", count: limit)
        XCTAssertNoThrow(try tokens(objects))
        XCTAssertEqual(error("[" + objects + "]"), JSONError("nested too deeply", at: 1 + 5 * (limit - 1)))
    }

    func testDepthCountsTheOpenContainers() throws {
        var tokenizer = JSONTokenizer(Array(#"[{"a":[]}]"#.utf8))
        var depths: [Int] = []
        while try tokenizer.next() != nil { depths.append(tokenizer.depth) }
        XCTAssertEqual(depths, [1, 2, 2, 2, 3, 2, 1, 0])
    }

    func testSequenceModeReadsValuesOneAfterAnother() throws {
        XCTAssertEqual(try tokens("", mode: .sequence), [])
        XCTAssertEqual(try tokens(" \n ", mode: .sequence), [])
        XCTAssertEqual(try tokens(#"1 "a"  [2]"#, mode: .sequence),
                       [JSONToken(.number, 0..<1), JSONToken(.string, 2..<5),
                        JSONToken(.beginArray, 7..<8), JSONToken(.number, 8..<9), JSONToken(.endArray, 9..<10)])
        XCTAssertEqual(try tokens(#"[1][2]{}"a"3"#, mode: .sequence).map(\.kind),
                       [.beginArray, .number, .endArray, .beginArray, .number, .endArray, .beginObject, .endObject,
                        .string, .number])
        XCTAssertEqual(try tokens("12", mode: .sequence), [JSONToken(.number, 0..<2)])
        XCTAssertEqual(error("truefalse", mode: .sequence), JSONError("expected whitespace between JSON values", at: 4))
        XCTAssertEqual(error("1 x", mode: .sequence), JSONError("unexpected character 'x'", at: 2))
        XCTAssertEqual(error("1 [", mode: .sequence), JSONError("expected a JSON value, found the end", at: 3))
    }
}

import XCTest
import SocketIO
@testable import wsc

final class JSONPrettyPrinterTests: XCTestCase {
    private func pretty(_ text: String) -> String? {
        JSONPrettyPrinter().format(Array(text.utf8)).map { String(decoding: $0, as: UTF8.self) }
    }

    func testIndentsObjectsAndArraysByTwoSpaces() {
        XCTAssertEqual(pretty(#"{"a":1,"b":[true,false,null],"c":{"d":"e"}}"#), """
        {
          "a": 1,
          "b": [
            true,
            false,
            null
          ],
          "c": {
            "d": "e"
          }
        }
        """)
    }

    func testKeepsStringsAndEscapesByteExact() {
        let input = #"{"s":"a \"quoted\" \\ \/ \u00e9 \n\t é 界 {[,:]}"}"#
        XCTAssertEqual(pretty(input), "{\n  \"s\": " + #""a \"quoted\" \\ \/ \u00e9 \n\t é 界 {[,:]}""# + "\n}")
    }

    func testKeepsNumbersAsWritten() {
        XCTAssertEqual(pretty("[1.50,-0,2E+10,1e-7,12345678901234567890123]"),
                       "[\n  1.50,\n  -0,\n  2E+10,\n  1e-7,\n  12345678901234567890123\n]")
    }

    func testRemovesWhitespaceBetweenTokensAndKeepsEmptyContainersShort() {
        XCTAssertEqual(pretty(" \n{ \"a\" :\t[ ] , \"b\" : { } }\r\n"), "{\n  \"a\": [],\n  \"b\": {}\n}")
    }

    func testLeavesScalarsAndNonJSONAlone() {
        for text in ["42", "\"text\"", "true", "hello", "", "{", "[1,]", "{\"a\" 1}", "{\"a\":1} x", "[01]",
                     "[1.]", "[-]", "[\"bad \\x escape\"]", "[\"tab\tinside\"]", "{1:2}", "[tru]", "[1e]"] {
            XCTAssertNil(pretty(text), text)
        }
    }

    func testNestingUpToTheSharedLimitIsReformatted() throws {
        let limit = JSONTokenizer.maxDepth
        let atLimit = try XCTUnwrap(pretty(String(repeating: "[", count: limit) + String(repeating: "]", count: limit)))
        let lines = atLimit.split(separator: "\n")
        XCTAssertEqual(lines.count, 2 * limit - 1)
        XCTAssertEqual(lines[limit - 1], String(repeating: " ", count: 2 * (limit - 1)) + "[]")
        XCTAssertEqual(lines[limit], String(repeating: " ", count: 2 * (limit - 2)) + "]")
        XCTAssertNil(pretty(String(repeating: "[", count: limit + 1) + String(repeating: "]", count: limit + 1)))
    }

    func testIndentsNestedContainersLevelByLevel() {
        XCTAssertEqual(pretty(#"[[1,[]],{"a":[{}],"b":{"c":[2]}}]"#), """
        [
          [
            1,
            []
          ],
          {
            "a": [
              {}
            ],
            "b": {
              "c": [
                2
              ]
            }
          }
        ]
        """)
    }

    func testLeavesLoneSurrogateEscapesAloneAsTheParserRejectsThem() {
        XCTAssertNil(pretty(#"["\ud800"]"#))
        XCTAssertEqual(pretty(#"["\ud83d\ude00"]"#), "[\n  " + #""\ud83d\ude00""# + "\n]")
    }
}

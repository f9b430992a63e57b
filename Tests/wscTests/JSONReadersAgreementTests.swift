import XCTest
import SocketIO
@testable import wsc

/// `--pretty` and the Socket.IO parser read JSON with the same tokenizer: over every input here
/// they take the same objects and arrays as JSON and refuse the same texts, and what `--pretty`
/// writes reads back as the value the parser read.
final class JSONReadersAgreementTests: XCTestCase {
    private let inputs: [String] = [
        // Accepted.
        "{}", "[]", " [ ] ", #"{"a":1}"#, #"[1,-0,0.5,1e5,1E+5,-2.5e-3,12345678901234567890]"#,
        #"{"a":[true,false,null],"b":{"c":"d"}}"#, #"["\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00"]"#, "[\"é 界\"]",
        " \t\r\n{\"a\" :\t[ ] , \"b\" : { } }\r\n", #"{"a":1,"a":2}"#,
        String(repeating: "[", count: JSONTokenizer.maxDepth) + String(repeating: "]", count: JSONTokenizer.maxDepth),
        // Scalars: JSON, but --pretty leaves them as they are.
        "42", "-0", "\"text\"", "true", "null",
        // Refused by both.
        "", " ", "{", "[", "]", "[1,]", #"{"a":1,}"#, "[01]", "[1.]", "[.5]", "[-]", "[1e]", "[+1]", "[1 2]",
        "{a:1}", #"{"a" 1}"#, "{1:2}", #"{"a":1} x"#, "[1] [2]", #"["bad \x escape"]"#, "[\"tab\tinside\"]",
        #"["\ud800"]"#, #"["\udc00"]"#, #"["\ud800\u0041"]"#, #"["\u12"]"#, "[tru]", "[NaN]", "['a']",
        "[\u{0C}1]", "[1]\u{0B}", "\u{FEFF}[1]", "[1] // comment", "hello",
        String(repeating: "[", count: JSONTokenizer.maxDepth + 1) + String(repeating: "]", count: JSONTokenizer.maxDepth + 1),
    ]

    func testParserAndPrettyPrinterAgreeOnWhatIsJSON() throws {
        for text in inputs {
            let parsed = try? JSONParser.parse(text)
            let pretty = JSONPrettyPrinter().format(Array(text.utf8)).map { String(decoding: $0, as: UTF8.self) }
            let isContainer = parsed.map { value in
                if case .array = value { return true }
                return value.isObject
            } ?? false
            XCTAssertEqual(pretty != nil, isContainer, "parser and --pretty disagree on \(text.prefix(40).debugDescription)")
            if let pretty {
                XCTAssertEqual(try JSONParser.parse(pretty), parsed, "--pretty changed the value of \(text.prefix(40).debugDescription)")
            }
        }
    }
}

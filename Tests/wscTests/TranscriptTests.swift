import XCTest
@testable import wsc
import WebSocketCore
import SocketIO

/// The JSON lines of --jsonl and --transcript, their times, and reading them back for --replay.
final class TranscriptTests: XCTestCase {
    private let time = "2023-11-14T22:13:20.123Z"

    // MARK: - RFC 3339 times

    func testFormatsFixedInstantsInUTCWithMilliseconds() {
        XCTAssertEqual(RFC3339Time.format(epochSeconds: 0, nanoseconds: 0), "1970-01-01T00:00:00.000Z")
        XCTAssertEqual(RFC3339Time.format(epochSeconds: 1_700_000_000, nanoseconds: 123_999_999),
                       "2023-11-14T22:13:20.123Z")
        XCTAssertEqual(RFC3339Time.format(epochSeconds: 951_782_400, nanoseconds: 5_000_000), "2000-02-29T00:00:00.005Z")
        XCTAssertEqual(RFC3339Time.format(epochSeconds: 4_102_444_800, nanoseconds: 0), "2100-01-01T00:00:00.000Z")
        XCTAssertEqual(RFC3339Time.format(epochSeconds: 253_402_300_799, nanoseconds: 999_999_999),
                       "9999-12-31T23:59:59.999Z")
        XCTAssertEqual(RFC3339Time.format(epochSeconds: -1, nanoseconds: 0), "1969-12-31T23:59:59.000Z")
    }

    func testNowHasTheRecordFormat() {
        let now = RFC3339Time.now()
        XCTAssertEqual(now.count, 24, now)
        XCTAssertTrue(now.hasSuffix("Z"), now)
        XCTAssertNotNil(RFC3339Time.parse(now))
    }

    func testParsesWhatItFormatsAndOffsets() {
        XCTAssertEqual(RFC3339Time.parse("2023-11-14T22:13:20.123Z") ?? 0, 1_700_000_000.123, accuracy: 1e-6)
        XCTAssertEqual(RFC3339Time.parse("1970-01-01T00:00:00Z"), 0)
        XCTAssertEqual(RFC3339Time.parse("1970-01-01T01:00:00+01:00"), 0)
        XCTAssertEqual(RFC3339Time.parse("1969-12-31T19:00:00.5-05:00"), 0.5)
        XCTAssertNil(RFC3339Time.parse("2023-11-14 22:13"))
        XCTAssertNil(RFC3339Time.parse("2023-13-14T22:13:20Z"))
        XCTAssertNil(RFC3339Time.parse("2023-11-14T22:13:20.Z"))
        XCTAssertNil(RFC3339Time.parse("2023-11-14T22:13:20Zjunk"))
    }

    // MARK: - Encoding records

    func testTextRecordEscapesQuotesBackslashesAndControlCharacters() {
        let record = MessageRecord(time: time, direction: .outgoing, kind: .text,
                                   payload: Array("say \"hi\"\\\n\t\r\u{1}\u{7F}é😀".utf8), code: nil)
        XCTAssertEqual(record.jsonLine, #"{"time":"2023-11-14T22:13:20.123Z","direction":"out","kind":"text","length":20,"#
            + #""data":"say \"hi\"\\\n\t\r\u0001\u007fé😀"}"#)
    }

    func testBinaryPingAndPongRecordsCarryBase64() {
        let binary = MessageRecord(time: time, direction: .incoming, kind: .binary, payload: [0x00, 0xFF, 0x10, 0x80])
        XCTAssertEqual(binary.jsonLine,
                       #"{"time":"2023-11-14T22:13:20.123Z","direction":"in","kind":"binary","length":4,"data":"AP8QgA=="}"#)
        let ping = MessageRecord(time: time, direction: .incoming, kind: .ping, payload: Array("hb".utf8))
        XCTAssertEqual(ping.jsonLine, #"{"time":"2023-11-14T22:13:20.123Z","direction":"in","kind":"ping","length":2,"data":"aGI="}"#)
        let pong = MessageRecord(time: time, direction: .outgoing, kind: .pong, payload: [])
        XCTAssertEqual(pong.jsonLine, #"{"time":"2023-11-14T22:13:20.123Z","direction":"out","kind":"pong","length":0,"data":""}"#)
    }

    func testCloseRecordsHaveCodeAndReasonInsteadOfData() {
        let close = MessageRecord(time: time, direction: .incoming, kind: .close, payload: Array("going \"away\"".utf8),
                                  code: 1001)
        XCTAssertEqual(close.jsonLine, #"{"time":"2023-11-14T22:13:20.123Z","direction":"in","kind":"close","length":14,"#
            + #""code":1001,"reason":"going \"away\""}"#)
        let empty = MessageRecord(time: time, direction: .incoming, kind: .close, payload: [], code: nil)
        XCTAssertEqual(empty.jsonLine,
                       #"{"time":"2023-11-14T22:13:20.123Z","direction":"in","kind":"close","length":0,"code":null,"reason":""}"#)
    }

    func testEncodedRecordsParseBackAsJSON() throws {
        let record = MessageRecord(time: time, direction: .outgoing, kind: .text, payload: Array("a\"\\\u{0}b\u{1F}".utf8))
        let value = try JSONParser.parse(record.jsonLine)
        XCTAssertEqual(value["data"], .string("a\"\\\u{0}b\u{1F}"))
        XCTAssertEqual(value["length"], .number("6"))
    }

    // MARK: - The JSON reader

    func testReadsEveryJSONValueKind() throws {
        let text = #" {"a": [1, -2.5e3, true, false, null], "b": {"c": "\u00e9\ud83d\ude00\/\n"}, "a2": 0} "#
        XCTAssertEqual(try JSONParser.parse(text), .object([
            (key: "a", value: .array([.number("1"), .number("-2.5e3"), .bool(true), .bool(false), .null])),
            (key: "b", value: .object([(key: "c", value: .string("é😀/\n"))])),
            (key: "a2", value: .number("0")),
        ]))
    }

    func testRejectsMalformedJSON() {
        for text in [#"{"a":1"#, #"{"a" 1}"#, "[1,]", "01", #""\ud800""#, "\"a\u{1}\"", "{} {}", #""\x""#, "tru", "-", "1."] {
            XCTAssertThrowsError(try JSONParser.parse(text), text)
        }
    }

    // MARK: - Reading transcripts for --replay

    func testReplayTakesOutgoingTextAndBinaryInOrder() throws {
        let transcript = """
            {"time":"2023-11-14T22:13:20.000Z","direction":"out","kind":"text","length":5,"data":"hello"}
            {"time":"2023-11-14T22:13:20.100Z","direction":"in","kind":"text","length":5,"data":"hello"}
            {"time":"2023-11-14T22:13:20.200Z","direction":"out","kind":"ping","length":0,"data":""}

            {"time":"2023-11-14T22:13:21.500Z","direction":"out","kind":"binary","length":3,"data":"AP8Q"}\r
            {"time":"2023-11-14T22:13:22.000Z","direction":"out","kind":"close","length":2,"code":1000,"reason":""}
            {"direction":"out","kind":"text","data":"line\\nbreak"}
            """
        let messages = try TranscriptReader.outgoingMessages(in: transcript)
        XCTAssertEqual(messages.map(\.payload), [Array("hello".utf8), [0x00, 0xFF, 0x10], Array("line\nbreak".utf8)])
        XCTAssertEqual(messages.map(\.binary), [false, true, false])
        XCTAssertEqual(messages[0].time ?? 0, 1_700_000_000, accuracy: 1e-6)
        XCTAssertEqual(messages[1].time ?? 0, 1_700_000_001.5, accuracy: 1e-6)
        XCTAssertNil(messages[2].time)
    }

    func testReplayNamesTheBadLine() {
        let notJSON = "{\"direction\":\"out\",\"kind\":\"text\",\"data\":\"a\"}\nnot json\n"
        XCTAssertThrowsError(try TranscriptReader.outgoingMessages(in: notJSON)) { error in
            XCTAssertEqual((error as? TranscriptError)?.line, 2)
        }
        let badBase64 = #"{"direction":"out","kind":"binary","data":"%%"}"#
        XCTAssertThrowsError(try TranscriptReader.outgoingMessages(in: badBase64)) { error in
            XCTAssertEqual((error as? TranscriptError)?.description, "line 1: the binary \"data\" is not base64")
        }
        XCTAssertThrowsError(try TranscriptReader.outgoingMessages(in: #"{"direction":"out","kind":"text"}"#))
        XCTAssertThrowsError(try TranscriptReader.outgoingMessages(in: "[1]"))
    }

    /// A record wsc would not write is refused rather than skipped, so no message silently
    /// goes missing from a replay.
    func testReplayRefusesUnknownKindsDirectionsAndTimes() {
        let cases: [(String, String)] = [
            (#"{"direction":"out","kind":"txt","data":"a"}"#, "line 1: \"kind\" must be one of text, binary, ping, pong, close"),
            (#"{"direction":"sent","kind":"text","data":"a"}"#, "line 1: \"direction\" must be \"in\" or \"out\""),
            (#"{"kind":"text","data":"a"}"#, "line 1: \"direction\" must be \"in\" or \"out\""),
            (#"{"time":"x","direction":"out","kind":"text","data":"a"}"#, "line 1: \"time\" is not an RFC 3339 time: x"),
        ]
        for (transcript, expected) in cases {
            XCTAssertThrowsError(try TranscriptReader.outgoingMessages(in: transcript), transcript) { error in
                XCTAssertEqual((error as? TranscriptError)?.description, expected)
            }
        }
    }
}

import XCTest
@testable import wsc

final class InteractiveFormattingTests: XCTestCase {
    private let plain = IncomingMessageFormatter(pretty: false, style: TerminalStyle(enabled: false))

    func testTextMessageIsPrefixedAndContinuationLinesIndented() {
        XCTAssertEqual(plain.text(Array("hello".utf8)), "< hello\n")
        XCTAssertEqual(plain.text(Array("one\ntwo\r\nthree".utf8)), "< one\n  two\n  three\n")
        XCTAssertEqual(plain.text([]), "< \n")
    }

    func testTimestampPrefixesTheFirstLineAndWidensTheIndent() {
        XCTAssertEqual(plain.text(Array("a\nb".utf8), timestamp: "12:34:56.789"),
                       "12:34:56.789 < a\n               b\n")
    }

    func testControlCharactersFromThePeerAreMadeVisible() {
        let hostile = Array("\u{1B}]0;title\u{07}red\u{1B}[31m\rback\u{7F}\u{9B}2J\ttab".utf8)
        XCTAssertEqual(plain.text(hostile), "< ␛]0;title␇red␛[31m␍back␡<U+009B>2J\ttab\n")
    }

    func testSanitizerLeavesOrdinaryTextUntouched() {
        XCTAssertEqual(TerminalSafeText.sanitize("héllo 界 \u{A0}x"[...]), "héllo 界 \u{A0}x")
    }

    func testColoursEveryLineSeparatelyWhenEnabled() {
        let coloured = IncomingMessageFormatter(pretty: false, style: TerminalStyle(enabled: true))
        XCTAssertEqual(coloured.text(Array("a\nb".utf8)), "\u{1B}[36m< a\u{1B}[0m\n\u{1B}[36m  b\u{1B}[0m\n")
    }

    func testPrettyReindentsJSONAndLeavesOtherTextAlone() {
        let pretty = IncomingMessageFormatter(pretty: true, style: TerminalStyle(enabled: false))
        XCTAssertEqual(pretty.text(Array(#"{"a":[1]}"#.utf8)), "< {\n    \"a\": [\n      1\n    ]\n  }\n")
        XCTAssertEqual(pretty.text(Array("not {json".utf8)), "< not {json\n")
    }

    func testBinaryMessageShowsSizeAndIndentedHexDump() {
        XCTAssertEqual(plain.binary([0x48, 0x69, 0x00]), """
        < <binary 3 bytes>
          00000000  48 69 00                                          |Hi.|

        """)
        XCTAssertEqual(plain.binary([]), "< <binary 0 bytes>\n")
    }

    func testTimestampIsLocalTimeOfDayWithMilliseconds() {
        XCTAssertEqual(Timestamp.format(epochSeconds: 0, nanoseconds: 0, utcOffset: 0), "00:00:00.000")
        // 2024-01-01 12:34:56.789 UTC
        XCTAssertEqual(Timestamp.format(epochSeconds: 1_704_112_496, nanoseconds: 789_999_999, utcOffset: 0),
                       "12:34:56.789")
        XCTAssertEqual(Timestamp.format(epochSeconds: 1_704_112_496, nanoseconds: 5_000_000, utcOffset: 3600),
                       "13:34:56.005")
        XCTAssertEqual(Timestamp.format(epochSeconds: 1_704_067_200, nanoseconds: 0, utcOffset: -5 * 3600),
                       "19:00:00.000")
        XCTAssertEqual(Timestamp.now().count, 12)
    }

    func testPingTrackerMatchesPongsByPayloadOldestFirst() {
        var tracker = PingTracker(limit: 2)
        tracker.sent([], at: 1.0)
        tracker.sent([1], at: 2.0)
        XCTAssertNil(tracker.pongReceived([9], at: 3.0))
        XCTAssertEqual(tracker.pongReceived([1], at: 2.5), 0.5)
        XCTAssertNil(tracker.pongReceived([1], at: 2.6))
        XCTAssertEqual(tracker.pongReceived([], at: 1.25), 0.25)
        tracker.sent([1], at: 1)
        tracker.sent([2], at: 2)
        tracker.sent([3], at: 3)
        XCTAssertNil(tracker.pongReceived([1], at: 4), "the oldest is forgotten beyond the limit")
        tracker.reset()
        XCTAssertNil(tracker.pongReceived([3], at: 4))
    }

    func testRoundTripIsShownInMilliseconds() {
        XCTAssertEqual(InteractiveSession.milliseconds(0.000_421), "0.42 ms")
        XCTAssertEqual(InteractiveSession.milliseconds(0.01234), "12.3 ms")
        XCTAssertEqual(InteractiveSession.milliseconds(1.2344), "1234 ms")
    }
}

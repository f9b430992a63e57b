import XCTest
@testable import wsc

final class StatusLineTests: XCTestCase {
    private let plain = TerminalStyle(fd: -1, noColorFlag: true, environment: [:])

    func testEveryKindNeutralisesControlCharactersButKeepsLineBreaks() {
        let text = "closed (4000 \"\u{1B}]0;title\u{07}\r\u{9B}2J\")\nsecond\tline"
        let shown = "closed (4000 \"␛]0;title␇␍<U+009B>2J\")\nsecond\tline"
        XCTAssertEqual(StatusLine.render(text, .status, style: plain), shown)
        XCTAssertEqual(StatusLine.render(text, .warning, style: plain), shown)
        XCTAssertEqual(StatusLine.render(text, .event, style: plain), shown)
        XCTAssertEqual(StatusLine.render(text, .trace, style: plain), shown)
        XCTAssertEqual(StatusLine.render(text, .error, style: plain), "wsc: " + shown)
    }
}

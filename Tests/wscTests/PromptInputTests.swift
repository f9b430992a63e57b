import Glibc
import XCTest
@testable import wsc

/// The keys the line editor takes before libedit does, read from a pipe standing in for the
/// terminal, and what a bracketed paste puts into the line.
final class PromptInputTests: XCTestCase {
    private var ends: [Int32] = [-1, -1]

    override func setUpWithError() throws {
        XCTAssertEqual(pipe(&ends), 0)
    }

    override func tearDown() {
        for end in ends where end >= 0 { close(end) }
    }

    private func type(_ text: String) {
        let bytes = Array(text.utf8)
        XCTAssertEqual(bytes.withUnsafeBytes { write(ends[1], $0.baseAddress, $0.count) }, bytes.count)
    }

    private func input() -> TerminalInput {
        var input = TerminalInput(descriptor: ends[0])
        input.escapeTimeout = 20
        return input
    }

    func testEnterControlDAndAltEnterAreRecognisedAtTheStartOfAKey() {
        var input = input()
        type("\r\n\u{4}\u{1B}\r\u{1B}\nx")
        for expected: TerminalInput.EditorKey in [.enter, .enter, .endOfFile] {
            let key = input.peekEditorKey()
            XCTAssertEqual(key?.key, expected)
            XCTAssertEqual(key?.length, 1)
            input.skip(1)
        }
        for _ in 0..<2 {
            let key = input.peekEditorKey()
            XCTAssertEqual(key?.key, .lineBreak)
            XCTAssertEqual(key?.length, 2)
            input.skip(2)
        }
        XCTAssertNil(input.peekEditorKey())
        XCTAssertEqual(input.nextCharacter(), Int32(UInt8(ascii: "x")), "a key the editor leaves is not consumed")
    }

    func testOtherEscapeSequencesAreLeftToLibedit() {
        var input = input()
        type("\u{1B}[A\u{1B}[2~")
        XCTAssertNil(input.peekEditorKey())
        XCTAssertEqual(input.nextCharacter(), 0x1B)
        XCTAssertEqual(input.nextCharacter(), Int32(UInt8(ascii: "[")))
        XCTAssertEqual(input.nextCharacter(), Int32(UInt8(ascii: "A")))
        XCTAssertNil(input.peekEditorKey(), "ESC [ 2 ~ starts like the paste marker but is Insert")
        XCTAssertEqual(input.nextCharacter(), 0x1B)
    }

    func testLoneEscapeIsWaitedForOnce() {
        var input = input()
        input.escapeTimeout = 300
        type("\u{1B}")
        let start = ContinuousClock.now
        XCTAssertNil(input.peekEditorKey())
        XCTAssertEqual(input.nextCharacter(), 0x1B)
        XCTAssertEqual(input.nextCharacter(), -1, "libedit's wait for the next key is already spent")
        XCTAssertLessThan(ContinuousClock.now - start, .milliseconds(550))
    }

    func testPasteIsCollectedUpToTheEndMarkerAcrossReads() {
        var input = input()
        type("\u{1B}[200~{\"a\": 1,\r \"b\"")
        let key = input.peekEditorKey()
        XCTAssertEqual(key?.key, .pasteStart)
        XCTAssertEqual(key?.length, 6)
        input.skip(6)
        var pasted: [UInt8] = []
        XCTAssertFalse(input.readPaste(into: &pasted), "the end has not arrived: no waiting for it")
        type(": 2}\r\u{1B}[20")
        XCTAssertFalse(input.readPaste(into: &pasted))
        type("1~typed")
        XCTAssertTrue(input.readPaste(into: &pasted))
        XCTAssertEqual(String(decoding: pasted, as: UTF8.self), "{\"a\": 1,\r \"b\": 2}\r")
        XCTAssertEqual(input.nextCharacter(), Int32(UInt8(ascii: "t")))
    }

    func testPastedTextKeepsInnerLineBreaksAndDropsTheLastOne() {
        XCTAssertEqual(PastedText.text(Array("one\rtwo\r\nthree\r".utf8)), "one\ntwo\nthree")
        XCTAssertEqual(PastedText.text(Array("one\n\n".utf8)), "one\n")
        XCTAssertEqual(PastedText.text(Array("tab\there".utf8)), "tab\there")
        XCTAssertEqual(PastedText.text([0x61, 0x00, 0x62, 0xFF]), "ab\u{FFFD}")
        XCTAssertEqual(PastedText.text([]), "")
    }

    func testTerminalsAreTakenToRewrapExceptXtermOutsideTmux() {
        XCTAssertTrue(LineEditor.rewrapsOnResize(environment: [:]))
        XCTAssertTrue(LineEditor.rewrapsOnResize(environment: ["TERM": "xterm-256color", "VTE_VERSION": "7600"]))
        XCTAssertFalse(LineEditor.rewrapsOnResize(environment: ["XTERM_VERSION": "XTerm(379)"]))
        XCTAssertTrue(LineEditor.rewrapsOnResize(environment: ["XTERM_VERSION": "XTerm(379)", "TMUX": "/tmp/tmux-1000/default,1,0"]))
    }
}

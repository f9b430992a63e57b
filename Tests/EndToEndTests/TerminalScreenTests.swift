import XCTest

/// The screen model draws what an xterm would for the sequences line editors send.
final class TerminalScreenTests: XCTestCase {
    func testTextAndLineBreaks() {
        let screen = TerminalScreen(columns: 20, rows: 5, output: Array("one\r\ntwo\r\n".utf8))
        XCTAssertEqual(screen.text, "one\ntwo")
        XCTAssertEqual(screen.cursorRow, 2)
        XCTAssertEqual(screen.cursorColumn, 0)
    }

    func testWrapIsDeferredUntilTheNextCharacter() {
        var screen = TerminalScreen(columns: 5, rows: 4)
        screen.feed("abcde")
        XCTAssertEqual(screen.cursorRow, 0)
        XCTAssertEqual(screen.cursorColumn, 4)
        screen.feed("f")
        XCTAssertEqual(screen.rows.prefix(2), ["abcde", "f"])
        screen.feed("\r\n12345\r\n")
        XCTAssertEqual(screen.text, "abcde\nf\n12345", "a line feed right after a full row is not doubled")
    }

    func testScrollsAtTheBottom() {
        let screen = TerminalScreen(columns: 10, rows: 2, output: Array("a\r\nb\r\nc".utf8))
        XCTAssertEqual(screen.rows, ["b", "c"])
    }

    func testCursorMovementAndErasing() {
        var screen = TerminalScreen(columns: 20, rows: 4)
        screen.feed("first\r\nprompt> half\r\nmore")
        screen.feed("\r\u{1B}[1A\u{1B}[J")
        XCTAssertEqual(screen.text, "first")
        XCTAssertEqual(screen.cursorRow, 1)
        screen.feed("message\r\nprompt> half\u{1B}[3D")
        XCTAssertEqual(screen.text, "first\nmessage\nprompt> half")
        XCTAssertEqual(screen.cursorColumn, 9)
        screen.feed("\u{1B}[K")
        XCTAssertEqual(screen.rows[2], "prompt> h")
    }

    func testInsertAndDeleteCharacters() {
        var screen = TerminalScreen(columns: 10, rows: 2)
        screen.feed("abcdef\u{1B}[4G\u{1B}[2P")
        XCTAssertEqual(screen.rows[0], "abcf")
        screen.feed("\u{1B}[2@XY")
        XCTAssertEqual(screen.rows[0], "abcXYf")
    }

    func testColoursAndModesDrawNothing() {
        let screen = TerminalScreen(columns: 20, rows: 2, output: Array("\u{1B}[?1h\u{1B}=\u{1B}[1;32mok\u{1B}[0m\u{1B}]0;title\u{7}".utf8))
        XCTAssertEqual(screen.text, "ok")
    }

    func testWideCharactersTakeTwoColumns() {
        var screen = TerminalScreen(columns: 5, rows: 2)
        screen.feed("ab界")
        XCTAssertEqual(screen.cursorColumn, 4)
        screen.feed("界")
        XCTAssertEqual(screen.rows, ["ab界", "界"], "a wide character that does not fit starts the next row")
    }

    func testUTF8SplitAcrossChunks() {
        var screen = TerminalScreen(columns: 10, rows: 1)
        let bytes = Array("é界".utf8)
        for byte in bytes { screen.feed([byte]) }
        XCTAssertEqual(screen.rows[0], "é界")
    }
}

extension TerminalScreenTests {
    func testResizeRewrapsSoftWrappedRowsAndMovesTheCursorWithItsCharacter() {
        var screen = TerminalScreen(columns: 10, rows: 4)
        screen.feed("message\r\n> abcdefghijkl")   // the prompt row wraps once at 10
        XCTAssertEqual(screen.rows, ["message", "> abcdefgh", "ijkl", ""])
        screen.resize(columns: 5, rows: 4, rewrap: true)
        // "message" takes two rows, the prompt three: the top row goes.
        XCTAssertEqual(screen.rows, ["ge", "> abc", "defgh", "ijkl"])
        XCTAssertEqual(screen.cursorRow, 3)
        XCTAssertEqual(screen.cursorColumn, 4)
        screen.resize(columns: 20, rows: 4, rewrap: true)
        XCTAssertEqual(screen.rows, ["ge", "> abcdefghijkl", "", ""])
        XCTAssertEqual(screen.cursorRow, 1)
        XCTAssertEqual(screen.cursorColumn, 14)
    }

    func testResizeWithoutRewrapCutsRows() {
        var screen = TerminalScreen(columns: 10, rows: 3)
        screen.feed("0123456789\r\nab")
        screen.resize(columns: 4, rows: 3, rewrap: false)
        XCTAssertEqual(screen.rows, ["0123", "ab", ""])
        XCTAssertEqual(screen.cursorRow, 1)
        XCTAssertEqual(screen.cursorColumn, 2)
    }

    func testLineBreaksAreNotJoinedByRewrap() {
        var screen = TerminalScreen(columns: 6, rows: 3)
        screen.feed("abc\r\ndef")
        screen.resize(columns: 2, rows: 5, rewrap: true)
        XCTAssertEqual(screen.rows, ["ab", "c", "de", "f", ""])
        XCTAssertEqual(screen.cursorRow, 3)
        XCTAssertEqual(screen.cursorColumn, 1)
    }
}

import Foundation
import XCTest

/// Pipe mode: no -x and stdin not a terminal. Each stdin line (LF or CRLF stripped) is one text
/// message; at end of input wsc keeps receiving for up to -w seconds (default 0) unless the
/// server closes first, then closes with 1000 and exits 0.
final class PipeModeTests: EndToEndTestCase {
    func testEachLineIsSentAsATextMessageAndEchoesArePrinted() throws {
        let echo = try startServer("echo.py")
        let run = try wsc(echo.url, stdin: "a\nb\nc\n")
        assertExitStatus(run, 0)
        assertStdout(run, "a\nb\nc\n")
    }

    func testCRLFLineEndingsAreStripped() throws {
        let echo = try startServer("echo.py")
        let run = try wsc(echo.url, stdin: "a\r\nb\r\nc\r\n")
        assertExitStatus(run, 0)
        assertStdout(run, "a\nb\nc\n")
    }

    func testLastLineWithoutNewlineIsStillSent() throws {
        let echo = try startServer("echo.py")
        let run = try wsc(echo.url, stdin: "a\nb")
        assertExitStatus(run, 0)
        assertStdout(run, "a\nb\n")
    }

    func testEmptyInputClosesCleanly() throws {
        let echo = try startServer("echo.py")
        let run = try wsc(echo.url, stdin: .empty)
        assertExitStatus(run, 0)
        assertStdout(run, "")
    }

    func testHundredThousandLinesArriveInOrderAndTheCloseIs1000() throws {
        let report = try reportPath()
        let counter = try startServer("count.py", "--expect-sequence", "--report", report)
        let input = (1...100_000).map { "\($0)\n" }.joined()
        let run = try wsc(counter.url, stdin: StandardInput(Array(input.utf8)), timeout: 120)
        assertExitStatus(run, 0)
        assertStdout(run, "")
        XCTAssertEqual(waitForFile(report), "count=100000 inorder=true\nclose=1000\n", run.summary)
    }

    /// Each line is larger than the outgoing high-water mark (1 MiB): stdin must pause and
    /// resume around every one of them, and every line must come back whole and in order.
    func testLinesLargerThanTheOutgoingBufferLimitArriveWhole() throws {
        let echo = try startServer("echo.py")
        let lines = (0..<4).map { index in
            String(repeating: "\(index)abcdefghijklmnopqrstuvwxyz", count: 2_500_000 / 27) + "\n"
        }
        let input = lines.joined()
        let run = try wsc("--max-message-size", "8M", echo.url, stdin: StandardInput(Array(input.utf8)), timeout: 60)
        assertExitStatus(run, 0)
        XCTAssertEqual(run.stdout.count, input.utf8.count, run.summary)
        XCTAssertTrue(run.stdout == Array(input.utf8), "the echoed lines differ from the input")
    }

    func testLineThatIsNotUTF8IsRejectedWithItsLineNumber() throws {
        let echo = try startServer("echo.py")
        let run = try wsc(echo.url, stdin: StandardInput(Array("ok\n".utf8) + [0xff, 0xfe, 0x0a]))
        assertExitStatus(run, 9)
        assertErrorLine(run, containing: "line 2")
    }

    func testBinaryFlagSendsEachLineAsABinaryMessage() throws {
        // With -b the same input is valid: each line goes out as a binary message (no UTF-8
        // check), the echo comes back binary, and -b writes binary raw with no separator.
        let echo = try startServer("echo.py")
        let run = try wsc("-b", echo.url, stdin: StandardInput(Array("ok\n".utf8) + [0xff, 0xfe, 0x0a]))
        assertExitStatus(run, 0)
        XCTAssertEqual(run.stdout, Array("ok".utf8) + [0xff, 0xfe], run.summary)
    }

    /// Binary stdin is bytes: only LF splits, and a CR before it belongs to the message.
    func testBinaryFlagKeepsCarriageReturnsBeforeLineFeeds() throws {
        let echo = try startServer("echo.py")
        let input: [UInt8] = [0x61, 0x0d, 0x0a, 0x0d, 0x0a, 0x62, 0x0d, 0x0d, 0x0a, 0x0d]
        let run = try wsc("-b", echo.url, stdin: StandardInput(input))
        assertExitStatus(run, 0)
        // Messages "a\r", "\r", "b\r\r" and "\r" come back raw, one after the other.
        XCTAssertEqual(run.stdout, [0x61, 0x0d, 0x0d, 0x62, 0x0d, 0x0d, 0x0d], run.summary)
    }

    func testWaitKeepsReceivingAfterEndOfInput() throws {
        let report = try reportPath()
        let sender = try startServer("sendn.py", "2", "--no-close", "--report", report)
        let run = try wsc("-w", "2", sender.url, stdin: .empty)
        assertExitStatus(run, 0)
        assertStdout(run, "msg 1\nmsg 2\n")
        XCTAssertGreaterThanOrEqual(run.elapsed, 1.8, "wsc should wait out -w 2 while the server is silent")
        XCTAssertLessThan(run.elapsed, 6, run.summary)
        XCTAssertEqual(waitForFile(report), "close=1000\n", "wsc closes with 1000 when the wait ends")
    }

    func testServerCloseEndsTheWaitEarly() throws {
        let sender = try startServer("sendn.py", "3")
        let run = try wsc("-w", "5", sender.url, stdin: .empty)
        assertExitStatus(run, 0)
        assertStdout(run, "msg 1\nmsg 2\nmsg 3\n")
        XCTAssertLessThan(run.elapsed, 4, "wsc should exit when the server closes, not wait out -w 5")
    }
}

import XCTest
@testable import wsc

final class LineSplitterTests: XCTestCase {
    private func split(_ chunks: [String], keepsCarriageReturn: Bool = false) -> [(String, Int)] {
        var splitter = LineSplitter(keepsCarriageReturn: keepsCarriageReturn)
        var lines: [(String, Int)] = []
        for chunk in chunks {
            _ = Array(chunk.utf8).withUnsafeBytes { raw in
                splitter.feed(raw) { line, number in
                    lines.append((String(decoding: line, as: UTF8.self), number)); return true
                }
            }
        }
        _ = splitter.finish { line, number in
            lines.append((String(decoding: line, as: UTF8.self), number)); return true
        }
        return lines
    }

    func testSplitsOnLFAndStripsCRLF() {
        let lines = split(["a\nb\r\nc\n"])
        XCTAssertEqual(lines.map(\.0), ["a", "b", "c"])
        XCTAssertEqual(lines.map(\.1), [1, 2, 3])
    }

    func testBinaryInputSplitsAtLFOnlyAndKeepsEveryCR() {
        let lines = split(["a\r\n\r", "\nb\r\r\n\r"], keepsCarriageReturn: true)
        XCTAssertEqual(lines.map(\.0), ["a\r", "\r", "b\r\r", "\r"])
    }

    func testLinesSpanningChunksAreJoined() {
        XCTAssertEqual(split(["hel", "lo\nwor", "ld\r", "\n"]).map(\.0), ["hello", "world"])
    }

    /// The gathering buffer is reused: a second long line must not carry bytes of the first.
    func testSuccessiveLongLinesAcrossChunksStayApart() {
        let first = String(repeating: "a", count: 70_000)
        let second = String(repeating: "b", count: 50_000)
        let chunks = [String(first.prefix(40_000)), String(first.dropFirst(40_000)) + "\n" + second.prefix(1),
                      String(second.dropFirst()), "\nend"]
        XCTAssertEqual(split(chunks).map(\.0), [first, second, "end"])
    }

    func testLastLineWithoutTerminatorIsStillSent() {
        XCTAssertEqual(split(["x\ny"]).map(\.0), ["x", "y"])
    }

    func testEmptyLinesAreKept() {
        XCTAssertEqual(split(["\n\nz\n"]).map(\.0), ["", "", "z"])
    }

    func testStoppingReportsFalseAndKeepsTheLineNumber() {
        var splitter = LineSplitter()
        var seen: [String] = []
        let completed = Array("1\n2\n3\n".utf8).withUnsafeBytes { raw in
            splitter.feed(raw) { line, number in
                seen.append(String(decoding: line, as: UTF8.self))
                return number < 2
            }
        }
        XCTAssertFalse(completed)
        XCTAssertEqual(seen, ["1", "2"])
    }
}

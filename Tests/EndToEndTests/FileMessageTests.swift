import Foundation
import XCTest

/// `--file PATH`: a file's contents as one message (text, or binary with -b), in order with -x;
/// `--file -` is all of stdin as one message.
final class FileMessageTests: EndToEndTestCase {
    private func writeFile(_ name: String, _ bytes: [UInt8]) throws -> String {
        let path = try temporaryDirectory() + "/" + name
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        return path
    }

    func testRandomBinaryFileComesBackByteIdentical() throws {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<3000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let path = try writeFile("random.bin", bytes)
        let echo = try startServer("echo.py")
        let run = try wsc("-q", "-b", "--file", path, echo.url)
        assertExitStatus(run, 0)
        XCTAssertEqual(run.stdout.count, 3000, run.summary)
        XCTAssertTrue(run.stdout == bytes, "the echoed file differs from the original")
    }

    func testTwoLineTextFileArrivesAsOneMessage() throws {
        let path = try writeFile("two-lines.txt", Array("first line\nsecond line\n".utf8))
        let echo = try startServer("echo.py")
        let run = try wsc("-q", "--jsonl", "--file", path, echo.url)
        assertExitStatus(run, 0)
        let incoming = run.stdoutText.split(separator: "\n").filter { $0.contains("\"direction\":\"in\"") && $0.contains("\"kind\":\"text\"") }
        XCTAssertEqual(incoming.count, 1, run.summary)
        XCTAssertTrue(incoming.first?.contains(#""data":"first line\nsecond line\n""#) ?? false, run.summary)
    }

    func testFilesAndExecuteMessagesAreSentInCommandLineOrder() throws {
        let first = try writeFile("a.txt", Array("from a".utf8))
        let second = try writeFile("b.txt", Array("from b".utf8))
        let echo = try startServer("echo.py")
        let run = try wsc("-q", "--file", first, "-x", "middle", "--file=\(second)", "--execute", "last", echo.url)
        assertExitStatus(run, 0)
        assertStdout(run, "from a\nmiddle\nfrom b\nlast\n")
    }

    func testStandardInputIsOneMessageWithDash() throws {
        let echo = try startServer("echo.py")
        let run = try wsc("-q", "--jsonl", "--file", "-", echo.url, stdin: "one\ntwo\nthree")
        assertExitStatus(run, 0)
        let incoming = run.stdoutText.split(separator: "\n").filter { $0.contains("\"direction\":\"in\"") && $0.contains("\"kind\":\"text\"") }
        XCTAssertEqual(incoming.count, 1, run.summary)
        XCTAssertTrue(incoming.first?.contains(#""data":"one\ntwo\nthree""#) ?? false, run.summary)
    }

    func testFileThatIsNotUTF8WithoutBinaryExits9NamingTheFile() throws {
        let path = try writeFile("latin1.txt", [0x63, 0x61, 0x66, 0xE9, 0x0A])
        let echo = try startServer("echo.py")
        let run = try wsc("--file", path, echo.url)
        assertExitStatus(run, 9)
        assertErrorLine(run, containing: "--file \(path) is not valid UTF-8")
        assertStdout(run, "")
    }

    func testMissingFileIsAClearError() throws {
        let path = try temporaryDirectory() + "/no-such-file.txt"
        let echo = try startServer("echo.py")
        let run = try wsc("--file", path, echo.url)
        assertExitStatus(run, 9)
        assertErrorLine(run, containing: "cannot open \(path): No such file or directory")
        XCTAssertEqual(run.errorLines.count, 1, run.summary)
    }

    func testFileIsRefusedInListenMode() throws {
        let path = try writeFile("a.txt", Array("a".utf8))
        let run = try wsc("-l", "0", "--file", path)
        assertExitStatus(run, 2)
        assertErrorLine(run, containing: "--file")
    }
}

import Foundation
import XCTest

/// --jsonl, --transcript and --replay, --binary-format, -b -x with hex:/base64:, and -v.
final class TranscriptTests: EndToEndTestCase {
    private static let timePattern = try! NSRegularExpression(
        pattern: #"^\{"time":"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z","#)

    /// The lines of a JSON lines output with each record's time checked and removed.
    private func recordsWithoutTime(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> [String] {
        text.split(separator: "\n").map { record in
            let record = String(record)
            let range = NSRange(record.startIndex..., in: record)
            guard let match = Self.timePattern.firstMatch(in: record, range: range),
                  let matched = Range(match.range, in: record) else {
                XCTFail("no RFC 3339 time with milliseconds at the start of \(record)", file: file, line: line)
                return record
            }
            return "{" + record[matched.upperBound...]
        }
    }

    func testJSONLinesRecordEveryMessageBothWaysAndTheClose() throws {
        let echo = try startServer("echo.py")
        let run = try wsc("--jsonl", "-x", "say \"hi\"\tnow", "-x", "é", echo.url)
        assertExitStatus(run, 0)
        XCTAssertEqual(recordsWithoutTime(run.stdoutText), [
            #"{"direction":"out","kind":"text","length":12,"data":"say \"hi\"\tnow"}"#,
            #"{"direction":"out","kind":"text","length":2,"data":"é"}"#,
            #"{"direction":"in","kind":"text","length":12,"data":"say \"hi\"\tnow"}"#,
            #"{"direction":"in","kind":"text","length":2,"data":"é"}"#,
            #"{"direction":"out","kind":"close","length":2,"code":1000,"reason":""}"#,
            #"{"direction":"in","kind":"close","length":2,"code":1000,"reason":""}"#,
        ], run.summary)
    }

    /// The pong the connection sends by itself is recorded, right after the ping it answers.
    func testJSONLinesRecordTheAutomaticPongInPipeMode() throws {
        let pusher = try startServer("push.py", "--delay", "0.3", "--ping", "still there?")
        let run = try wsc("--jsonl", "-P", "-x", "hi", "-w", "1", pusher.url)
        assertExitStatus(run, 0)
        XCTAssertEqual(recordsWithoutTime(run.stdoutText), [
            #"{"direction":"out","kind":"text","length":2,"data":"hi"}"#,
            #"{"direction":"in","kind":"text","length":2,"data":"hi"}"#,
            #"{"direction":"in","kind":"ping","length":12,"data":"c3RpbGwgdGhlcmU/"}"#,
            #"{"direction":"out","kind":"pong","length":12,"data":"c3RpbGwgdGhlcmU/"}"#,
            #"{"direction":"in","kind":"text","length":6,"data":"pushed"}"#,
            #"{"direction":"out","kind":"close","length":2,"code":1000,"reason":""}"#,
            #"{"direction":"in","kind":"close","length":2,"code":1000,"reason":""}"#,
        ], run.summary)
    }

    /// `--exec` with `--transcript`: the command's lines are recorded as they go out, as the
    /// messages that come back to it are.
    func testTranscriptRecordsWhatTheExecCommandSends() throws {
        let echo = try startServer("echo.py")
        let transcript = try temporaryDirectory() + "/exec.jsonl"
        let run = try wsc("-q", "--transcript", transcript, "--exec", "echo one; sleep 0.5", echo.url)
        assertExitStatus(run, 0)
        let records = recordsWithoutTime(try String(contentsOfFile: transcript, encoding: .utf8))
        XCTAssertEqual(Array(records.prefix(2)), [
            #"{"direction":"out","kind":"text","length":3,"data":"one"}"#,
            #"{"direction":"in","kind":"text","length":3,"data":"one"}"#,
        ], records.joined(separator: "\n"))
    }

    func testJSONLinesShowBinaryAsBase64() throws {
        let echo = try startServer("echo.py")
        let run = try wsc("--jsonl", "-b", "-x", "hex:00ff10", echo.url)
        assertExitStatus(run, 0)
        XCTAssertEqual(recordsWithoutTime(run.stdoutText).prefix(2), [
            #"{"direction":"out","kind":"binary","length":3,"data":"AP8Q"}"#,
            #"{"direction":"in","kind":"binary","length":3,"data":"AP8Q"}"#,
        ], run.summary)
    }

    func testTranscriptOfAPipeSessionReplaysInOrder() throws {
        let echo = try startServer("echo.py")
        let transcript = try temporaryDirectory() + "/session.jsonl"
        let first = try wsc("--transcript", transcript, echo.url, stdin: "one\ntwo\nthree\n")
        assertExitStatus(first, 0)
        assertStdout(first, "one\ntwo\nthree\n")
        let written = try String(contentsOfFile: transcript, encoding: .utf8)
        XCTAssertEqual(recordsWithoutTime(written).count, 8, written)   // 3 out, 3 in, the closes

        let replay = try wsc("--replay", transcript, echo.url)
        assertExitStatus(replay, 0)
        assertStdout(replay, "one\ntwo\nthree\n")
    }

    func testReplaySpeedKeepsTheOriginalGapsScaled() throws {
        let echo = try startServer("echo.py")
        let transcript = try temporaryDirectory() + "/timed.jsonl"
        try """
            {"time":"2024-01-01T00:00:00.000Z","direction":"out","kind":"text","length":1,"data":"a"}
            {"time":"2024-01-01T00:00:01.000Z","direction":"out","kind":"binary","length":1,"data":"Yg=="}
            {"time":"2024-01-01T00:00:01.200Z","direction":"in","kind":"text","length":1,"data":"ignored"}

            """.write(toFile: transcript, atomically: true, encoding: .utf8)
        let run = try wsc("--replay", transcript, "--replay-speed", "2", "-w", "0.3", "-b", echo.url)
        assertExitStatus(run, 0)
        assertStdout(run, "a\nb")   // text with a newline, binary raw (-b)
        XCTAssertGreaterThanOrEqual(run.elapsed, 0.5 + 0.3, "1 s gap at speed 2, then -w 0.3\n\(run.summary)")
    }

    func testBinaryFormatBase64PrintsOneLinePerMessage() throws {
        let echo = try startServer("echo.py")
        let run = try wsc("-b", "--binary-format", "base64", "-x", "base64:SGVsbG8=", "-x", "hex:00 ff", echo.url)
        assertExitStatus(run, 0)
        assertStdout(run, "SGVsbG8=\nAP8=\n")
    }

    func testBadHexAfterBinaryXIsInvalidInput() throws {
        let run = try wsc("-b", "-x", "hex:4g", "ws://127.0.0.1:9/")
        assertExitStatus(run, 9)
        assertErrorLine(run, containing: "hex:")
    }

    func testMissingReplayFileIsInvalidInput() throws {
        let run = try wsc("--replay", "/nonexistent/session.jsonl", "ws://127.0.0.1:9/")
        assertExitStatus(run, 9)
        assertErrorLine(run, containing: "cannot open /nonexistent/session.jsonl")
    }

    func testEmptyHexAfterBinaryXSendsAnEmptyMessage() throws {
        let echo = try startServer("echo.py")
        let run = try wsc("-b", "--jsonl", "-x", "hex:", echo.url)
        assertExitStatus(run, 0)
        XCTAssertTrue(run.stdoutText.contains("\"direction\":\"in\",\"kind\":\"binary\",\"length\":0"), run.summary)
    }

    func testVerbosePrintsHeadsWithSecretsMasked() throws {
        let echo = try startServer("echo.py")
        let run = try wsc("-v", "-H", "Authorization: Bearer s3cr3t-token", "-H", "Cookie: session=abc123",
                          "-x", "hi", echo.url)
        assertExitStatus(run, 0)
        assertStdout(run, "hi\n")
        XCTAssertTrue(run.stderr.contains("> GET / HTTP/1.1\n"), run.summary)
        XCTAssertTrue(run.stderr.contains("> Authorization: Bearer <masked>\n"), run.summary)
        XCTAssertTrue(run.stderr.contains("> Cookie: <masked>\n"), run.summary)
        XCTAssertTrue(run.stderr.contains("< HTTP/1.1 101 Switching Protocols\n"), run.summary)
        XCTAssertTrue(run.stderr.contains("< Sec-WebSocket-Accept: "), run.summary)
        XCTAssertFalse(run.stderr.contains("s3cr3t"), run.summary)
        XCTAssertFalse(run.stderr.contains("abc123"), run.summary)
    }

    func testVerboseMasksBasicCredentialsButKeepsTheScheme() throws {
        let echo = try startServer("echo.py")
        let run = try wsc("-v", "--auth", "user:hunter2", "-x", "hi", echo.url)
        assertExitStatus(run, 0)
        XCTAssertTrue(run.stderr.contains("> Authorization: Basic <masked>\n"), run.summary)
        XCTAssertFalse(run.stderr.contains("dXNlcjpodW50ZXIy"), run.summary)
    }
}

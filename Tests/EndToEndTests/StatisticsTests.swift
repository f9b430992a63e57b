import Foundation
import XCTest

/// `--stats`: a summary of the session on stderr when wsc exits, as lines or as one JSON object.
final class StatisticsTests: EndToEndTestCase {
    /// The stderr lines of the text summary, from "stats:" on, keyed by their label.
    private func summary(_ run: WscRun) -> [String: String] {
        guard let start = run.stderrLines.firstIndex(of: "stats:") else { return [:] }
        var rows: [String: String] = [:]
        for line in run.stderrLines[(start + 1)...] where line.hasPrefix("  ") {
            let parts = line.trimmingCharacters(in: .whitespaces).components(separatedBy: "  ")
            guard let label = parts.first else { continue }
            rows[label] = parts.dropFirst().joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        return rows
    }

    private func jsonSummary(_ run: WscRun) throws -> [String: Any] {
        let line = try XCTUnwrap(run.stderrLines.last { $0.hasPrefix("{") }, run.summary)
        let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
        return try XCTUnwrap(object as? [String: Any], run.summary)
    }

    func testThreePipedLinesAreThreeSentAndThreeReceived() throws {
        let echo = try startServer("echo.py")
        let run = try wsc("-q", "--stats", echo.url, stdin: "one\ntwo\nthree\n")
        assertExitStatus(run, 0)
        assertStdout(run, "one\ntwo\nthree\n")
        let rows = summary(run)
        XCTAssertTrue(rows["sent"]?.hasPrefix("3 messages, 11 bytes (") ?? false, run.summary)
        XCTAssertTrue(rows["received"]?.hasPrefix("3 messages, 11 bytes (") ?? false, run.summary)
        XCTAssertEqual(rows["close"], "1000 normal closure, sent by wsc", run.summary)
        XCTAssertEqual(rows["exit status"], "0", run.summary)
        XCTAssertEqual(rows["tls"], "-", run.summary)
        for step in ["dns", "tcp connect", "handshake", "first message"] {
            XCTAssertTrue(rows[step]?.hasSuffix(" ms") ?? false, "\(step)\n\(run.summary)")
        }
    }

    func testJSONFormParsesWithTheSameCounts() throws {
        let echo = try startServer("echo.py")
        let run = try wsc("--stats=json", echo.url, stdin: "one\ntwo\nthree\n")
        assertExitStatus(run, 0)
        let object = try jsonSummary(run)
        XCTAssertEqual(object["messages_sent"] as? Int, 3)
        XCTAssertEqual(object["messages_received"] as? Int, 3)
        XCTAssertEqual(object["bytes_sent"] as? Int, 11)
        XCTAssertEqual(object["close_code"] as? Int, 1000)
        XCTAssertEqual(object["closed_by"] as? String, "wsc")
        XCTAssertEqual(object["exit_status"] as? Int, 0)
        XCTAssertTrue(object["tls_ms"] is NSNull, run.summary)
        let handshake = try XCTUnwrap(object["handshake_ms"] as? Double, run.summary)
        let connect = try XCTUnwrap(object["connect_ms"] as? Double, run.summary)
        XCTAssertLessThanOrEqual(connect, handshake, "times are cumulative from the start")
        XCTAssertGreaterThan(object["wire_bytes_sent"] as? Int ?? 0, 11, "frame headers and masks count on the wire")
    }

    /// `--stats URL`: the URL is not taken for the option's value.
    func testURLAfterTheFlagIsStillTheURL() throws {
        let echo = try startServer("echo.py")
        let run = try wsc("--stats", echo.url, "-x", "hi")
        assertExitStatus(run, 0)
        XCTAssertEqual(summary(run)["sent"]?.hasPrefix("1 message, 2 bytes") ?? false, true, run.summary)
    }

    func testServerCloseReasonAndErrorExitAreReported() throws {
        let sender = try startServer("sendn.py", "1", "--close-code", "4001", "--reason", "bye")
        let run = try wsc("--stats=json", sender.url, stdin: .empty, keepStdinOpen: true)
        assertExitStatus(run, 8)
        let object = try jsonSummary(run)
        XCTAssertEqual(object["close_code"] as? Int, 4001, run.summary)
        XCTAssertEqual(object["close_reason"] as? String, "bye", run.summary)
        XCTAssertEqual(object["closed_by"] as? String, "server", run.summary)
        XCTAssertEqual(object["exit_status"] as? Int, 8, run.summary)
        XCTAssertEqual(object["messages_received"] as? Int, 1, run.summary)
    }

    func testRefusedConnectionShowsTheStepsReached() throws {
        let port = try unusedPort()
        let run = try wsc("--stats", "ws://127.0.0.1:\(port)/", "-x", "hi")
        assertExitStatus(run, 3)
        let rows = summary(run)
        XCTAssertEqual(rows["handshake"], "-", run.summary)
        XCTAssertEqual(rows["tcp connect"], "-", run.summary)
        XCTAssertEqual(rows["close"], "none (never connected)", run.summary)
        XCTAssertEqual(rows["exit status"], "3", run.summary)
    }

    func testStatsDoNotApplyToListenMode() throws {
        let run = try wsc("-l", "0", "--stats")
        assertExitStatus(run, 2)
        assertErrorLine(run, containing: "--stats")
    }
}

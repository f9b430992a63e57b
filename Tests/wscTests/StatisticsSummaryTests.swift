import Foundation
import XCTest
import WebSocketTransport
@testable import wsc

/// `--stats`: the wording of the summary (the numbers come from the transport).
final class StatisticsSummaryTests: XCTestCase {
    private func statistics() -> ConnectionStatistics {
        var statistics = ConnectionStatistics()
        statistics.timings.started = 100
        statistics.timings.resolved = 100.001
        statistics.timings.connected = 100.0025
        statistics.timings.opened = 100.004
        statistics.connections = 1
        statistics.messagesSent = 2
        statistics.payloadBytesSent = 10
        return statistics
    }

    func testJSONHasCumulativeMillisecondsNullsAndAnEscapedReason() throws {
        let summary = StatisticsSummary(statistics: statistics(),
                                        outcome: .closed(code: 4000, reason: "bye \"now\"\n\u{1b}", initiatedByPeer: true),
                                        exitCode: 8)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(summary.json.utf8)) as? [String: Any])
        XCTAssertEqual(object["dns_ms"] as? Double, 1.0)
        XCTAssertEqual(object["connect_ms"] as? Double, 2.5)
        XCTAssertEqual(object["handshake_ms"] as? Double, 4.0)
        XCTAssertTrue(object["tls_ms"] is NSNull)
        XCTAssertTrue(object["first_message_ms"] is NSNull)
        XCTAssertTrue(object["rtt_ms"] is NSNull)
        XCTAssertEqual(object["close_code"] as? Int, 4000)
        XCTAssertEqual(object["close_reason"] as? String, "bye \"now\"\n\u{1b}")
        XCTAssertEqual(object["closed_by"] as? String, "server")
        XCTAssertEqual(object["exit_status"] as? Int, 8)
        XCTAssertFalse(summary.json.contains("\n"), "one line")
    }

    func testTextSaysHowTheConnectionEnded() {
        let lost = StatisticsSummary(statistics: statistics(), outcome: .abnormalClosure(.peerEndedStream), exitCode: 8)
        XCTAssertTrue(lost.text.contains("  close          none (no close frame"), lost.text)
        XCTAssertTrue(lost.text.hasPrefix("stats:\n  dns            1.0 ms\n  tcp connect    2.5 ms\n  tls            -\n"), lost.text)
        XCTAssertTrue(lost.text.contains("  sent           2 messages, 10 bytes (0 bytes on the wire)"), lost.text)
        XCTAssertFalse(lost.text.contains("pings"), "no ping line without pings")
        let never = StatisticsSummary(statistics: ConnectionStatistics(), outcome: nil, exitCode: 3)
        XCTAssertTrue(never.text.contains("close          none (never connected)"), never.text)
        XCTAssertTrue(never.text.hasSuffix("exit status    3"), never.text)
    }
}

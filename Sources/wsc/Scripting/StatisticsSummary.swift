import ArgumentParser
import SocketIO
import WebSocketCore
import WebSocketTransport

/// `--stats`: how the session went, printed on stderr when wsc exits: as a block of lines for
/// people, or (`--stats=json`) as one JSON object for scripts. Times are milliseconds since
/// wsc began connecting (curl's `-w` convention: each includes the steps before it).
struct StatisticsSummary {
    var statistics: ConnectionStatistics
    /// How the last connection ended (nil: it never got that far).
    var outcome: ConnectionOutcome?
    var exitCode: Int32

    /// The close as the summary shows it: the code and reason of the close frame that ended
    /// the connection, and who sent it first; nil code when no close frame was exchanged.
    struct Close: Equatable {
        var code: UInt16?
        var reason: String?
        /// "wsc", "server", or nil when there was no close handshake.
        var initiator: String?
        /// Why there is no code, for people.
        var note: String?
    }

    var close: Close {
        guard let outcome else { return Close(note: "never connected") }
        switch outcome {
        case let .closed(code, reason, initiatedByPeer):
            return Close(code: code, reason: reason, initiator: initiatedByPeer ? "server" : "wsc",
                         note: code == nil ? "close frame without a status code" : nil)
        case let .protocolViolation(violation):
            return Close(code: violation.closeCode, reason: nil, initiator: "wsc", note: "the server broke the protocol")
        case .pingTimeout:
            return Close(code: 1011, reason: "ping timeout", initiator: "wsc", note: "no pong: not answered")
        case .closeTimeout:
            return Close(initiator: "wsc", note: "the server did not answer wsc's close frame")
        case .abnormalClosure:
            return Close(note: "no close frame (the connection ended without one)")
        case .applicationTimeout:
            return Close(note: "dropped: the server went silent")
        case .failed:
            return Close(note: statistics.timings.opened == nil ? "never connected" : "the connection failed")
        }
    }

    /// Milliseconds from the start to `time`, to a tenth.
    private func milliseconds(_ time: Double?) -> Double? {
        guard let time, let started = statistics.timings.started else { return nil }
        return ((time - started) * 10_000).rounded() / 10
    }

    private var steps: [(label: String, key: String, time: Double?)] {
        let timings = statistics.timings
        return [("dns", "dns_ms", timings.resolved), ("tcp connect", "connect_ms", timings.connected),
                ("proxy tunnel", "proxy_ms", timings.tunneled), ("tls", "tls_ms", timings.secured),
                ("handshake", "handshake_ms", timings.opened), ("first message", "first_message_ms", timings.firstMessage)]
    }

    /// The block of lines for stderr (each line "  label  value"), without a final newline.
    var text: String {
        var rows: [(String, String)] = []
        for step in steps {
            // No proxy, no line; the other steps show "-" when they did not happen.
            if step.key == "proxy_ms" && step.time == nil { continue }
            rows.append((step.label, milliseconds(step.time).map { "\($0) ms" } ?? "-"))
        }
        let s = statistics
        rows.append(("sent", "\(Self.count(s.messagesSent, "message")), \(Self.count(s.payloadBytesSent, "byte"))"
                     + " (\(Self.count(s.wireBytesSent, "byte")) on the wire)"))
        rows.append(("received", "\(Self.count(s.messagesReceived, "message")), \(Self.count(s.payloadBytesReceived, "byte"))"
                     + " (\(Self.count(s.wireBytesReceived, "byte")) on the wire)"))
        if s.pingsSent > 0 || s.pongsReceived > 0 {
            var pings = "\(s.pingsSent) sent, \(Self.count(s.pongsReceived, "pong")) received"
            if let average = s.roundTrips.average {
                let values = [s.roundTrips.minimum, average, s.roundTrips.maximum].map { (($0 * 10_000).rounded() / 10).description }
                pings += ", rtt min/avg/max \(values.joined(separator: "/")) ms"
            }
            rows.append(("pings", pings))
        }
        if s.connections > 1 { rows.append(("connections", String(s.connections))) }
        let close = self.close
        var closeText = close.code.map { CloseCode.describe($0, reason: close.reason ?? "") } ?? "none"
        if let initiator = close.initiator { closeText += initiator == "wsc" ? ", sent by wsc" : ", sent by the server" }
        if let note = close.note { closeText += " (\(note))" }
        rows.append(("close", closeText))
        rows.append(("exit status", String(exitCode)))
        let width = rows.map(\.0.count).max() ?? 0
        return (["stats:"] + rows.map { "  " + $0.0 + String(repeating: " ", count: width - $0.0.count + 2) + $0.1 })
            .joined(separator: "\n")
    }

    /// One JSON object on one line; absent steps and codes are null.
    var json: String {
        let s = statistics
        var members: [(String, String)] = steps.map { ($0.key, Self.number(milliseconds($0.time))) }
        members += [
            ("messages_sent", String(s.messagesSent)), ("bytes_sent", String(s.payloadBytesSent)),
            ("wire_bytes_sent", String(s.wireBytesSent)),
            ("messages_received", String(s.messagesReceived)), ("bytes_received", String(s.payloadBytesReceived)),
            ("wire_bytes_received", String(s.wireBytesReceived)),
            ("pings_sent", String(s.pingsSent)), ("pongs_received", String(s.pongsReceived)),
        ]
        let trips = s.roundTrips
        if let average = trips.average {
            members.append(("rtt_ms", "{\"min\":\(Self.number(trips.minimum * 1000)),\"avg\":\(Self.number(average * 1000)),"
                            + "\"max\":\(Self.number(trips.maximum * 1000))}"))
        } else {
            members.append(("rtt_ms", "null"))
        }
        let close = self.close
        members += [
            ("connections", String(s.connections)),
            ("close_code", close.code.map(String.init) ?? "null"),
            ("close_reason", close.reason.map(JSONStringEscaper.quoted) ?? "null"),
            ("closed_by", close.initiator.map(JSONStringEscaper.quoted) ?? "null"),
            ("exit_status", String(exitCode)),
        ]
        return "{" + members.map { JSONStringEscaper.quoted($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
    }

    private static func number(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "null" }
        return (((value * 10).rounded()) / 10).description
    }

    private static func count(_ value: Int, _ noun: String) -> String {
        "\(value) \(noun)\(value == 1 ? "" : "s")"
    }
}

/// `--stats` and `--stats=json`.
enum StatisticsFormat: String, CaseIterable, ExpressibleByArgument {
    case text, json
}

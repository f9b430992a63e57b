import WebSocketCore
import SocketIO

/// A message to send again from a transcript (`--replay`).
struct ReplayMessage: Equatable {
    var payload: [UInt8]
    var binary: Bool
    /// Seconds since the Unix epoch when it was first sent; nil when the line had no usable time.
    var time: Double?
}

/// Why a transcript cannot be replayed.
struct TranscriptError: Error, Equatable, CustomStringConvertible {
    var line: Int
    var problem: String
    var description: String { "line \(line): \(problem)" }
}

/// Reads `--transcript` / `--jsonl` output back: the outgoing text and binary messages, in order.
/// Incoming records, control frames and closes are skipped; blank lines are ignored; a record
/// with an unknown direction or kind, or a malformed time, is an error.
enum TranscriptReader {
    /// The record kinds `MessageRecord` writes.
    static let kinds = ["text", "binary", "ping", "pong", "close"]

    static func outgoingMessages(in text: String) throws(TranscriptError) -> [ReplayMessage] {
        var messages: [ReplayMessage] = []
        var number = 0
        // By bytes: as Characters, "\r\n" is one grapheme and no "\n".
        for line in text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false) {
            number += 1
            let trimmed = line.last == 0x0D ? line.dropLast() : line
            if trimmed.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            let value: JSONValue
            do {
                value = try JSONParser.parse(String(decoding: trimmed, as: UTF8.self))
            } catch {
                throw TranscriptError(line: number, problem: "not JSON: \(error)")
            }
            guard value.isObject else {
                throw TranscriptError(line: number, problem: "not a JSON object")
            }
            func string(_ name: String) -> String? { value[name]?.stringValue }
            // A record wsc did not write is refused, not skipped: a typo must not silently
            // drop a message from the replay.
            let direction = string("direction")
            guard direction == "out" || direction == "in" else {
                throw TranscriptError(line: number, problem: "\"direction\" must be \"in\" or \"out\"")
            }
            let kind = string("kind")
            guard let kind, Self.kinds.contains(kind) else {
                throw TranscriptError(line: number, problem: "\"kind\" must be one of \(Self.kinds.joined(separator: ", "))")
            }
            let time: Double?
            if let text = string("time") {
                guard let parsed = RFC3339Time.parse(text) else {
                    throw TranscriptError(line: number, problem: "\"time\" is not an RFC 3339 time: \(text)")
                }
                time = parsed
            } else {
                time = nil
            }
            guard direction == "out", kind == "text" || kind == "binary" else { continue }
            guard let data = string("data") else {
                throw TranscriptError(line: number, problem: "a \(kind) record without a \"data\" string")
            }
            let payload: [UInt8]
            if kind == "binary" {
                guard let bytes = Base64.decode(data) else {
                    throw TranscriptError(line: number, problem: "the binary \"data\" is not base64")
                }
                payload = bytes
            } else {
                payload = Array(data.utf8)
            }
            messages.append(ReplayMessage(payload: payload, binary: kind == "binary", time: time))
        }
        return messages
    }
}

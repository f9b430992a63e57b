import SocketIO
import WebSocketCore

/// One line of `--jsonl` output and of a `--transcript` file: a message or control frame that
/// went in or out, when, and what it carried.
struct MessageRecord: Equatable {
    enum Direction: String { case incoming = "in", outgoing = "out" }
    enum Kind: String { case text, binary, ping, pong, close }

    /// RFC 3339, UTC, milliseconds (`RFC3339Time`).
    var time: String
    var direction: Direction
    var kind: Kind
    /// Text as UTF-8, everything else as bytes; for a close, the reason's UTF-8.
    var payload: [UInt8]
    /// A close frame's code; nil for other kinds, or a close frame without a code.
    var code: UInt16?
    /// Listen mode: the client's number (as in "client N connected"); nil for a client session.
    var client: Int? = nil

    /// `{"time":…,"direction":…,"kind":…,"length":…,"data":…}` without a newline. `length` is
    /// the payload's byte count; `data` is the text (a JSON string) for text, base64 for binary,
    /// ping and pong; a close has `code` (null when the frame had none) and `reason` instead.
    var jsonLine: String {
        var line = "{\"time\":" + JSONStringEscaper.quoted(time)
            + (client.map { ",\"client\":\($0)" } ?? "")
            + ",\"direction\":\"" + direction.rawValue + "\",\"kind\":\"" + kind.rawValue + "\""
        switch kind {
        case .text:
            line += ",\"length\":\(payload.count),\"data\":" + JSONStringEscaper.quoted(String(decoding: payload, as: UTF8.self))
        case .binary, .ping, .pong:
            line += ",\"length\":\(payload.count),\"data\":" + JSONStringEscaper.quoted(Base64.encode(payload))
        case .close:
            line += ",\"length\":\(payload.count + (code == nil ? 0 : 2))"
            line += ",\"code\":" + (code.map { String($0) } ?? "null")
            line += ",\"reason\":" + JSONStringEscaper.quoted(String(decoding: payload, as: UTF8.self))
        }
        return line + "}"
    }
}

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
        var line = "{\"time\":" + JSONText.quoted(time)
            + (client.map { ",\"client\":\($0)" } ?? "")
            + ",\"direction\":\"" + direction.rawValue + "\",\"kind\":\"" + kind.rawValue + "\""
        switch kind {
        case .text:
            line += ",\"length\":\(payload.count),\"data\":" + JSONText.quoted(String(decoding: payload, as: UTF8.self))
        case .binary, .ping, .pong:
            line += ",\"length\":\(payload.count),\"data\":" + JSONText.quoted(Base64.encode(payload))
        case .close:
            line += ",\"length\":\(payload.count + (code == nil ? 0 : 2))"
            line += ",\"code\":" + (code.map { String($0) } ?? "null")
            line += ",\"reason\":" + JSONText.quoted(String(decoding: payload, as: UTF8.self))
        }
        return line + "}"
    }
}

/// JSON string syntax (RFC 8259 section 7).
enum JSONText {
    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// `text` as a JSON string literal: quote, backslash and control characters escaped
    /// (`\n`, `\t` and the like by name, the rest as `\u00XX`); everything else, including
    /// non-ASCII, as UTF-8.
    static func quoted(_ text: String) -> String {
        var bytes: [UInt8] = [UInt8(ascii: "\"")]
        bytes.reserveCapacity(text.utf8.count + 2)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x0A: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0D: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x09: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0x08: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "b")]
            case 0x0C: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "f")]
            case 0x00..<0x20, 0x7F:
                bytes += Array("\\u00".utf8) + [hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xF)]]
            default:
                bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
        return String(decoding: bytes, as: UTF8.self)
    }
}

import WebSocketCore

/// How received binary messages are shown.
enum BinaryDisplay {
    /// The bytes as they are (`-b`): what a pipe into another program wants.
    case raw
    /// One line of lowercase hex per message: line-oriented, safe for `| grep`.
    case hexLine
    /// `<binary N bytes>` and an offset/hex/ASCII dump: readable on a terminal.
    case hexDump
    /// One line of standard base64 per message (`--binary-format base64`).
    case base64

    /// The display for `--binary-format` (nil: not given), `-b`, and whether stdout is a terminal.
    init(format: BinaryFormat?, binaryFlag: Bool, terminal: Bool) {
        switch format {
        case .raw: self = .raw
        case .base64: self = .base64
        case .hex: self = terminal ? .hexDump : .hexLine
        case nil: self = binaryFlag ? .raw : (terminal ? .hexDump : .hexLine)
        }
    }

    /// A binary message as shown, without its last newline (a hex dump is several lines); nil
    /// for raw, whose bytes are written as they are. The client and listen printers share it.
    func rendered(_ bytes: [UInt8]) -> [UInt8]? {
        switch self {
        case .raw: return nil
        case .hexLine: return HexFormatting.line(bytes)
        case .hexDump: return Array(("<binary \(bytes.count) bytes>\n" + HexFormatting.dump(bytes)).utf8.dropLast())
        case .base64: return Array(Base64.encode(bytes).utf8)
        }
    }
}

/// Writes received messages to stdout: text as its payload plus a newline, binary per
/// `BinaryDisplay`; pings and pongs (with `-P`) go to the status stream.
final class MessagePrinter {
    private let out: OutputBuffer
    private let binaryDisplay: BinaryDisplay

    init(out: OutputBuffer, binaryDisplay: BinaryDisplay) {
        self.out = out
        self.binaryDisplay = binaryDisplay
    }

    func printText(_ utf8: [UInt8]) {
        out.append(utf8)
        out.append(byte: 0x0A)
    }

    func printBinary(_ bytes: [UInt8]) {
        guard let shown = binaryDisplay.rendered(bytes) else {
            out.append(bytes)
            return
        }
        out.append(shown)
        out.append(byte: 0x0A)
    }
}

/// Hex renderings of binary payloads.
enum HexFormatting {
    private static let digits = Array("0123456789abcdef".utf8)

    static func line(_ bytes: [UInt8]) -> [UInt8] {
        var result = [UInt8]()
        result.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            result.append(digits[Int(byte >> 4)])
            result.append(digits[Int(byte & 0xF)])
        }
        return result
    }

    /// `00000000  48 65 6c 6c 6f                                   |Hello|` lines, 16 bytes each.
    static func dump(_ bytes: [UInt8]) -> String {
        var text = ""
        var offset = 0
        while offset < bytes.count {
            let row = bytes[offset..<min(offset + 16, bytes.count)]
            let hexOffset = String(offset, radix: 16)
            let line = String(repeating: "0", count: max(0, 8 - hexOffset.count)) + hexOffset
            var hex = ""
            for (i, byte) in row.enumerated() {
                hex += String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 0xF)]], as: UTF8.self)
                hex += i == 7 ? "  " : " "
            }
            hex += String(repeating: " ", count: max(0, 49 - hex.count))
            let ascii = String(decoding: row.map { (0x20..<0x7F).contains($0) ? $0 : UInt8(ascii: ".") }, as: UTF8.self)
            text += "\(line)  \(hex) |\(ascii)|\n"
            offset += 16
        }
        return text
    }

    /// `: ` and `readable(payload)`, or nothing for an empty payload: the tail of the
    /// "< ping", "< pong" lines of every session.
    static func suffix(_ payload: [UInt8]) -> String {
        payload.isEmpty ? "" : ": " + readable(payload)
    }

    /// Text when the payload is printable UTF-8, hex otherwise: for pings, pongs and close reasons.
    static func readable(_ bytes: [UInt8]) -> String {
        if bytes.isEmpty { return "" }
        var validator = UTF8Validator()
        let valid = bytes.withUnsafeBytes { validator.feed($0) } && validator.isAtCharacterBoundary
        if valid && !bytes.contains(where: { $0 < 0x20 || $0 == 0x7F }) {
            return String(decoding: bytes, as: UTF8.self)
        }
        return "0x" + String(decoding: line(bytes), as: UTF8.self)
    }
}

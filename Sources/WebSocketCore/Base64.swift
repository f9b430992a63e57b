/// Base64 with the standard alphabet and padding (RFC 4648 section 4).
///
/// The handshake needs it for `Sec-WebSocket-Key`, `Sec-WebSocket-Accept` and `Authorization: Basic`;
/// a few dozen lines here spare the core a Foundation dependency.
public enum Base64 {
    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let padding = UInt8(ascii: "=")

    /// Encodes `bytes`, padding the output to a multiple of four characters.
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        var iterator = bytes.makeIterator()
        while let first = iterator.next() {
            let second = iterator.next()
            let third = iterator.next()
            let group = UInt32(first) << 16 | UInt32(second ?? 0) << 8 | UInt32(third ?? 0)
            output.append(alphabet[Int(group >> 18 & 0x3F)])
            output.append(alphabet[Int(group >> 12 & 0x3F)])
            output.append(second == nil ? padding : alphabet[Int(group >> 6 & 0x3F)])
            output.append(third == nil ? padding : alphabet[Int(group & 0x3F)])
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes canonical base64, or returns nil.
    ///
    /// Strict on purpose: the length must be a multiple of four, padding is required and may only end
    /// the text, no whitespace is skipped, and the bits that padding leaves over must be zero. The
    /// server handshake relies on this to tell a well-formed 16-byte key from anything else.
    public static func decode(_ text: String) -> [UInt8]? {
        let input = Array(text.utf8)
        guard input.count % 4 == 0 else { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(input.count / 4 * 3)
        var index = 0
        while index < input.count {
            let isLastGroup = index + 4 == input.count
            var values: [UInt32] = [0, 0, 0, 0]
            var paddingCount = 0
            for offset in 0..<4 {
                let byte = input[index + offset]
                if byte == padding {
                    // Padding is allowed only in the last two positions of the last group.
                    guard isLastGroup, offset >= 2 else { return nil }
                    paddingCount += 1
                } else {
                    guard paddingCount == 0, let value = sextet(byte) else { return nil }
                    values[offset] = value
                }
            }
            let group = values[0] << 18 | values[1] << 12 | values[2] << 6 | values[3]
            switch paddingCount {
            case 0:
                output.append(UInt8(group >> 16 & 0xFF))
                output.append(UInt8(group >> 8 & 0xFF))
                output.append(UInt8(group & 0xFF))
            case 1:
                guard group & 0xFF == 0 else { return nil }
                output.append(UInt8(group >> 16 & 0xFF))
                output.append(UInt8(group >> 8 & 0xFF))
            default:
                guard group & 0xFFFF == 0 else { return nil }
                output.append(UInt8(group >> 16 & 0xFF))
            }
            index += 4
        }
        return output
    }

    private static func sextet(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return UInt32(byte - UInt8(ascii: "A"))
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return UInt32(byte - UInt8(ascii: "a")) + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0")) + 52
        case UInt8(ascii: "+"): return 62
        case UInt8(ascii: "/"): return 63
        default: return nil
        }
    }
}

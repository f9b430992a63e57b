/// A strict JSON reader (RFC 8259): no comments, no trailing commas, no leading zeros, no
/// control characters or lone surrogates in strings, and nothing but whitespace after the value.
/// Nesting is limited to `maxDepth` levels so hostile input cannot exhaust the stack.
public struct JSONParser {
    public static let maxDepth = 512

    private let bytes: [UInt8]
    private var index = 0

    /// Parses `text`, which must hold exactly one JSON value (surrounding whitespace allowed).
    public static func parse(_ text: String) throws(JSONError) -> JSONValue {
        var parser = JSONParser(bytes: Array(text.utf8))
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        guard parser.index == parser.bytes.count else {
            throw JSONError("unexpected text after the JSON value", at: parser.index)
        }
        return value
    }

    /// Parses a sequence of JSON values separated by whitespace (`1 "a" {"b":2}`); an empty or
    /// all-whitespace text is an empty sequence. Values that need no separator (`[1][2]`) are
    /// accepted as they are unambiguous, but `12` is one number, never two.
    public static func parseSequence(_ text: String) throws(JSONError) -> [JSONValue] {
        var parser = JSONParser(bytes: Array(text.utf8))
        var values: [JSONValue] = []
        parser.skipWhitespace()
        while parser.index < parser.bytes.count {
            values.append(try parser.parseValue(depth: 0))
            let end = parser.index
            parser.skipWhitespace()
            if parser.index < parser.bytes.count, parser.index == end,
               !Self.isDelimiter(parser.bytes[end - 1]), !Self.isDelimiter(parser.bytes[end]) {
                throw JSONError("expected whitespace between JSON values", at: end)
            }
        }
        return values
    }

    /// Characters that end or start a value on their own: `true1` is not two values, `[1]2` is.
    private static func isDelimiter(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "]") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "\"")
            || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{")
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private func peek() -> UInt8? {
        index < bytes.count ? bytes[index] : nil
    }

    private mutating func parseValue(depth: Int) throws(JSONError) -> JSONValue {
        guard let byte = peek() else { throw JSONError("expected a JSON value, found the end", at: index) }
        switch byte {
        case UInt8(ascii: "{"):
            return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["):
            return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""):
            return .string(try parseString())
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .number(try parseNumber())
        default:
            throw JSONError("unexpected character '\(Self.describe(byte))'", at: index)
        }
    }

    private static func describe(_ byte: UInt8) -> String {
        (0x21..<0x7F).contains(byte) ? String(UnicodeScalar(byte)) : "\\x" + String(byte, radix: 16)
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONError) {
        let start = index
        let count = literal.utf8CodeUnitCount
        let matches = literal.withUTF8Buffer { expected in
            index + count <= bytes.count && bytes[index..<index + count].elementsEqual(expected)
        }
        guard matches else { throw JSONError("invalid literal (expected \(literal))", at: start) }
        index += count
    }

    private mutating func parseObject(depth: Int) throws(JSONError) -> JSONValue {
        guard depth <= Self.maxDepth else { throw JSONError("nested too deeply", at: index) }
        index += 1
        var members: [(key: String, value: JSONValue)] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            index += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { throw JSONError("expected a member name in quotes", at: index) }
            let key = try parseString()
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else { throw JSONError("expected ':' after a member name", at: index) }
            index += 1
            skipWhitespace()
            members.append((key, try parseValue(depth: depth)))
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                return .object(members)
            default: throw JSONError("expected ',' or '}' in an object", at: index)
            }
        }
    }

    private mutating func parseArray(depth: Int) throws(JSONError) -> JSONValue {
        guard depth <= Self.maxDepth else { throw JSONError("nested too deeply", at: index) }
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue(depth: depth))
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"):
                index += 1
                return .array(elements)
            default: throw JSONError("expected ',' or ']' in an array", at: index)
            }
        }
    }

    private mutating func parseNumber() throws(JSONError) -> String {
        let start = index
        if peek() == UInt8(ascii: "-") { index += 1 }
        guard let first = peek(), Self.isDigit(first) else { throw JSONError("expected a digit", at: index) }
        index += 1
        if first == UInt8(ascii: "0"), let next = peek(), Self.isDigit(next) {
            throw JSONError("leading zeros are not allowed", at: start)
        }
        if first != UInt8(ascii: "0") { skipDigits() }
        if peek() == UInt8(ascii: ".") {
            index += 1
            guard let digit = peek(), Self.isDigit(digit) else { throw JSONError("expected a digit after '.'", at: index) }
            skipDigits()
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            index += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { index += 1 }
            guard let digit = peek(), Self.isDigit(digit) else { throw JSONError("expected a digit in the exponent", at: index) }
            skipDigits()
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private mutating func skipDigits() {
        while let byte = peek(), Self.isDigit(byte) { index += 1 }
    }

    /// Reads a string starting at its opening quote. The input came from a Swift `String`, so
    /// it is valid UTF-8; escapes are decoded, and a `\u` surrogate must come in a valid pair.
    private mutating func parseString() throws(JSONError) -> String {
        index += 1
        var result: [UInt8] = []
        var runStart = index
        while true {
            guard index < bytes.count else { throw JSONError("unterminated string", at: index) }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                result.append(contentsOf: bytes[runStart..<index])
                index += 1
                return String(decoding: result, as: UTF8.self)
            }
            if byte < 0x20 {
                throw JSONError("control character in a string (must be escaped)", at: index)
            }
            if byte != UInt8(ascii: "\\") {
                index += 1
                continue
            }
            result.append(contentsOf: bytes[runStart..<index])
            index += 1
            guard let escape = peek() else { throw JSONError("unterminated escape", at: index) }
            index += 1
            switch escape {
            case UInt8(ascii: "\""): result.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): result.append(UInt8(ascii: "\\"))
            case UInt8(ascii: "/"): result.append(UInt8(ascii: "/"))
            case UInt8(ascii: "b"): result.append(0x08)
            case UInt8(ascii: "f"): result.append(0x0C)
            case UInt8(ascii: "n"): result.append(0x0A)
            case UInt8(ascii: "r"): result.append(0x0D)
            case UInt8(ascii: "t"): result.append(0x09)
            case UInt8(ascii: "u"):
                let escapeStart = index - 2
                var scalar = try parseHex4()
                if (0xD800...0xDBFF).contains(scalar) {
                    guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                        throw JSONError("unpaired surrogate in \\u escape", at: escapeStart)
                    }
                    index += 2
                    let low = try parseHex4()
                    guard (0xDC00...0xDFFF).contains(low) else {
                        throw JSONError("unpaired surrogate in \\u escape", at: escapeStart)
                    }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    throw JSONError("unpaired surrogate in \\u escape", at: escapeStart)
                }
                // Not a surrogate (checked above), so always a valid scalar.
                if let unicode = Unicode.Scalar(scalar) {
                    result.append(contentsOf: Array(String(Character(unicode)).utf8))
                }
            default:
                throw JSONError("invalid escape '\\\(Self.describe(escape))'", at: index - 2)
            }
            runStart = index
        }
    }

    private mutating func parseHex4() throws(JSONError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw JSONError("expected four hex digits", at: index) }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw JSONError("expected four hex digits", at: index)
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }
}

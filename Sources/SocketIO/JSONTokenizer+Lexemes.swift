/// The spelling of JSON's strings and numbers (RFC 8259 sections 6 and 7), for `JSONTokenizer`.
/// One scanner checks a string literal and, when asked, decodes it, so what the tokenizer
/// accepts and what the parser decodes cannot part ways.
extension JSONTokenizer {
    /// The string a `.string` or `.memberName` token of this input stands for, escapes resolved.
    public func string(of token: JSONToken) throws(JSONError) -> String {
        let content = token.range.lowerBound + 1..<token.range.upperBound - 1
        if !input[content].contains(UInt8(ascii: "\\")) {
            return String(decoding: input[content], as: UTF8.self)
        }
        var decoded: [UInt8]? = []
        decoded?.reserveCapacity(token.range.count)
        _ = try Self.scanString(input, at: token.range.lowerBound, decodingInto: &decoded)
        return String(decoding: decoded ?? [], as: UTF8.self)
    }

    /// The index just past the string literal whose opening quote is at `start`.
    static func endOfString(in input: [UInt8], at start: Int) throws(JSONError) -> Int {
        var notDecoded: [UInt8]? = nil
        return try scanString(input, at: start, decodingInto: &notDecoded)
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?` from `start`; the index past it.
    static func endOfNumber(in input: [UInt8], at start: Int) throws(JSONError) -> Int {
        var index = start
        func digitAt(_ position: Int) -> Bool {
            position < input.count && input[position] >= UInt8(ascii: "0") && input[position] <= UInt8(ascii: "9")
        }
        // 0 past the end: it matches none of the bytes compared with.
        func byteAt(_ position: Int) -> UInt8 { position < input.count ? input[position] : 0 }

        if byteAt(index) == UInt8(ascii: "-") { index += 1 }
        guard digitAt(index) else { throw JSONError("expected a digit", at: index) }
        if input[index] == UInt8(ascii: "0") {
            index += 1
            if digitAt(index) { throw JSONError("leading zeros are not allowed", at: start) }
        } else {
            while digitAt(index) { index += 1 }
        }
        if byteAt(index) == UInt8(ascii: ".") {
            index += 1
            guard digitAt(index) else { throw JSONError("expected a digit after '.'", at: index) }
            while digitAt(index) { index += 1 }
        }
        if byteAt(index) == UInt8(ascii: "e") || byteAt(index) == UInt8(ascii: "E") {
            index += 1
            if byteAt(index) == UInt8(ascii: "+") || byteAt(index) == UInt8(ascii: "-") { index += 1 }
            guard digitAt(index) else { throw JSONError("expected a digit in the exponent", at: index) }
            while digitAt(index) { index += 1 }
        }
        return index
    }

    /// Reads the string literal whose opening quote is at `start` and returns the index past its
    /// closing quote. With `decoded` non-nil, appends the string's UTF-8 to it, escapes resolved.
    private static func scanString(_ input: [UInt8], at start: Int,
                                   decodingInto decoded: inout [UInt8]?) throws(JSONError) -> Int {
        var index = start + 1
        var runStart = index
        while true {
            guard index < input.count else { throw JSONError("unterminated string", at: index) }
            let byte = input[index]
            switch byte {
            case UInt8(ascii: "\""):
                decoded?.append(contentsOf: input[runStart..<index])
                return index + 1
            case 0..<0x20:
                throw JSONError("control character in a string (must be escaped)", at: index)
            case UInt8(ascii: "\\"):
                decoded?.append(contentsOf: input[runStart..<index])
                index = try scanEscape(input, at: index, decodingInto: &decoded)
                runStart = index
            case 0x80...:
                guard let length = utf8SequenceLength(input, at: index) else {
                    throw JSONError("invalid UTF-8 in a string", at: index)
                }
                index += length
            default:
                index += 1
            }
        }
    }

    /// Reads the escape whose backslash is at `start`; returns the index past it.
    private static func scanEscape(_ input: [UInt8], at start: Int,
                                   decodingInto decoded: inout [UInt8]?) throws(JSONError) -> Int {
        guard start + 1 < input.count else { throw JSONError("unterminated escape", at: start + 1) }
        let simple: UInt8
        switch input[start + 1] {
        case UInt8(ascii: "\""): simple = UInt8(ascii: "\"")
        case UInt8(ascii: "\\"): simple = UInt8(ascii: "\\")
        case UInt8(ascii: "/"): simple = UInt8(ascii: "/")
        case UInt8(ascii: "b"): simple = 0x08
        case UInt8(ascii: "f"): simple = 0x0C
        case UInt8(ascii: "n"): simple = 0x0A
        case UInt8(ascii: "r"): simple = 0x0D
        case UInt8(ascii: "t"): simple = 0x09
        case UInt8(ascii: "u"):
            return try scanUnicodeEscape(input, at: start, decodingInto: &decoded)
        default:
            throw JSONError("invalid escape '\\\(describe(input[start + 1]))'", at: start)
        }
        decoded?.append(simple)
        return start + 2
    }

    /// `\uXXXX`, or a high surrogate's `\uXXXX` followed by a low surrogate's; the index past it.
    private static func scanUnicodeEscape(_ input: [UInt8], at start: Int,
                                          decodingInto decoded: inout [UInt8]?) throws(JSONError) -> Int {
        var scalar = try hex4(input, at: start + 2)
        var end = start + 6
        switch scalar {
        case 0xD800...0xDBFF:
            guard end + 1 < input.count, input[end] == UInt8(ascii: "\\"), input[end + 1] == UInt8(ascii: "u") else {
                throw JSONError("unpaired surrogate in \\u escape", at: start)
            }
            let low = try hex4(input, at: end + 2)
            guard (0xDC00...0xDFFF).contains(low) else { throw JSONError("unpaired surrogate in \\u escape", at: start) }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            end += 6
        case 0xDC00...0xDFFF:
            throw JSONError("unpaired surrogate in \\u escape", at: start)
        default:
            break
        }
        // Surrogates are excluded above, so the scalar is always valid.
        if decoded != nil, let unicode = Unicode.Scalar(scalar), let encoded = UTF8.encode(unicode) {
            decoded?.append(contentsOf: encoded)
        }
        return end
    }

    /// The four hex digits at `start` as a number.
    private static func hex4(_ input: [UInt8], at start: Int) throws(JSONError) -> UInt32 {
        var value: UInt32 = 0
        for index in start..<start + 4 {
            guard index < input.count else { throw JSONError("expected four hex digits", at: index) }
            let byte = input[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw JSONError("expected four hex digits", at: index)
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// The length of the well-formed UTF-8 sequence starting at `start` (a byte of 0x80 or
    /// more), or nil: no overlong forms, no surrogates, nothing above U+10FFFF (RFC 3629).
    private static func utf8SequenceLength(_ input: [UInt8], at start: Int) -> Int? {
        let second: ClosedRange<UInt8>
        let length: Int
        switch input[start] {
        case 0xC2...0xDF: (second, length) = (0x80...0xBF, 2)
        case 0xE0: (second, length) = (0xA0...0xBF, 3)
        case 0xE1...0xEC, 0xEE...0xEF: (second, length) = (0x80...0xBF, 3)
        case 0xED: (second, length) = (0x80...0x9F, 3)
        case 0xF0: (second, length) = (0x90...0xBF, 4)
        case 0xF1...0xF3: (second, length) = (0x80...0xBF, 4)
        case 0xF4: (second, length) = (0x80...0x8F, 4)
        default: return nil
        }
        guard start + length <= input.count, second.contains(input[start + 1]) else { return nil }
        for index in start + 2..<start + length where !(0x80...0xBF).contains(input[index]) { return nil }
        return length
    }
}

/// Re-indents JSON for `--pretty`, without Foundation: a tokenizer that checks the grammar and
/// copies every string and number byte for byte (escapes and number spellings are kept as
/// sent), dropping the whitespace between tokens and writing its own.
///
/// Only objects and arrays are reformatted; for anything else, or anything that is not JSON
/// (trailing text, a bad escape, nesting deeper than `maxDepth`), it returns nil and the
/// message is shown as it arrived.
struct JSONPrettyPrinter {
    /// Spaces per level.
    var indent = 2
    /// Deeper nesting is not reformatted (and keeps the recursion bounded).
    var maxDepth = 256

    func format(_ input: [UInt8]) -> [UInt8]? {
        var scanner = Scanner(input: input, indent: indent, maxDepth: maxDepth)
        scanner.skipWhitespace()
        guard let first = scanner.peek(), first == UInt8(ascii: "{") || first == UInt8(ascii: "[") else { return nil }
        guard scanner.value(depth: 0) else { return nil }
        scanner.skipWhitespace()
        guard scanner.atEnd else { return nil }
        return scanner.output
    }

    private struct Scanner {
        let input: [UInt8]
        let indent: Int
        let maxDepth: Int
        var position = 0
        var output: [UInt8] = []

        init(input: [UInt8], indent: Int, maxDepth: Int) {
            self.input = input
            self.indent = indent
            self.maxDepth = maxDepth
            output.reserveCapacity(input.count * 2)
        }

        var atEnd: Bool { position == input.count }

        func peek() -> UInt8? { position < input.count ? input[position] : nil }

        mutating func skipWhitespace() {
            while let byte = peek(), byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { position += 1 }
        }

        mutating func value(depth: Int) -> Bool {
            skipWhitespace()
            guard let byte = peek() else { return false }
            switch byte {
            case UInt8(ascii: "{"): return container(depth: depth, close: UInt8(ascii: "}"), keyed: true)
            case UInt8(ascii: "["): return container(depth: depth, close: UInt8(ascii: "]"), keyed: false)
            case UInt8(ascii: "\""): return string()
            case UInt8(ascii: "t"): return literal("true")
            case UInt8(ascii: "f"): return literal("false")
            case UInt8(ascii: "n"): return literal("null")
            default: return number()
            }
        }

        /// `{` members `}` or `[` elements `]`, one per line, indented one level deeper.
        mutating func container(depth: Int, close: UInt8, keyed: Bool) -> Bool {
            guard depth < maxDepth else { return false }
            output.append(input[position])
            position += 1
            skipWhitespace()
            if peek() == close {
                position += 1
                output.append(close)
                return true
            }
            while true {
                newline(depth + 1)
                if keyed {
                    skipWhitespace()
                    guard peek() == UInt8(ascii: "\""), string() else { return false }
                    skipWhitespace()
                    guard peek() == UInt8(ascii: ":") else { return false }
                    position += 1
                    output.append(contentsOf: ": ".utf8)
                }
                guard value(depth: depth + 1) else { return false }
                skipWhitespace()
                guard let next = peek() else { return false }
                position += 1
                if next == close {
                    newline(depth)
                    output.append(close)
                    return true
                }
                guard next == UInt8(ascii: ",") else { return false }
                output.append(next)
            }
        }

        mutating func newline(_ depth: Int) {
            output.append(0x0A)
            output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: depth * indent))
        }

        /// A string, copied as written (escapes included) once its syntax is checked.
        mutating func string() -> Bool {
            let start = position
            position += 1
            while let byte = peek() {
                position += 1
                switch byte {
                case UInt8(ascii: "\""):
                    output.append(contentsOf: input[start..<position])
                    return true
                case UInt8(ascii: "\\"):
                    guard let escaped = peek() else { return false }
                    position += 1
                    switch escaped {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                         UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                        break
                    case UInt8(ascii: "u"):
                        for _ in 0..<4 {
                            guard let digit = peek(), Self.isHexDigit(digit) else { return false }
                            position += 1
                        }
                    default:
                        return false
                    }
                case 0..<0x20:
                    return false
                default:
                    break
                }
            }
            return false
        }

        /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, copied as written.
        mutating func number() -> Bool {
            let start = position
            if peek() == UInt8(ascii: "-") { position += 1 }
            guard let first = peek(), Self.isDigit(first) else { return false }
            position += 1
            if first != UInt8(ascii: "0") { skipDigits() }
            if peek() == UInt8(ascii: ".") {
                position += 1
                guard skipDigits() > 0 else { return false }
            }
            if let byte = peek(), byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                position += 1
                if let sign = peek(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { position += 1 }
                guard skipDigits() > 0 else { return false }
            }
            output.append(contentsOf: input[start..<position])
            return true
        }

        @discardableResult
        mutating func skipDigits() -> Int {
            let start = position
            while let byte = peek(), Self.isDigit(byte) { position += 1 }
            return position - start
        }

        mutating func literal(_ word: String) -> Bool {
            let bytes = Array(word.utf8)
            guard input.count - position >= bytes.count,
                  input[position..<position + bytes.count].elementsEqual(bytes) else { return false }
            position += bytes.count
            output.append(contentsOf: bytes)
            return true
        }

        static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

        static func isHexDigit(_ byte: UInt8) -> Bool {
            isDigit(byte) || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "f"))
        }
    }
}

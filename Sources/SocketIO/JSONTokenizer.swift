/// The one reader of JSON text (RFC 8259, strictly): `JSONParser` builds values from its tokens
/// and wsc's pretty-printer re-indents them, so both accept exactly the same texts.
///
/// A value type that is pulled token by token. It checks the whole grammar as it goes, not only
/// the spelling of each token: members and elements separated by single commas (none trailing),
/// a name and a colon before each member's value, strings with valid escapes (a `\u` surrogate
/// only in a high-low pair), valid UTF-8 and no raw control characters, numbers without leading
/// zeros or bare points, only space, tab, LF and CR between tokens, and nothing after the value.
/// Nesting is limited to `maxDepth` objects and arrays; the tokenizer keeps no recursion, so the
/// limit bounds memory (the stack of open containers), not the call stack.
public struct JSONTokenizer: Sendable {
    /// The deepest nesting of objects and arrays accepted, for every reader of JSON here.
    public static let maxDepth = 512

    public enum Mode: Sendable {
        /// Exactly one value, surrounded by whitespace at most.
        case single
        /// Values one after another (`1 "a" {"b":2}`), none at all included. Values that end or
        /// begin with a bracket, brace or quote need no whitespace between them (`[1][2]`), but
        /// `12` is one number and `truefalse` is an error.
        case sequence
    }

    /// What may come next.
    private enum Expectation {
        /// A value: at the start of a single value, after `:`, after `,` in an array.
        case value
        /// Right after `[`.
        case valueOrEnd
        /// Right after `{`.
        case nameOrEnd
        /// After `,` in an object.
        case name
        /// After a member name.
        case nameSeparator
        /// After a value inside an object or array.
        case separatorOrEnd
        /// After the single value: the end of the input.
        case end
        /// In a sequence, between values: another value or the end of the input.
        case nextValueOrEnd
    }

    /// The text being read, as UTF-8.
    public let input: [UInt8]
    private let mode: Mode
    private var index = 0
    private var expecting: Expectation
    /// The open objects (true) and arrays (false), innermost last.
    private var openContainers: [Bool] = []
    /// Where the last top-level value of a sequence ended (to require whitespace after it).
    private var lastValueEnd = 0

    public init(_ input: [UInt8], mode: Mode = .single) {
        self.input = input
        self.mode = mode
        expecting = mode == .single ? .value : .nextValueOrEnd
    }

    /// How many objects and arrays are open.
    public var depth: Int { openContainers.count }

    /// The next token, or nil once the input has ended where it may end (after the value, or
    /// between the values of a sequence). Throws at the first byte that breaks the grammar.
    public mutating func next() throws(JSONError) -> JSONToken? {
        skipWhitespace()
        // At the end, 0 stands for the byte: it matches none of the bytes compared with below
        // (a non-optional byte keeps those comparisons free of Optional's generic `==`).
        let atEnd = index == input.count
        let byte = atEnd ? 0 : input[index]
        switch expecting {
        case .value:
            return try value(byte)
        case .valueOrEnd:
            return byte == UInt8(ascii: "]") ? close() : try value(byte)
        case .nameOrEnd:
            return byte == UInt8(ascii: "}") ? close() : try name(byte)
        case .name:
            return try name(byte)
        case .nameSeparator:
            guard byte == UInt8(ascii: ":") else { throw JSONError("expected ':' after a member name", at: index) }
            expecting = .value
            return punctuation(.nameSeparator)
        case .separatorOrEnd:
            let inObject = openContainers.last ?? false
            switch byte {
            case UInt8(ascii: ","):
                expecting = inObject ? .name : .value
                return punctuation(.valueSeparator)
            case UInt8(ascii: "}") where inObject, UInt8(ascii: "]") where !inObject:
                return close()
            default:
                throw JSONError(inObject ? "expected ',' or '}' in an object" : "expected ',' or ']' in an array", at: index)
            }
        case .end:
            guard atEnd else { throw JSONError("unexpected text after the JSON value", at: index) }
            return nil
        case .nextValueOrEnd:
            guard !atEnd else { return nil }
            if index > 0, index == lastValueEnd, !Self.isDelimiter(input[index - 1]), !Self.isDelimiter(byte) {
                throw JSONError("expected whitespace between JSON values", at: index)
            }
            return try value(byte)
        }
    }

    /// Brackets, braces and quotes end or start a value on their own: `[1]2` is two values,
    /// `true1` is not.
    private static func isDelimiter(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "]") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "\"")
            || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{")
    }

    private mutating func skipWhitespace() {
        while index < input.count {
            switch input[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func value(_ byte: UInt8) throws(JSONError) -> JSONToken {
        guard index < input.count else { throw JSONError("expected a JSON value, found the end", at: index) }
        let start = index
        let kind: JSONToken.Kind
        switch byte {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            return try open(object: byte == UInt8(ascii: "{"))
        case UInt8(ascii: "\""):
            index = try Self.endOfString(in: input, at: start)
            kind = .string
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            kind = .true
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            kind = .false
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            kind = .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            index = try Self.endOfNumber(in: input, at: start)
            kind = .number
        default:
            throw JSONError("unexpected character '\(Self.describe(byte))'", at: index)
        }
        valueEnded()
        return JSONToken(kind, start..<index)
    }

    private mutating func name(_ byte: UInt8) throws(JSONError) -> JSONToken {
        guard byte == UInt8(ascii: "\"") else { throw JSONError("expected a member name in quotes", at: index) }
        let start = index
        index = try Self.endOfString(in: input, at: start)
        expecting = .nameSeparator
        return JSONToken(.memberName, start..<index)
    }

    private mutating func open(object: Bool) throws(JSONError) -> JSONToken {
        guard openContainers.count < Self.maxDepth else { throw JSONError("nested too deeply", at: index) }
        openContainers.append(object)
        expecting = object ? .nameOrEnd : .valueOrEnd
        return punctuation(object ? .beginObject : .beginArray)
    }

    private mutating func close() -> JSONToken {
        let object = openContainers.removeLast()
        let token = punctuation(object ? .endObject : .endArray)
        valueEnded()
        return token
    }

    /// A one-byte token at `index`.
    private mutating func punctuation(_ kind: JSONToken.Kind) -> JSONToken {
        index += 1
        return JSONToken(kind, index - 1..<index)
    }

    /// After a scalar or a closing bracket: a separator follows inside a container, the end (or
    /// the next value of a sequence) at the top.
    private mutating func valueEnded() {
        guard openContainers.isEmpty else {
            expecting = .separatorOrEnd
            return
        }
        switch mode {
        case .single: expecting = .end
        case .sequence:
            expecting = .nextValueOrEnd
            lastValueEnd = index
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONError) {
        let count = literal.utf8CodeUnitCount
        let matches = literal.withUTF8Buffer { expected in
            index + count <= input.count && input[index..<index + count].elementsEqual(expected)
        }
        guard matches else { throw JSONError("invalid literal (expected \(literal))", at: index) }
        index += count
    }

    /// A byte for an error message: itself when printable ASCII, else `\xNN`.
    static func describe(_ byte: UInt8) -> String {
        (0x21..<0x7F).contains(byte) ? String(UnicodeScalar(byte)) : "\\x" + String(byte, radix: 16)
    }
}

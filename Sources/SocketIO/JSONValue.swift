/// A JSON value (RFC 8259), as the Socket.IO codec reads and writes it.
///
/// Numbers keep the exact text they were written with (`1`, `-0.5e3`), so a value read and
/// written again is unchanged, and large integers lose no digits. Objects keep their members
/// in order (duplicates included), as they appeared.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// The number's literal text, already checked against the JSON number grammar.
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([(key: String, value: JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.number(a), .number(b)): return a == b
        case let (.string(a), .string(b)): return a == b
        case let (.array(a), .array(b)): return a == b
        case let (.object(a), .object(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: return false
        }
    }

    /// A number from an integer.
    public static func integer(_ value: Int) -> JSONValue {
        .number(String(value))
    }

    /// The first member named `key`, if this is an object that has one.
    public subscript(key: String) -> JSONValue? {
        guard case let .object(members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    public var stringValue: String? {
        if case let .string(text) = self { return text }
        return nil
    }

    /// The number as an integer, when it is written as one (no fraction or exponent) and fits.
    public var intValue: Int? {
        if case let .number(text) = self { return Int(text) }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case let .array(elements) = self { return elements }
        return nil
    }

    public var isObject: Bool {
        if case .object = self { return true }
        return false
    }
}

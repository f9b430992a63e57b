/// Builds `JSONValue`s from `JSONTokenizer`'s tokens, so it accepts exactly what the tokenizer
/// does (strict RFC 8259, nesting up to `JSONTokenizer.maxDepth`). The containers being filled
/// are kept on a stack of their own, not in recursive calls.
public enum JSONParser {
    /// Parses `text`, which must hold exactly one JSON value (surrounding whitespace allowed).
    public static func parse(_ text: String) throws(JSONError) -> JSONValue {
        var tokenizer = JSONTokenizer(Array(text.utf8), mode: .single)
        // A single-value tokenizer throws rather than end before its value.
        guard let value = try nextValue(&tokenizer) else {
            throw JSONError("expected a JSON value, found the end", at: tokenizer.input.count)
        }
        _ = try tokenizer.next()
        return value
    }

    /// Parses a sequence of JSON values separated by whitespace (`1 "a" {"b":2}`); an empty or
    /// all-whitespace text is an empty sequence (see `JSONTokenizer.Mode.sequence`).
    public static func parseSequence(_ text: String) throws(JSONError) -> [JSONValue] {
        var tokenizer = JSONTokenizer(Array(text.utf8), mode: .sequence)
        var values: [JSONValue] = []
        while let value = try nextValue(&tokenizer) { values.append(value) }
        return values
    }

    /// An object or array whose closing token has not come yet.
    private struct OpenContainer {
        let isObject: Bool
        var elements: [JSONValue] = []
        var members: [(key: String, value: JSONValue)] = []
        var pendingName = ""

        var value: JSONValue { isObject ? .object(members) : .array(elements) }

        mutating func add(_ value: JSONValue) {
            if isObject { members.append((pendingName, value)) } else { elements.append(value) }
        }
    }

    /// The next whole top-level value, or nil when the tokenizer has ended.
    private static func nextValue(_ tokenizer: inout JSONTokenizer) throws(JSONError) -> JSONValue? {
        var open: [OpenContainer] = []
        while let token = try tokenizer.next() {
            let value: JSONValue
            switch token.kind {
            case .beginObject:
                open.append(OpenContainer(isObject: true))
                continue
            case .beginArray:
                open.append(OpenContainer(isObject: false))
                continue
            case .memberName:
                open[open.count - 1].pendingName = try tokenizer.string(of: token)
                continue
            case .nameSeparator, .valueSeparator:
                continue
            case .endObject, .endArray:
                value = open.removeLast().value
            case .string: value = .string(try tokenizer.string(of: token))
            case .number: value = .number(String(decoding: tokenizer.input[token.range], as: UTF8.self))
            case .true: value = .bool(true)
            case .false: value = .bool(false)
            case .null: value = .null
            }
            guard !open.isEmpty else { return value }
            open[open.count - 1].add(value)
        }
        return nil
    }
}

/// The header fields of an HTTP head, in the order they were received or will be sent.
///
/// Order and repetition are kept because both matter to the handshake: a repeated
/// `Sec-WebSocket-Protocol` is an error, and user headers go out in the order given. Lookups compare
/// names ASCII case-insensitively, as HTTP requires.
public struct HTTPHeaders: Sendable, Equatable, RandomAccessCollection, ExpressibleByDictionaryLiteral,
    CustomStringConvertible
{
    public typealias Element = (name: String, value: String)
    public typealias Index = Int

    private struct Field: Sendable, Equatable {
        var name: String
        var value: String
    }

    private var fields: [Field]

    public init() {
        fields = []
    }

    public init(_ pairs: [(String, String)]) {
        fields = pairs.map { Field(name: $0.0, value: $0.1) }
    }

    /// Keeps the literal's order; repeated names are allowed.
    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements)
    }

    public var startIndex: Int { fields.startIndex }
    public var endIndex: Int { fields.endIndex }

    public subscript(position: Int) -> (name: String, value: String) {
        (fields[position].name, fields[position].value)
    }

    /// One `Name: value` line as a user writes an extra header: spaces and tabs around the name
    /// and the value are dropped; nil unless the name is a token and the value holds no control
    /// character (the rules the handshake sends by).
    public static func field(parsing line: String) -> (name: String, value: String)? {
        guard let colon = line.firstIndex(of: ":") else { return nil }
        let name = String(HTTPSyntax.trimmingWhitespace(line[..<colon]))
        let value = String(HTTPSyntax.trimmingWhitespace(line[line.index(after: colon)...]))
        guard HTTPSyntax.isToken(name), HTTPSyntax.isValidFieldValue(value) else { return nil }
        return (name, value)
    }

    /// Adds a field after the existing ones.
    public mutating func append(name: String, value: String) {
        fields.append(Field(name: name, value: value))
    }

    /// Removes every field called `name`.
    public mutating func removeAll(named name: String) {
        fields.removeAll { HTTPSyntax.asciiCaseInsensitiveEquals($0.name, name) }
    }

    /// The value of the first field called `name`, or nil.
    public subscript(name: String) -> String? {
        fields.first { HTTPSyntax.asciiCaseInsensitiveEquals($0.name, name) }?.value
    }

    /// Whether at least one field is called `name`.
    public func contains(name: String) -> Bool {
        fields.contains { HTTPSyntax.asciiCaseInsensitiveEquals($0.name, name) }
    }

    /// The values of every field called `name`, in order, each as received.
    public func values(for name: String) -> [String] {
        fields.filter { HTTPSyntax.asciiCaseInsensitiveEquals($0.name, name) }.map(\.value)
    }

    /// The comma-separated elements of every field called `name`, trimmed, empty ones dropped, with
    /// their case kept. Subprotocol names are compared case-sensitively, so they need this form.
    public func listElements(for name: String) -> [String] {
        values(for: name).flatMap(HTTPSyntax.listElements)
    }

    /// The comma-separated elements of every field called `name`, trimmed and ASCII-lowercased, for
    /// case-insensitive tokens such as `Connection: keep-alive, Upgrade`.
    public func tokens(for name: String) -> [String] {
        listElements(for: name).map(HTTPSyntax.asciiLowercased)
    }

    /// The fields as `name: value` lines.
    public var description: String {
        fields.map { $0.name + ": " + $0.value }.joined(separator: "\n")
    }
}

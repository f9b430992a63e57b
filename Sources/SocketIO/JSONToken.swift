/// One token of a JSON text (RFC 8259), as `JSONTokenizer` hands it out: what it is and which
/// bytes of the input it covers.
public struct JSONToken: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        case beginObject, endObject, beginArray, endArray
        /// A string in an object where a member name belongs (the `:` follows as its own token).
        case memberName
        /// `:` between a member's name and its value.
        case nameSeparator
        /// `,` between the elements of an array or the members of an object.
        case valueSeparator
        /// A string value.
        case string
        case number
        case `true`, `false`, null
    }

    public var kind: Kind
    /// The token's UTF-8 offsets in the input: a string with its quotes and its escapes as
    /// written, a number as spelled. Whitespace between tokens belongs to none.
    public var range: Range<Int>

    public init(_ kind: Kind, _ range: Range<Int>) {
        self.kind = kind
        self.range = range
    }
}

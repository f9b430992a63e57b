/// Why a text is not JSON: what was wrong, and the UTF-8 offset where it was found.
public struct JSONError: Error, Equatable, Sendable, CustomStringConvertible {
    public var reason: String
    /// Offset in UTF-8 bytes from the start of the text.
    public var offset: Int

    public init(_ reason: String, at offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    public var description: String { "\(reason) at offset \(offset)" }
}

/// Character classes and small helpers from the HTTP grammar (RFC 9110 5.6), shared by the head
/// parser, the extension header grammar and both handshake sides.
///
/// Kept as static functions on a namespace rather than extensions on `UInt8` or `String` so they
/// cannot clash with helpers other files of this module declare.
enum HTTPSyntax {
    static let cr: UInt8 = 0x0D
    static let lf: UInt8 = 0x0A
    static let space: UInt8 = 0x20
    static let tab: UInt8 = 0x09

    /// `tchar` from RFC 9110 5.6.2: the characters allowed in a token (header names, methods,
    /// extension names and parameters, subprotocols).
    static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"),
             UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"),
             UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "_"),
             UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    /// Whether `text` is a non-empty token.
    static func isToken(_ text: String) -> Bool {
        !text.utf8.isEmpty && text.utf8.allSatisfy(isTokenCharacter)
    }

    /// Whether `text` is a non-empty token.
    static func isToken(_ bytes: some Collection<UInt8>) -> Bool {
        !bytes.isEmpty && bytes.allSatisfy(isTokenCharacter)
    }

    /// Bytes that may not appear in a field value: every control character except HTAB, and DEL.
    /// Rejecting CR and LF is what stops header injection; the other controls have no legitimate use.
    static func isForbiddenInFieldValue(_ byte: UInt8) -> Bool {
        (byte < 0x20 && byte != tab) || byte == 0x7F
    }

    /// Whether `text` can be sent as a header field value without changing the message framing.
    static func isValidFieldValue(_ text: String) -> Bool {
        !text.utf8.contains(where: isForbiddenInFieldValue)
    }

    /// Optional whitespace (OWS): space or horizontal tab.
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == space || byte == tab
    }

    /// `text` without leading and trailing spaces and tabs.
    static func trimmingWhitespace(_ text: Substring) -> Substring {
        var slice = text
        while let first = slice.utf8.first, isWhitespace(first) { slice = slice.dropFirst() }
        while let last = slice.utf8.last, isWhitespace(last) { slice = slice.dropLast() }
        return slice
    }

    /// ASCII lowercase, leaving every other byte alone. Header names, tokens and schemes compare
    /// ASCII case-insensitively; Unicode case folding would be wrong for them.
    static func asciiLowercased(_ text: some StringProtocol) -> String {
        var bytes = Array(text.utf8)
        for index in bytes.indices where bytes[index] >= UInt8(ascii: "A") && bytes[index] <= UInt8(ascii: "Z") {
            bytes[index] += 0x20
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// ASCII case-insensitive equality without allocating.
    static func asciiCaseInsensitiveEquals(_ lhs: some StringProtocol, _ rhs: some StringProtocol) -> Bool {
        let left = lhs.utf8
        let right = rhs.utf8
        guard left.count == right.count else { return false }
        return zip(left, right).allSatisfy { asciiLower($0) == asciiLower($1) }
    }

    static func asciiLower(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 0x20 : byte
    }

    /// Splits a comma-separated list (the `#rule` of RFC 9110 5.6.1), trimming whitespace around each
    /// element and dropping empty elements, which recipients must tolerate.
    static func listElements(_ value: String) -> [String] {
        value.split(separator: ",", omittingEmptySubsequences: false)
            .map { String(trimmingWhitespace($0)) }
            .filter { !$0.isEmpty }
    }
}

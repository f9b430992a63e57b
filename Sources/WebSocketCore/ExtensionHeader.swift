/// One element of a `Sec-WebSocket-Extensions` header: an extension name and its parameters, as in
/// `permessage-deflate; client_max_window_bits; server_max_window_bits=10`.
///
/// The same type serves for a client's offers and a server's answer. Names (of the extension and
/// of its parameters) are stored ASCII-lowercased by the parser, since they compare
/// case-insensitively; values are kept as received, with quoted strings unescaped.
public struct ExtensionOffer: Sendable, Equatable, CustomStringConvertible {
    public var name: String
    /// The parameters in order; the value is nil for a parameter given without `=`.
    public var parameters: [(String, String?)]

    public init(name: String, parameters: [(String, String?)] = []) {
        self.name = name
        self.parameters = parameters
    }

    public static func == (lhs: ExtensionOffer, rhs: ExtensionOffer) -> Bool {
        lhs.name == rhs.name
            && lhs.parameters.count == rhs.parameters.count
            && zip(lhs.parameters, rhs.parameters).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    }

    /// Whether a parameter called `name` is present, with or without a value.
    public func hasParameter(_ name: String) -> Bool {
        parameters.contains { HTTPSyntax.asciiCaseInsensitiveEquals($0.0, name) }
    }

    /// The value of the first parameter called `name`; nil when absent or given without a value.
    public func value(ofParameter name: String) -> String? {
        parameters.first { HTTPSyntax.asciiCaseInsensitiveEquals($0.0, name) }?.1
    }

    /// The offer as it appears in the header, such as `permessage-deflate; server_max_window_bits=10`.
    public var headerValue: String {
        var text = name
        for (parameter, value) in parameters {
            text += "; " + parameter
            if let value { text += "=" + ExtensionHeader.quotedIfNeeded(value) }
        }
        return text
    }

    public var description: String { headerValue }

    /// Whether the offer can be sent as written: the name and parameter names are tokens, and every
    /// value is a token (RFC 6455 9.1 requires that even of quoted values).
    public var isWellFormed: Bool {
        HTTPSyntax.isToken(name) && parameters.allSatisfy { parameter, value in
            HTTPSyntax.isToken(parameter) && (value.map(HTTPSyntax.isToken) ?? true)
        }
    }
}

/// The grammar of `Sec-WebSocket-Extensions` (RFC 6455 9.1, used by RFC 7692):
///
///     extension-list = 1#extension
///     extension      = token *( ";" extension-param )
///     extension-param = token [ "=" ( token / quoted-string ) ]
///
/// with optional whitespace around the separators. A quoted value must still be a token once
/// unescaped, as RFC 6455 requires, so `server_max_window_bits="10"` reads as `10`.
public enum ExtensionHeader {
    /// Why a `Sec-WebSocket-Extensions` value does not follow the grammar.
    public struct SyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
        /// What was expected or found, and at which byte offset of the value.
        public var message: String

        public init(message: String) {
            self.message = message
        }

        public var description: String { message }
    }

    /// Parses one header value into its offers, in order. Empty list elements are skipped, as the
    /// list syntax of RFC 9110 5.6.1 requires of recipients.
    public static func parse(_ value: String) throws(SyntaxError) -> [ExtensionOffer] {
        var scanner = Scanner(bytes: Array(value.utf8))
        var offers: [ExtensionOffer] = []
        while true {
            scanner.skipWhitespace()
            if scanner.isAtEnd { break }
            if scanner.consume(UInt8(ascii: ",")) { continue }

            let name = try scanner.token(what: "an extension name")
            var offer = ExtensionOffer(name: HTTPSyntax.asciiLowercased(name))
            scanner.skipWhitespace()
            while scanner.consume(UInt8(ascii: ";")) {
                scanner.skipWhitespace()
                let parameter = HTTPSyntax.asciiLowercased(try scanner.token(what: "a parameter name"))
                scanner.skipWhitespace()
                var parameterValue: String?
                if scanner.consume(UInt8(ascii: "=")) {
                    scanner.skipWhitespace()
                    parameterValue = try scanner.tokenOrQuotedString()
                    scanner.skipWhitespace()
                }
                offer.parameters.append((parameter, parameterValue))
            }
            offers.append(offer)
            if scanner.isAtEnd { break }
            guard scanner.consume(UInt8(ascii: ",")) else {
                throw scanner.error("expected ',' or ';'")
            }
        }
        return offers
    }

    /// The header value for `offers`, comma-separated in order.
    public static func serialize(_ offers: [ExtensionOffer]) -> String {
        offers.map(\.headerValue).joined(separator: ", ")
    }

    /// A token as it is, anything else as a quoted-string with `"` and `\` escaped.
    static func quotedIfNeeded(_ value: String) -> String {
        if HTTPSyntax.isToken(value) { return value }
        var quoted = "\""
        for character in value {
            if character == "\"" || character == "\\" { quoted.append("\\") }
            quoted.append(character)
        }
        return quoted + "\""
    }

    /// A cursor over the bytes of one header value.
    private struct Scanner {
        let bytes: [UInt8]
        var position = 0

        var isAtEnd: Bool { position == bytes.count }

        mutating func skipWhitespace() {
            while position < bytes.count, HTTPSyntax.isWhitespace(bytes[position]) { position += 1 }
        }

        mutating func consume(_ byte: UInt8) -> Bool {
            guard position < bytes.count, bytes[position] == byte else { return false }
            position += 1
            return true
        }

        mutating func token(what: String) throws(SyntaxError) -> String {
            let start = position
            while position < bytes.count, HTTPSyntax.isTokenCharacter(bytes[position]) { position += 1 }
            guard position > start else { throw error("expected \(what)") }
            return String(decoding: bytes[start..<position], as: UTF8.self)
        }

        mutating func tokenOrQuotedString() throws(SyntaxError) -> String {
            guard consume(UInt8(ascii: "\"")) else { return try token(what: "a parameter value") }
            let start = position - 1
            var value: [UInt8] = []
            while true {
                guard position < bytes.count else {
                    position = start
                    throw error("unterminated quoted string")
                }
                let byte = bytes[position]
                position += 1
                if byte == UInt8(ascii: "\"") { break }
                if byte == UInt8(ascii: "\\") {
                    guard position < bytes.count else { continue }
                    value.append(bytes[position])
                    position += 1
                } else {
                    value.append(byte)
                }
            }
            guard HTTPSyntax.isToken(value) else {
                position = start
                throw error("quoted parameter value is not a token")
            }
            return String(decoding: value, as: UTF8.self)
        }

        func error(_ problem: String) -> SyntaxError {
            let found: String
            if position == bytes.count {
                found = "the end"
            } else if (0x21...0x7E).contains(bytes[position]) {
                found = "'\(Character(Unicode.Scalar(bytes[position])))'"
            } else {
                found = "byte 0x" + String(bytes[position], radix: 16, uppercase: true)
            }
            return SyntaxError(message: "\(problem) at offset \(position), found \(found)")
        }
    }
}

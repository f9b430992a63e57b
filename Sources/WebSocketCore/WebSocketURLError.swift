/// Why a text is not a usable WebSocket URL.
///
/// Each case names the problem so that the message alone tells the user what to change. None of
/// them quotes the `user:password@` part, so a password never ends up in an error message or a log.
public enum WebSocketURLError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The URL is the empty string.
    case empty
    /// The URL contains whitespace or a control character, which must be percent-encoded.
    /// `offset` counts Unicode scalars from zero.
    case invalidCharacter(Unicode.Scalar, offset: Int)
    /// No `scheme://` prefix, as in `localhost:8080`. Carries the text as given.
    case missingScheme(String)
    /// A scheme other than ws, wss, http or https. Carries the scheme as given.
    case unsupportedScheme(String)
    /// Nothing between `scheme://` (or the `@` after credentials) and the path.
    case missingHost
    /// A host with characters that cannot appear in a host name or address.
    case invalidHost(String)
    /// An IPv6 address written without the brackets that separate it from the port.
    case unbracketedIPv6Address(String)
    /// A `[` that is never closed, as in `ws://[::1:9000/`.
    case unterminatedIPv6Literal(String)
    /// A port that is empty, not a number, zero or above 65535. Carries the port text as given.
    case invalidPort(String)
    /// The `user:password@` part has a `%` not followed by two hex digits, or decodes to invalid UTF-8.
    case invalidCredentials
    /// A `ws+unix:` URL without a socket path, as in `ws+unix://:/chat`.
    case missingUnixSocketPath

    public var description: String {
        switch self {
        case .empty:
            return "the URL is empty (expected ws://host[:port]/path or wss://…)"
        case let .invalidCharacter(scalar, offset):
            if scalar == " " {
                return "the URL contains a space at offset \(offset) (percent-encode it as %20)"
            }
            return "the URL contains whitespace or a control character (\(Self.codePoint(scalar))) at offset \(offset); percent-encode it"
        case let .missingScheme(text):
            let rest = Self.withoutSchemePrefix(text)
            return "missing scheme in '\(text)' (use ws://\(rest) or wss://\(rest))"
        case let .unsupportedScheme(scheme):
            return "unsupported scheme '\(scheme)' (use ws://, wss://, or ws+unix:// for a Unix socket)"
        case .missingHost:
            return "the URL has no host (expected ws://host[:port]/path)"
        case let .invalidHost(host):
            if host.unicodeScalars.contains(where: { !$0.isASCII }) {
                return "invalid host '\(host)': non-ASCII host names must be written in their xn-- (punycode) form"
            }
            return "invalid host '\(host)'"
        case let .unbracketedIPv6Address(address):
            return "IPv6 address '\(address)' must be in brackets, as in ws://[::1]:9000/"
        case let .unterminatedIPv6Literal(literal):
            return "unterminated IPv6 address '\(literal)' (missing ']')"
        case let .invalidPort(port):
            if port.isEmpty {
                return "missing port number after ':' (expected a number from 1 to 65535)"
            }
            return "invalid port '\(port)' (expected a number from 1 to 65535)"
        case .invalidCredentials:
            return "invalid percent-encoding in the user:password part of the URL"
        case .missingUnixSocketPath:
            return "the URL names no Unix socket (expected ws+unix:///path/to.sock:/resource)"
        }
    }

    private static func codePoint(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// `localhost:8080` stays as it is; `ws:localhost` (a scheme without `//`) and `://localhost` lose
    /// their prefix so the suggestion does not read `ws://ws:localhost`.
    private static func withoutSchemePrefix(_ text: String) -> String {
        guard let colon = text.firstIndex(of: ":") else { return text }
        let scheme = HTTPSyntax.asciiLowercased(text[..<colon])
        guard ["", "ws", "wss", "http", "https"].contains(scheme) else { return text }
        return String(text[text.index(after: colon)...].drop(while: { $0 == "/" }))
    }
}

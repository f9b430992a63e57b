/// Why an upgrade request cannot be built from the options given, found before anything is sent.
///
/// These are mistakes in the user's input (a header that would break the handshake or the HTTP
/// framing), so they are kept apart from `HandshakeError`, which describes the server's answer.
public enum HandshakeRequestError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A header the handshake itself sets and checks: `Upgrade`, `Connection`,
    /// `Sec-WebSocket-Key`, `Sec-WebSocket-Version`, `Sec-WebSocket-Protocol` or
    /// `Sec-WebSocket-Extensions`.
    case reservedHeader(String)
    /// A header name that is not an HTTP token (empty, or with spaces, colons or control characters).
    case invalidHeaderName(String)
    /// A header value with CR, LF or another control character, which could inject headers.
    case invalidHeaderValue(name: String)
    /// A header that may appear only once, given twice (`Host`).
    case duplicateHeader(String)
    /// A subprotocol name that is not a token (RFC 6455 4.1 requires one).
    case invalidSubprotocol(String)
    /// The same subprotocol offered twice; RFC 6455 requires unique names.
    case duplicateSubprotocol(String)
    /// An extension offer whose name, parameter names or values are not tokens.
    case invalidExtensionOffer(String)
    /// A request target that does not start with `/` or contains spaces or control characters.
    case invalidResource(String)

    public var description: String {
        switch self {
        case let .reservedHeader(name):
            let hint: String
            switch HTTPSyntax.asciiLowercased(name) {
            case "sec-websocket-protocol": hint = " (offer subprotocols through the subprotocol option instead)"
            case "sec-websocket-extensions": hint = " (extensions are negotiated through their own options)"
            default: hint = ""
            }
            return "header '\(name)' is part of the WebSocket handshake and cannot be set by hand\(hint)"
        case let .invalidHeaderName(name):
            return "invalid header name '\(Self.printable(name))' (expected letters, digits and !#$%&'*+-.^_`|~)"
        case let .invalidHeaderValue(name):
            return "the value of header '\(Self.printable(name))' contains a line break or control character"
        case let .duplicateHeader(name):
            return "header '\(name)' is given more than once"
        case let .invalidSubprotocol(name):
            return "invalid subprotocol '\(Self.printable(name))' (expected a token: no spaces, commas or quotes)"
        case let .duplicateSubprotocol(name):
            return "subprotocol '\(name)' is offered more than once"
        case let .invalidExtensionOffer(offer):
            return "invalid extension offer '\(Self.printable(offer))' (names and values must be tokens)"
        case let .invalidResource(resource):
            return "invalid request path '\(Self.printable(resource))' (must start with '/' and contain no spaces or control characters)"
        }
    }

    /// Control characters shown as `?` so the message itself cannot break a terminal line.
    private static func printable(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map {
            $0.value < 0x20 || $0.value == 0x7F ? "?" : $0
        }))
    }
}

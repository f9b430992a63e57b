/// A parsed `ws://` or `wss://` URL: where to connect and what to ask for.
///
/// `http://` and `https://` are read as `ws://` and `wss://` because users paste them from browser
/// address bars and API documentation. The path and query are kept byte for byte: re-encoding them
/// would change what some servers route on. A bare `host:port` is refused rather than guessed at,
/// since guessing between ws and wss would silently pick the wrong one half the time.
public struct WebSocketURL: Sendable, Equatable, CustomStringConvertible {
    /// Whether the connection uses TLS (`wss://` or `https://`).
    public var isSecure: Bool
    /// The host name or address; an IPv6 address is stored without its brackets.
    public var host: String
    /// The TCP port, 80 or 443 when the URL names none.
    public var port: UInt16
    /// The request target: path and `?query` exactly as given, `/` when the URL has no path.
    /// The fragment is dropped, as a fragment is never sent to a server.
    public var resource: String
    /// Credentials from the URL's `user:password@`, percent-decoded.
    public var credentials: BasicCredentials?
    /// The Unix domain socket to connect to instead of `host:port` (`ws+unix:` and `wss+unix:`
    /// URLs); `host` is then `localhost`, for the `Host` header and TLS's server name.
    public var unixSocketPath: String?

    public init(isSecure: Bool, host: String, port: UInt16? = nil, resource: String = "/",
                credentials: BasicCredentials? = nil, unixSocketPath: String? = nil) {
        self.isSecure = isSecure
        self.host = host
        self.port = port ?? (isSecure ? 443 : 80)
        self.resource = resource
        self.credentials = credentials
        self.unixSocketPath = unixSocketPath
    }

    /// Parses `text`, or throws an error that says what is wrong with it.
    public init(parsing text: String) throws(WebSocketURLError) {
        guard !text.isEmpty else { throw .empty }
        for (offset, scalar) in text.unicodeScalars.enumerated() where Self.mustBeEncoded(scalar) {
            throw .invalidCharacter(scalar, offset: offset)
        }

        // A "://" after something that cannot be a scheme (as in "host:80/?next=ws://x") means
        // the URL has no scheme at all.
        guard let separator = text.firstRange(of: "://"),
              Self.isSchemeSyntax(text[..<separator.lowerBound])
        else { throw .missingScheme(text) }
        let scheme = text[..<separator.lowerBound]
        switch HTTPSyntax.asciiLowercased(scheme) {
        case "ws", "http": isSecure = false
        case "wss", "https": isSecure = true
        case "ws+unix", "wss+unix":
            self = Self(unixSocketURL: text[separator.upperBound...],
                        isSecure: HTTPSyntax.asciiLowercased(scheme) == "wss+unix")
            guard unixSocketPath?.isEmpty == false else { throw .missingUnixSocketPath }
            return
        default: throw .unsupportedScheme(String(scheme))
        }
        unixSocketPath = nil

        let afterScheme = text[separator.upperBound...]
        let authorityEnd = afterScheme.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? afterScheme.endIndex
        var authority = afterScheme[..<authorityEnd]
        let rest = afterScheme[authorityEnd...]

        // The resource: everything up to the fragment, with "/" supplied when the path is empty.
        let withoutFragment = rest[..<(rest.firstIndex(of: "#") ?? rest.endIndex)]
        if withoutFragment.isEmpty {
            resource = "/"
        } else if withoutFragment.first == "?" {
            resource = "/" + withoutFragment
        } else {
            resource = String(withoutFragment)
        }

        // Credentials: the last "@" ends them, so an unencoded "@" in a password still works.
        if let at = authority.lastIndex(of: "@") {
            let userinfo = authority[..<at]
            credentials = userinfo.isEmpty ? nil : try BasicCredentials(parsing: String(userinfo))
            authority = authority[authority.index(after: at)...]
        } else {
            credentials = nil
        }

        let portText: Substring?
        if authority.first == "[" {
            guard let close = authority.firstIndex(of: "]") else {
                throw .unterminatedIPv6Literal(String(authority))
            }
            let address = authority[authority.index(after: authority.startIndex)..<close]
            guard Self.isIPv6Literal(address) else { throw .invalidHost(String(address)) }
            host = String(address)
            let afterBracket = authority[authority.index(after: close)...]
            if afterBracket.isEmpty {
                portText = nil
            } else if afterBracket.first == ":" {
                portText = afterBracket.dropFirst()
            } else {
                throw .invalidPort(String(afterBracket))
            }
        } else {
            let colons = authority.filter { $0 == ":" }.count
            if colons > 1 { throw .unbracketedIPv6Address(String(authority)) }
            if let colon = authority.firstIndex(of: ":") {
                host = String(authority[..<colon])
                portText = authority[authority.index(after: colon)...]
            } else {
                host = String(authority)
                portText = nil
            }
            guard !host.isEmpty else { throw .missingHost }
            guard host.utf8.allSatisfy(Self.isRegisteredNameCharacter) else { throw .invalidHost(host) }
        }

        if let portText {
            guard let number = Self.portNumber(portText) else { throw .invalidPort(String(portText)) }
            port = number
        } else {
            port = isSecure ? 443 : 80
        }
    }

    /// `ws+unix:///path/to.sock:/resource` (the spelling of Node's ws and wscat): the socket's
    /// path up to the first `:`, then the request target (`/` when there is none). The fragment
    /// is dropped.
    private init(unixSocketURL rest: Substring, isSecure: Bool) {
        let withoutFragment = rest[..<(rest.firstIndex(of: "#") ?? rest.endIndex)]
        let colon = withoutFragment.firstIndex(of: ":")
        let path = withoutFragment[..<(colon ?? withoutFragment.endIndex)]
        var resource = colon.map { String(withoutFragment[withoutFragment.index(after: $0)...]) } ?? ""
        if resource.isEmpty {
            resource = "/"
        } else if resource.first == "?" {
            resource = "/" + resource
        }
        self.init(isSecure: isSecure, host: "localhost", resource: resource, unixSocketPath: String(path))
    }

    /// Whether the port is the scheme's default, in which case `Host` and `description` omit it.
    public var isDefaultPort: Bool {
        port == (isSecure ? 443 : 80)
    }

    /// The `Host` header value: the host, bracketed when it is an IPv6 address, and the port
    /// when it is not the default (RFC 6455 4.1, item 4).
    public var hostHeader: String {
        let name = host.contains(":") ? "[" + host + "]" : host
        return isDefaultPort ? name : name + ":" + String(port)
    }

    /// The URL as `ws://host[:port]/resource` (`ws+unix:///path.sock:/resource`), without
    /// credentials, for status lines and logs.
    public var description: String {
        if let unixSocketPath {
            return (isSecure ? "wss+unix://" : "ws+unix://") + unixSocketPath + ":" + resource
        }
        return (isSecure ? "wss://" : "ws://") + hostHeader + resource
    }

    /// Whitespace and control characters cannot be part of a URL (RFC 3986 section 2); a stray
    /// newline from a pasted or `$(cat)`-ed URL is the usual culprit.
    private static func mustBeEncoded(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.properties.isWhitespace
    }

    /// `ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )`, RFC 3986 3.1.
    private static func isSchemeSyntax(_ text: Substring) -> Bool {
        guard let first = text.utf8.first, isASCIILetter(first) else { return false }
        return text.utf8.allSatisfy { byte in
            isASCIILetter(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
        }
    }

    private static func isASCIILetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    /// reg-name and IPv4 characters of RFC 3986 3.2.2: unreserved, sub-delims and `%` escapes.
    private static func isRegisteredNameCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"),
             UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"),
             UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "*"), UInt8(ascii: "+"),
             UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "="), UInt8(ascii: "%"):
            return true
        default:
            return false
        }
    }

    /// Hex digits, colons and dots (for an embedded IPv4 address), with at least one colon.
    /// Full address validation is left to the resolver, which gives a precise answer.
    private static func isIPv6Literal(_ text: Substring) -> Bool {
        text.contains(":") && text.utf8.allSatisfy { byte in
            byte == UInt8(ascii: ":") || byte == UInt8(ascii: ".")
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
        }
    }

    /// Decimal digits naming 1...65535; leading zeros are allowed, as RFC 3986 allows them.
    private static func portNumber(_ text: Substring) -> UInt16? {
        guard !text.isEmpty else { return nil }
        var value = 0
        for byte in text.utf8 {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
            guard value <= Int(UInt16.max) else { return nil }
        }
        guard value > 0 else { return nil }
        return UInt16(value)
    }
}

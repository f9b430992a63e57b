import WebSocketCore

/// A proxy a connection goes through: an HTTP proxy (a CONNECT tunnel) or a SOCKS5 proxy.
public struct ProxyEndpoint: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// `http://`: HTTP CONNECT (RFC 9110 9.3.6).
        case httpConnect
        /// `socks5://` (we resolve the target's name) or `socks5h://` (`resolvesNames`: the proxy does).
        case socks5(resolvesNames: Bool)
    }

    public var kind: Kind
    public var host: String
    public var port: UInt16
    /// `user:password@` from the proxy URL: Proxy-Authorization, or SOCKS5 username/password (RFC 1929).
    public var credentials: BasicCredentials?

    public init(kind: Kind, host: String, port: UInt16, credentials: BasicCredentials? = nil) {
        self.kind = kind
        self.host = host
        self.port = port
        self.credentials = credentials
    }

    /// `http://`, `socks5://` or `socks5h://` `[user:password@]host[:port]`; a bare `host:port`
    /// (common in proxy variables) is read as `http://`. Default ports: 80 for HTTP, 1080 for SOCKS.
    public init(parsing text: String) throws(TransportError) {
        let schemeEnd = text.firstRange(of: "://")
        let scheme = schemeEnd.map { text[..<$0.lowerBound].lowercased() } ?? "http"
        let rest = schemeEnd.map { text[$0.upperBound...] } ?? text[...]
        switch scheme {
        case "http": kind = .httpConnect
        case "socks5": kind = .socks5(resolvesNames: false)
        case "socks5h": kind = .socks5(resolvesNames: true)
        default:
            throw .proxy("unsupported proxy scheme '\(scheme)' in '\(text)' (use http://, socks5:// or socks5h://)")
        }
        let parsed: WebSocketURL
        do {
            parsed = try WebSocketURL(parsing: "http://" + rest)
        } catch {
            throw .proxy("invalid proxy URL '\(text)': \(error)")
        }
        host = parsed.host
        credentials = parsed.credentials
        if case .socks5 = kind, !Self.hasExplicitPort(rest) {
            port = 1080
        } else {
            port = parsed.port
        }
    }

    /// "host:port" ("[::1]:1080"), for messages.
    public var authority: String {
        (host.contains(":") ? "[\(host)]" : host) + ":" + String(port)
    }

    /// Whether the authority of `rest` (up to the path) ends in `:digits` outside IPv6 brackets.
    private static func hasExplicitPort(_ rest: Substring) -> Bool {
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let hostPart = authority[(authority.lastIndex(of: "@").map { authority.index(after: $0) } ?? authority.startIndex)...]
        guard let colon = hostPart.lastIndex(of: ":"), !hostPart[colon...].contains("]") else { return false }
        return !hostPart[hostPart.index(after: colon)...].isEmpty
    }
}

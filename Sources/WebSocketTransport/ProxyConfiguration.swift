import WebSocketCore

/// Which proxy, if any, a connection goes through: HTTP (a CONNECT tunnel) or SOCKS5.
///
/// A proxy the user names explicitly wins; otherwise the usual environment variables apply: `https_proxy` for
/// `wss://`, `http_proxy` for `ws://`, `all_proxy` for either when that one is unset (lower
/// case first, as curl does), and `no_proxy` lists hosts (or domain suffixes, or `*`) that are
/// reached directly. Any of them may name a `socks5://` or `socks5h://` proxy.
public struct ProxyConfiguration: Sendable, Equatable {
    public var explicit: String?
    public var httpProxy: String?
    public var httpsProxy: String?
    public var allProxy: String?
    public var noProxy: [String]

    public init(explicit: String? = nil, httpProxy: String? = nil, httpsProxy: String? = nil, allProxy: String? = nil,
                noProxy: [String] = []) {
        self.explicit = explicit
        self.httpProxy = httpProxy
        self.httpsProxy = httpsProxy
        self.allProxy = allProxy
        self.noProxy = noProxy
    }

    public init(explicit: String?, environment: [String: String]) {
        func value(_ name: String) -> String? {
            let v = environment[name] ?? environment[name.uppercased()]
            return (v?.isEmpty ?? true) ? nil : v
        }
        self.init(
            explicit: explicit,
            httpProxy: value("http_proxy"),
            httpsProxy: value("https_proxy"),
            allProxy: value("all_proxy"),
            noProxy: (value("no_proxy") ?? "").split(separator: ",").map {
                $0.trimmingCharacters(in: " ").lowercased()
            }.filter { !$0.isEmpty }
        )
    }

    /// The proxy to use for `url`, or nil for a direct connection (always for a Unix socket).
    public func proxy(for url: WebSocketURL) throws(TransportError) -> ProxyEndpoint? {
        let chosen: String?
        if url.unixSocketPath != nil {
            chosen = nil
        } else if let explicit {
            chosen = explicit
        } else if bypasses(url.host) {
            chosen = nil
        } else {
            chosen = (url.isSecure ? httpsProxy : httpProxy) ?? allProxy
        }
        guard let chosen else { return nil }
        return try ProxyEndpoint(parsing: chosen)
    }

    func bypasses(_ host: String) -> Bool {
        let host = host.lowercased()
        for entry in noProxy {
            if entry == "*" { return true }
            let suffix = entry.hasPrefix(".") ? String(entry.dropFirst()) : entry
            if host == suffix || host.hasSuffix("." + suffix) { return true }
        }
        return false
    }
}

extension StringProtocol {
    func trimmingCharacters(in set: Character) -> String {
        var s = Substring(self)
        while s.first == set { s = s.dropFirst() }
        while s.last == set { s = s.dropLast() }
        return String(s)
    }
}

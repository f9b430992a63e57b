import WebSocketCore

/// Which HTTP proxy, if any, a connection goes through (HTTP CONNECT tunnel).
///
/// `--proxy` wins; otherwise the usual environment variables apply: `https_proxy` for
/// `wss://`, `http_proxy` for `ws://` (lower case first, as curl does), and `no_proxy`
/// lists hosts (or domain suffixes, or `*`) that are reached directly.
public struct ProxyConfiguration: Sendable, Equatable {
    public var explicit: String?
    public var httpProxy: String?
    public var httpsProxy: String?
    public var noProxy: [String]

    public init(explicit: String? = nil, httpProxy: String? = nil, httpsProxy: String? = nil, noProxy: [String] = []) {
        self.explicit = explicit
        self.httpProxy = httpProxy
        self.httpsProxy = httpsProxy
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
            noProxy: (value("no_proxy") ?? "").split(separator: ",").map {
                $0.trimmingCharacters(in: " ").lowercased()
            }.filter { !$0.isEmpty }
        )
    }

    /// The proxy to use for `url`, or nil for a direct connection.
    public func proxy(for url: WebSocketURL) throws(TransportError) -> WebSocketURL? {
        let chosen: String?
        if let explicit {
            chosen = explicit
        } else if bypasses(url.host) {
            chosen = nil
        } else {
            chosen = url.isSecure ? httpsProxy : httpProxy
        }
        guard let chosen else { return nil }
        // A bare host:port is common in proxy variables; read it as http://.
        let text = chosen.contains("://") ? chosen : "http://" + chosen
        if let scheme = text.split(separator: ":", maxSplits: 1).first?.lowercased(), scheme != "http" {
            // The URL parser's own hint (ws:// or wss://) is about WebSocket URLs, not proxies.
            throw .proxy("unsupported proxy scheme '\(scheme)' in '\(chosen)': only http:// proxies are supported")
        }
        let parsed: WebSocketURL
        do {
            parsed = try WebSocketURL(parsing: text)
        } catch {
            throw .proxy("invalid proxy URL '\(chosen)': \(error)")
        }
        return parsed
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

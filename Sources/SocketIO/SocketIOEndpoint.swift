import WebSocketCore

/// Where a Socket.IO client connects: the Engine.IO WebSocket endpoint derived from the URL the
/// user gave (`http://host:3000`, `ws://host/chat?token=x`), and the namespace to join.
public struct SocketIOEndpoint: Sendable, Equatable {
    /// The URL of the WebSocket handshake: `<path>?EIO=4&transport=websocket[&<the URL's query>]`.
    public var url: WebSocketURL
    /// The URL of HTTP long-polling: `<path>?EIO=4&transport=polling[&<the URL's query>]`.
    public var pollingURL: WebSocketURL
    /// `/` or e.g. `/admin`.
    public var namespace: String

    /// - Parameters:
    ///   - url: the server's URL; its query parameters are kept (except `EIO` and `transport`,
    ///     which are set here). Its path, if not `/`, names the namespace, as in the JavaScript
    ///     client's `io("http://host/admin")`, unless `namespace` is given.
    ///   - path: the Engine.IO path on the server (`/socket.io/` by default).
    ///   - namespace: the namespace to join; `admin` and `/admin` are the same.
    public init(url: WebSocketURL, path: String = "/socket.io/", namespace: String? = nil) {
        let resource = url.resource
        let questionMark = resource.firstIndex(of: "?")
        let urlPath = String(resource[..<(questionMark ?? resource.endIndex)])
        let query = questionMark.map { String(resource[resource.index(after: $0)...]) } ?? ""
        let kept = query.split(separator: "&").filter { parameter in
            let name = parameter.split(separator: "=", maxSplits: 1).first.map(String.init) ?? ""
            return name != "EIO" && name != "transport"
        }
        let base = path.hasPrefix("/") ? path : "/" + path
        let rest = kept.isEmpty ? "" : "&" + kept.joined(separator: "&")
        var endpoint = url
        endpoint.resource = base + "?EIO=4&transport=websocket" + rest
        self.url = endpoint
        endpoint.resource = base + "?EIO=4&transport=polling" + rest
        self.pollingURL = endpoint
        if let namespace, !namespace.isEmpty {
            self.namespace = Self.normalizedNamespace(namespace)
        } else {
            self.namespace = urlPath.isEmpty ? "/" : Self.normalizedNamespace(urlPath)
        }
    }

    /// `admin` → `/admin`; a trailing slash is dropped (`/admin/` → `/admin`), `/` stays.
    public static func normalizedNamespace(_ text: String) -> String {
        var name = text.hasPrefix("/") ? text : "/" + text
        while name.count > 1 && name.hasSuffix("/") { name.removeLast() }
        return name
    }
}

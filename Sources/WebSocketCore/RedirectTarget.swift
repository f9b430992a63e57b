/// Where a 3xx `Location` points, as a WebSocket URL.
public enum RedirectTarget {
    /// Absolute locations (ws, wss, http, https) are parsed as they are; a path replaces
    /// the current resource; a relative reference is resolved against the current path.
    public static func resolve(_ location: String, relativeTo base: WebSocketURL) throws(WebSocketURLError) -> WebSocketURL {
        if location.contains("://") {
            return try WebSocketURL(parsing: location)
        }
        var next = base
        next.credentials = nil
        if location.hasPrefix("//") {
            return try WebSocketURL(parsing: (base.isSecure ? "wss:" : "ws:") + location)
        }
        if location.hasPrefix("/") {
            next.resource = location
        } else {
            let path = base.resource.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? "/"
            let directory = path.hasSuffix("/") ? path : String(path[...(path.lastIndex(of: "/") ?? path.startIndex)])
            next.resource = (directory.hasPrefix("/") ? directory : "/" + directory) + location
        }
        return next
    }
}

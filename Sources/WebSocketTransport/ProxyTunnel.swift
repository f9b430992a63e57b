import WebSocketCore

/// The HTTP CONNECT request that opens a tunnel through a proxy (RFC 9110 9.3.6).
enum ProxyTunnel {
    static func connectRequest(to target: WebSocketURL, proxy: WebSocketURL) -> [UInt8] {
        let authority = hostForDisplay(target.host) + ":" + String(target.port)
        var request = "CONNECT \(authority) HTTP/1.1\r\nHost: \(authority)\r\n"
        if let credentials = proxy.credentials {
            request += "Proxy-Authorization: \(credentials.authorizationHeaderValue)\r\n"
        }
        request += "\r\n"
        return Array(request.utf8)
    }
}

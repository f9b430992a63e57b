import WebSocketCore

/// What a proxy handshake needs next.
enum TunnelStep: Equatable {
    /// Write these bytes, then feed what comes back.
    case send([UInt8])
    /// The answer so far is incomplete.
    case needMore
    /// The tunnel is open; what follows is the target's.
    case established
}

/// The exchange that opens a tunnel through a proxy to the target, before TLS and the upgrade:
/// HTTP CONNECT or SOCKS5. Pure: fed the proxy's bytes, asked for ours.
enum ProxyHandshake {
    case httpConnect(HTTPConnectHandshake)
    case socks5(SOCKS5Handshake, proxy: String, target: String)

    /// The first bytes to send.
    var opening: [UInt8] {
        switch self {
        case let .httpConnect(handshake): return handshake.request
        case let .socks5(handshake, _, _): return handshake.greeting
        }
    }

    mutating func advance(_ input: inout [UInt8]) throws(TransportError) -> TunnelStep {
        switch self {
        case let .httpConnect(handshake):
            return try handshake.advance(&input)   // stateless: the answer is read whole
        case .socks5(var handshake, let proxy, let target):
            do {
                let step = try handshake.advance(&input)
                self = .socks5(handshake, proxy: proxy, target: target)
                return step
            } catch {
                throw .socks5(proxy: proxy, target: target, error)
            }
        }
    }

    /// The error when the proxy hangs up before the tunnel is open.
    var errorAtEndOfStream: TransportError {
        switch self {
        case .httpConnect: return .proxy("the proxy closed the connection before answering CONNECT")
        case let .socks5(handshake, proxy, target): return .socks5(proxy: proxy, target: target, handshake.errorAtEndOfStream)
        }
    }
}

/// HTTP CONNECT (RFC 9110 9.3.6): the request, then a 2xx answer opens the tunnel.
struct HTTPConnectHandshake {
    let request: [UInt8]

    init(target: WebSocketURL, proxy: ProxyEndpoint) {
        let authority = hostForDisplay(target.host) + ":" + String(target.port)
        var request = "CONNECT \(authority) HTTP/1.1\r\nHost: \(authority)\r\n"
        if let credentials = proxy.credentials {
            request += "Proxy-Authorization: \(credentials.authorizationHeaderValue)\r\n"
        }
        request += "\r\n"
        self.request = Array(request.utf8)
    }

    func advance(_ input: inout [UInt8]) throws(TransportError) -> TunnelStep {
        let parsed: (HTTPResponseHead, consumed: Int)?
        do {
            parsed = try input.withBytes { (raw) throws(HandshakeError) in try HTTPHeadParser.parseResponse(raw) }
        } catch {
            throw .proxy("malformed answer to CONNECT: \(error)")
        }
        guard let (head, consumed) = parsed else { return .needMore }
        guard (200..<300).contains(head.statusCode) else {
            throw .proxy("CONNECT refused: \(head.statusLine)")
        }
        input.removeFirst(consumed)
        return .established
    }
}

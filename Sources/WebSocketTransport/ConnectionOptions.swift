import WebSocketCore

/// Everything needed to open one WebSocket connection, gathered from the command line.
public struct ConnectionOptions: Sendable {
    public var url: WebSocketURL
    public var origin: String?
    public var subprotocols: [String] = []
    /// The handshake's `Sec-WebSocket-Version`.
    public var protocolVersion = WebSocketProtocolVersion.rfc6455
    /// Extra request headers, in the order given.
    public var headers = HTTPHeaders()
    /// The user's credentials for Basic authentication; when nil, credentials in the URL are used.
    public var credentials: BasicCredentials?
    public var extensionOffers: [ExtensionOffer] = []
    /// The permessage-deflate offer, made by default; nil offers no compression.
    public var perMessageDeflate: PerMessageDeflateOffer? = PerMessageDeflateOffer()
    public var tls = TLSOptions()
    public var proxy = ProxyConfiguration()
    /// When set, every connection (redirects too) goes to this Unix domain socket; the
    /// URL still gives the Host header, the path and, for wss://, TLS's server name.
    public var unixSocketPath: String?
    /// Bounds resolving, connecting, the proxy tunnel, TLS and the HTTP upgrade together.
    public var connectTimeout: Double = 10
    /// How 3xx answers to the upgrade request are followed; nil rejects them.
    public var redirects: RedirectPolicy?
    public var configuration = WebSocketConfiguration()
    /// When the outgoing buffer holds more than this, the session stops reading its input.
    /// 1 MiB keeps a socket busy (the kernel's send buffer is a few hundred KiB) and measured as
    /// fast as 4 MiB with 1 MiB messages, while peak RSS stays about 3 MiB lower and steady.
    public var outgoingHighWaterMark = 1 << 20
    /// Send a ping this often while open; nil sends none.
    public var pingInterval: Double?
    /// Declare the peer dead when a ping's pong has not come after this long (nil: the ping interval).
    public var pingTimeout: Double?

    /// Engine.IO (for Socket.IO) over HTTP long-polling, perhaps upgraded: `url` is then the
    /// polling endpoint. Nil: a WebSocket connection to `url`.
    public var engineIOPolling: EngineIOPollingOptions?

    public init(url: WebSocketURL) {
        self.url = url
    }
}

/// The server side of the opening handshake (RFC 6455 4.2), for the listen mode: checks a client's
/// upgrade request and builds the `101 Switching Protocols` answer.
public struct ServerHandshake: Sendable {
    /// The request that was accepted.
    public let request: HTTPRequestHead
    /// The client's `Sec-WebSocket-Key`.
    public let key: String
    /// The subprotocols the client offered, in its order of preference.
    public let offeredSubprotocols: [String]
    /// The subprotocol chosen: the first client offer the server supports, or nil.
    public let subprotocol: String?
    /// The extensions the client offered; the server accepts none unless it answers some in
    /// `responseBytes(extensions:)`.
    public let offeredExtensions: [ExtensionOffer]

    /// Checks `request` against RFC 6455 4.2.1 and chooses a subprotocol.
    ///
    /// - Parameter supportedSubprotocols: the subprotocols this server speaks. The client's order of
    ///   preference decides among them, as the client knows which it would rather use.
    public init(request: HTTPRequestHead, supportedSubprotocols: [String] = []) throws(ServerHandshakeError) {
        let fields = request.headers
        guard request.method == "GET" else { throw .methodNotGet(request.method) }
        guard request.version == "HTTP/1.1" else { throw .unsupportedHTTPVersion(request.version) }
        guard fields.values(for: "Host").count == 1 else { throw .missingHost }
        guard fields.tokens(for: "Upgrade").contains("websocket") else { throw .missingUpgrade }
        guard fields.tokens(for: "Connection").contains("upgrade") else { throw .missingConnectionUpgrade }

        let versions = fields.listElements(for: "Sec-WebSocket-Version")
        guard versions == ["13"] else { throw .unsupportedWebSocketVersion(versions.joined(separator: ", ")) }

        let keys = fields.values(for: "Sec-WebSocket-Key")
        guard !keys.isEmpty else { throw .missingKey }
        guard keys.count == 1, Base64.decode(keys[0])?.count == 16 else {
            throw .invalidKey(keys.joined(separator: ", "))
        }

        var offeredExtensions: [ExtensionOffer] = []
        for value in fields.values(for: "Sec-WebSocket-Extensions") {
            do {
                offeredExtensions += try ExtensionHeader.parse(value)
            } catch {
                throw .invalidExtensionHeader(error.message)
            }
        }

        let offeredSubprotocols = fields.listElements(for: "Sec-WebSocket-Protocol")
        self.request = request
        self.key = keys[0]
        self.offeredSubprotocols = offeredSubprotocols
        self.subprotocol = offeredSubprotocols.first { supportedSubprotocols.contains($0) }
        self.offeredExtensions = offeredExtensions
    }

    /// The client's `Origin`, for servers that restrict which pages may connect.
    public var origin: String? {
        request.headers["Origin"]
    }

    /// The `Sec-WebSocket-Accept` value for this request's key.
    public var acceptValue: String {
        ClientHandshake.acceptValue(forKey: key)
    }

    /// The complete `101 Switching Protocols` response, blank line included.
    ///
    /// - Parameter extensions: the extensions accepted, with the parameters the server answers;
    ///   the caller negotiates them from `offeredExtensions`.
    public func responseBytes(extensions: [ExtensionOffer] = []) -> [UInt8] {
        var lines = [
            "HTTP/1.1 101 Switching Protocols",
            "Upgrade: websocket",
            "Connection: Upgrade",
            "Sec-WebSocket-Accept: " + acceptValue,
        ]
        if let subprotocol { lines.append("Sec-WebSocket-Protocol: " + subprotocol) }
        if !extensions.isEmpty { lines.append("Sec-WebSocket-Extensions: " + ExtensionHeader.serialize(extensions)) }
        return Array((lines.joined(separator: "\r\n") + "\r\n\r\n").utf8)
    }
}

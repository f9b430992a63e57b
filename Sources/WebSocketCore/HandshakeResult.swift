/// What a successful opening handshake agreed on, for the connection and for the user.
public struct HandshakeResult: Sendable, Equatable {
    /// The subprotocol the server selected from the client's offers, or nil when none.
    public var subprotocol: String?
    /// The extensions the server accepted, with the parameters it answered, in its order.
    /// Checking those parameters is the job of each extension's negotiation.
    public var extensions: [ExtensionOffer]
    /// Every header of the `101` response, for verbose output and callers with special needs.
    public var headers: HTTPHeaders
    /// The permessage-deflate parameters agreed on, when the client offered the extension and
    /// the server accepted it; pass them to `WebSocketConnection.handshakeCompleted(perMessageDeflate:)`.
    public var perMessageDeflate: PerMessageDeflateParameters?

    public init(subprotocol: String?, extensions: [ExtensionOffer], headers: HTTPHeaders,
                perMessageDeflate: PerMessageDeflateParameters? = nil) {
        self.subprotocol = subprotocol
        self.extensions = extensions
        self.headers = headers
        self.perMessageDeflate = perMessageDeflate
    }
}

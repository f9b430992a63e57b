/// What a successful opening handshake agreed on, for the connection and for the user.
public struct HandshakeResult: Sendable, Equatable {
    /// The subprotocol the server selected from the client's offers, or nil when none.
    public var subprotocol: String?
    /// The extensions the server accepted, with the parameters it answered, in its order.
    /// Checking those parameters is the job of each extension's negotiation.
    public var extensions: [ExtensionOffer]
    /// Every header of the `101` response, for verbose output and callers with special needs.
    public var headers: HTTPHeaders

    public init(subprotocol: String?, extensions: [ExtensionOffer], headers: HTTPHeaders) {
        self.subprotocol = subprotocol
        self.extensions = extensions
        self.headers = headers
    }
}

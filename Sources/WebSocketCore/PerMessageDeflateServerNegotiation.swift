/// The server side of the permessage-deflate negotiation (RFC 7692 7.1), for the listen mode:
/// picks the first acceptable client offer and builds the answer for the `101` response.
///
/// Use with `ServerHandshake`: `negotiate(handshake.offeredExtensions)`, send
/// `handshake.responseBytes(extensions: [agreement.response])`, then
/// `connection.handshakeCompleted(perMessageDeflate: agreement.parameters)`.
public struct PerMessageDeflateServerNegotiation: Sendable, Equatable {
    /// What the server answers, and what it means for the connection.
    public struct Agreement: Sendable, Equatable {
        /// The element for the response's `Sec-WebSocket-Extensions` header.
        public var response: ExtensionOffer
        /// The parameters both sides now use.
        public var parameters: PerMessageDeflateParameters
    }

    /// Reset our compressor after every message even when the client does not ask for it.
    public var serverNoContextTakeover: Bool
    /// Compress with at most this window even when the client does not ask for a limit.
    public var serverMaxWindowBits: Int?
    /// Ask the client to reset its compressor after every message.
    public var clientNoContextTakeover: Bool
    /// Limit the client's window to this, when the client offered `client_max_window_bits`
    /// (a client that did not cannot be limited; its offer is still accepted).
    public var clientMaxWindowBits: Int?

    /// By default the server grants what the client asks and asks nothing itself.
    public init(
        serverNoContextTakeover: Bool = false,
        serverMaxWindowBits: Int? = nil,
        clientNoContextTakeover: Bool = false,
        clientMaxWindowBits: Int? = nil
    ) {
        for bits in [serverMaxWindowBits, clientMaxWindowBits].compactMap({ $0 }) {
            precondition(PerMessageDeflateElement.windowBitsRange.contains(bits), "window bits must be from 8 to 15")
        }
        self.serverNoContextTakeover = serverNoContextTakeover
        self.serverMaxWindowBits = serverMaxWindowBits
        self.clientNoContextTakeover = clientNoContextTakeover
        self.clientMaxWindowBits = clientMaxWindowBits
    }

    /// Answers the first permessage-deflate offer in `offers` (the client's order of preference)
    /// that is valid; invalid offers are declined, as 7.1 requires (unknown or repeated
    /// parameters, bad values). Returns nil when no offer can be accepted.
    public func negotiate(_ offers: [ExtensionOffer]) -> Agreement? {
        for offer in offers where PerMessageDeflateElement.isPerMessageDeflate(offer) {
            if let agreement = try? accept(offer) { return agreement }
        }
        return nil
    }

    private func accept(_ offer: ExtensionOffer) throws(PerMessageDeflateError) -> Agreement {
        let offered = try PerMessageDeflateElement(parsing: offer)
        var answer = PerMessageDeflateElement()

        answer.serverNoContextTakeover = offered.serverNoContextTakeover || serverNoContextTakeover
        answer.clientNoContextTakeover = offered.clientNoContextTakeover || clientNoContextTakeover

        // server_max_window_bits: a client's request needs a value and binds us; we may add a
        // limit of our own unasked.
        var serverBits = serverMaxWindowBits ?? PerMessageDeflateParameters.defaultWindowBits
        switch offered.serverMaxWindowBits {
        case .absent:
            break
        case .withoutValue:
            throw .missingValue(parameter: PerMessageDeflateElement.serverMaxWindowBits)
        case let .value(bits):
            serverBits = min(serverBits, bits)
        }
        if serverBits != PerMessageDeflateParameters.defaultWindowBits || offered.serverMaxWindowBits != .absent {
            answer.serverMaxWindowBits = .value(serverBits)
        }

        // client_max_window_bits: we may answer it only when offered, with at most its value.
        var clientBits = PerMessageDeflateParameters.defaultWindowBits
        switch offered.clientMaxWindowBits {
        case .absent:
            break
        case .withoutValue:
            if let limit = clientMaxWindowBits {
                clientBits = limit
                answer.clientMaxWindowBits = .value(limit)
            }
        case let .value(bits):
            clientBits = min(bits, clientMaxWindowBits ?? bits)
            answer.clientMaxWindowBits = .value(clientBits)
        }

        let parameters = PerMessageDeflateParameters(
            serverNoContextTakeover: answer.serverNoContextTakeover,
            clientNoContextTakeover: answer.clientNoContextTakeover,
            serverMaxWindowBits: serverBits,
            clientMaxWindowBits: clientBits
        )
        return Agreement(response: answer.extensionOffer, parameters: parameters)
    }
}

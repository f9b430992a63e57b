/// A client's permessage-deflate offer (RFC 7692 7.1) and the check of the server's answer to it.
///
/// The default offer is `permessage-deflate; client_max_window_bits`: we accept any window limit
/// the server sets on our compressor, ask nothing of the server's, and keep context takeover both
/// ways (the best compression; a server that wants less memory says so in its answer).
public struct PerMessageDeflateOffer: Sendable, Equatable {
    /// What we offer about our own compressor's window (`client_max_window_bits`).
    public enum ClientMaxWindowBits: Sendable, Equatable {
        /// Not offered: the server may not limit our window.
        case notOffered
        /// Offered without a value: the server may answer any limit from 8 to 15.
        case serverChooses
        /// Offered with a value: we will use at most this window; the server may lower it.
        case atMost(Int)
    }

    public var clientMaxWindowBits: ClientMaxWindowBits
    /// Ask the server to compress with at most this window (`server_max_window_bits=N`); the
    /// server must confirm it (or a lower value).
    public var serverMaxWindowBits: Int?
    /// Ask the server to reset its compressor after every message; the server must confirm it.
    public var serverNoContextTakeover: Bool
    /// Tell the server we will reset our compressor after every message.
    public var clientNoContextTakeover: Bool

    public init(
        clientMaxWindowBits: ClientMaxWindowBits = .serverChooses,
        serverMaxWindowBits: Int? = nil,
        serverNoContextTakeover: Bool = false,
        clientNoContextTakeover: Bool = false
    ) {
        if case let .atMost(bits) = clientMaxWindowBits {
            precondition(PerMessageDeflateElement.windowBitsRange.contains(bits), "client_max_window_bits must be from 8 to 15")
        }
        if let bits = serverMaxWindowBits {
            precondition(PerMessageDeflateElement.windowBitsRange.contains(bits), "server_max_window_bits must be from 8 to 15")
        }
        self.clientMaxWindowBits = clientMaxWindowBits
        self.serverMaxWindowBits = serverMaxWindowBits
        self.serverNoContextTakeover = serverNoContextTakeover
        self.clientNoContextTakeover = clientNoContextTakeover
    }

    /// The offer as sent in `Sec-WebSocket-Extensions`, e.g. `permessage-deflate; client_max_window_bits`.
    public var extensionOffer: ExtensionOffer {
        var element = PerMessageDeflateElement()
        element.serverNoContextTakeover = serverNoContextTakeover
        element.clientNoContextTakeover = clientNoContextTakeover
        element.serverMaxWindowBits = serverMaxWindowBits.map { .value($0) } ?? .absent
        switch clientMaxWindowBits {
        case .notOffered: element.clientMaxWindowBits = .absent
        case .serverChooses: element.clientMaxWindowBits = .withoutValue
        case let .atMost(bits): element.clientMaxWindowBits = .value(bits)
        }
        return element.extensionOffer
    }

    /// Checks the server's answer (the extensions of its `101` response, in order) against this
    /// offer, following RFC 7692 7.1 and what python-websockets checks.
    ///
    /// - Returns: the agreed parameters, or nil when the server did not accept permessage-deflate.
    /// - Throws: when the answer breaks a rule; the client must then fail the connection.
    public func negotiate(_ accepted: [ExtensionOffer]) throws(PerMessageDeflateError) -> PerMessageDeflateParameters? {
        let answers = accepted.filter(PerMessageDeflateElement.isPerMessageDeflate)
        guard let answer = answers.first else { return nil }
        guard answers.count == 1 else { throw .multipleAcceptances(answers.count) }
        let element = try PerMessageDeflateElement(parsing: answer)

        // 7.1.1.1: a server that received server_no_context_takeover must answer it; it may
        // add it unasked.
        if serverNoContextTakeover && !element.serverNoContextTakeover { throw .missingServerNoContextTakeover }

        // 7.1.2.1: server_max_window_bits always carries a value; the server may add it unasked,
        // and must confirm (with the same or a lower value) one we asked for.
        var serverBits = PerMessageDeflateParameters.defaultWindowBits
        switch element.serverMaxWindowBits {
        case .absent:
            if let offered = serverMaxWindowBits { throw .missingServerMaxWindowBits(offered: offered) }
        case .withoutValue:
            throw .missingValue(parameter: PerMessageDeflateElement.serverMaxWindowBits)
        case let .value(bits):
            if let offered = serverMaxWindowBits, bits > offered {
                throw .windowBitsAboveOffer(parameter: PerMessageDeflateElement.serverMaxWindowBits, offered: offered, answered: bits)
            }
            serverBits = bits
        }

        // 7.1.2.2: the server may answer client_max_window_bits (with a value) only if we
        // offered it, and not above a value we gave.
        var clientBits = PerMessageDeflateParameters.defaultWindowBits
        if case let .atMost(offered) = clientMaxWindowBits { clientBits = offered }
        switch element.clientMaxWindowBits {
        case .absent:
            break
        case .withoutValue:
            throw .missingValue(parameter: PerMessageDeflateElement.clientMaxWindowBits)
        case let .value(bits):
            switch clientMaxWindowBits {
            case .notOffered:
                throw .unofferedClientMaxWindowBits
            case .serverChooses:
                clientBits = bits
            case let .atMost(offered):
                if bits > offered {
                    throw .windowBitsAboveOffer(parameter: PerMessageDeflateElement.clientMaxWindowBits, offered: offered, answered: bits)
                }
                clientBits = bits
            }
        }

        return PerMessageDeflateParameters(
            // 7.1.1.2: client_no_context_takeover in the answer binds us; offering it is a
            // promise we keep either way.
            serverNoContextTakeover: element.serverNoContextTakeover,
            clientNoContextTakeover: clientNoContextTakeover || element.clientNoContextTakeover,
            serverMaxWindowBits: serverBits,
            clientMaxWindowBits: clientBits
        )
    }
}

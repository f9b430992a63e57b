/// What a permessage-deflate negotiation agreed on (RFC 7692 7.1), for both directions: whether
/// each sender starts every message with an empty compression context, and the largest LZ77
/// window (in bits: 2^bits bytes) each may use.
///
/// Produced by `PerMessageDeflateOffer.negotiate(_:)` on the client and by
/// `PerMessageDeflateServerNegotiation.negotiate(_:)` on the server, and handed to
/// `WebSocketConnection.handshakeCompleted(perMessageDeflate:)`.
public struct PerMessageDeflateParameters: Sendable, Equatable, CustomStringConvertible {
    /// The server resets its compressor after every message (`server_no_context_takeover`).
    public var serverNoContextTakeover: Bool
    /// The client resets its compressor after every message (`client_no_context_takeover`).
    public var clientNoContextTakeover: Bool
    /// The server compresses with a window of at most 2^`serverMaxWindowBits` bytes (8–15).
    public var serverMaxWindowBits: Int
    /// The client compresses with a window of at most 2^`clientMaxWindowBits` bytes (8–15).
    public var clientMaxWindowBits: Int

    /// The largest window, and the default for a direction the negotiation did not limit.
    public static let defaultWindowBits = 15

    public init(
        serverNoContextTakeover: Bool = false,
        clientNoContextTakeover: Bool = false,
        serverMaxWindowBits: Int = PerMessageDeflateParameters.defaultWindowBits,
        clientMaxWindowBits: Int = PerMessageDeflateParameters.defaultWindowBits
    ) {
        precondition(PerMessageDeflateElement.windowBitsRange.contains(serverMaxWindowBits)
                     && PerMessageDeflateElement.windowBitsRange.contains(clientMaxWindowBits),
                     "window bits must be from 8 to 15")
        self.serverNoContextTakeover = serverNoContextTakeover
        self.clientNoContextTakeover = clientNoContextTakeover
        self.serverMaxWindowBits = serverMaxWindowBits
        self.clientMaxWindowBits = clientMaxWindowBits
    }

    /// Whether `role` resets its compressor after each message it sends.
    public func resetsCompressor(as role: Role) -> Bool {
        role == .client ? clientNoContextTakeover : serverNoContextTakeover
    }

    /// Whether the peer of `role` resets its compressor after each message, so that `role` may
    /// reset its decompressor too.
    public func resetsDecompressor(as role: Role) -> Bool {
        role == .client ? serverNoContextTakeover : clientNoContextTakeover
    }

    /// The window, in bits, `role` compresses with.
    public func compressorWindowBits(as role: Role) -> Int {
        role == .client ? clientMaxWindowBits : serverMaxWindowBits
    }

    /// The window, in bits, the peer of `role` compresses with, so `role` inflates with.
    public func decompressorWindowBits(as role: Role) -> Int {
        role == .client ? serverMaxWindowBits : clientMaxWindowBits
    }

    /// The parameters as a header element would state them, defaults left out:
    /// `permessage-deflate; client_no_context_takeover; server_max_window_bits=10`.
    public var description: String {
        var element = PerMessageDeflateElement()
        element.serverNoContextTakeover = serverNoContextTakeover
        element.clientNoContextTakeover = clientNoContextTakeover
        if serverMaxWindowBits != Self.defaultWindowBits { element.serverMaxWindowBits = .value(serverMaxWindowBits) }
        if clientMaxWindowBits != Self.defaultWindowBits { element.clientMaxWindowBits = .value(clientMaxWindowBits) }
        return element.extensionOffer.headerValue
    }
}

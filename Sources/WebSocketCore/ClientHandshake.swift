/// The client side of the opening handshake (RFC 6455 4.1): builds the upgrade request and checks
/// the server's answer against it.
///
/// A value is made once per connection attempt, because each attempt needs a fresh random key.
/// Everything the user supplies is validated when the value is made, so a bad header is reported
/// before any connection is opened and can never be sent half-checked.
public struct ClientHandshake: Sendable {
    /// The `Sec-WebSocket-Key`: base64 of 16 random bytes.
    public let key: String
    public let url: WebSocketURL
    public let origin: String?
    /// The subprotocols offered, in order of preference.
    public let subprotocols: [String]
    /// Every extension offered, in order: `extensionOffers` as given, then the permessage-deflate
    /// offer if any.
    public let extensionOffers: [ExtensionOffer]
    /// The permessage-deflate offer, whose answer `validate` negotiates.
    public let perMessageDeflate: PerMessageDeflateOffer?
    /// The user's extra headers, in the order given.
    public let headers: HTTPHeaders
    /// The credentials sent as `Authorization: Basic`: those passed in, else those from the URL.
    public let credentials: BasicCredentials?
    /// The version asked for in `Sec-WebSocket-Version` (13 unless the user asked for 8).
    public var version = WebSocketProtocolVersion.rfc6455

    /// The GUID RFC 6455 appends to the key before hashing it into `Sec-WebSocket-Accept`.
    static let acceptGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    /// Headers the handshake itself sets and checks; letting a user header replace one would make
    /// the request contradict what `validate` expects of the answer.
    static let reservedHeaderNames: Set<String> = [
        "upgrade", "connection", "sec-websocket-key", "sec-websocket-version",
        "sec-websocket-protocol", "sec-websocket-extensions",
    ]

    /// Prepares a handshake with a key from the system's CSPRNG.
    ///
    /// - Parameters:
    ///   - origin: sent as `Origin` when given.
    ///   - subprotocols: offered in `Sec-WebSocket-Protocol`, comma-joined; must be unique tokens.
    ///   - extensionOffers: offered in `Sec-WebSocket-Extensions`.
    ///   - perMessageDeflate: offered after `extensionOffers`; `validate` checks the server's
    ///     answer to it and reports the agreement in `HandshakeResult.perMessageDeflate`.
    ///   - headers: extra headers, sent in order after the handshake's own. A `Host` header replaces
    ///     the one derived from the URL (useful behind tunnels and for virtual hosts); `Origin` and
    ///     `Authorization` headers replace the ones built from `origin` and the credentials. The
    ///     handshake's own headers (`Upgrade`, `Connection`, `Sec-WebSocket-*`) cannot be replaced.
    ///   - credentials: sent as `Authorization: Basic`; when nil, the URL's credentials are used.
    public init(url: WebSocketURL, origin: String? = nil, subprotocols: [String] = [],
                extensionOffers: [ExtensionOffer] = [], perMessageDeflate: PerMessageDeflateOffer? = nil,
                headers: [(String, String)] = [],
                credentials: BasicCredentials? = nil) throws(HandshakeRequestError) {
        var generator = SystemRandomNumberGenerator()
        try self.init(url: url, origin: origin, subprotocols: subprotocols, extensionOffers: extensionOffers,
                      perMessageDeflate: perMessageDeflate, headers: headers, credentials: credentials,
                      using: &generator)
    }

    /// Prepares a handshake whose key comes from `rng`: two 64-bit draws, little-endian bytes.
    /// Tests pass a deterministic generator to get known request bytes.
    public init<R: RandomNumberGenerator>(url: WebSocketURL, origin: String? = nil, subprotocols: [String] = [],
                                          extensionOffers: [ExtensionOffer] = [],
                                          perMessageDeflate: PerMessageDeflateOffer? = nil,
                                          headers: [(String, String)] = [],
                                          credentials: BasicCredentials? = nil,
                                          using rng: inout R) throws(HandshakeRequestError) {
        var nonce: [UInt8] = []
        nonce.reserveCapacity(16)
        for _ in 0..<2 {
            var word = rng.next()
            for _ in 0..<8 {
                nonce.append(UInt8(truncatingIfNeeded: word))
                word >>= 8
            }
        }

        let allOffers = extensionOffers + (perMessageDeflate.map { [$0.extensionOffer] } ?? [])
        try Self.check(url: url, origin: origin, subprotocols: subprotocols, extensionOffers: allOffers,
                       headers: headers)
        if perMessageDeflate != nil, let duplicate = extensionOffers.first(where: PerMessageDeflateElement.isPerMessageDeflate) {
            // Two sources for one offer: the answer could not be matched to either.
            throw .invalidExtensionOffer(duplicate.headerValue + " (permessage-deflate is offered through its own option)")
        }
        self.key = Base64.encode(nonce)
        self.url = url
        self.origin = origin
        self.subprotocols = subprotocols
        self.extensionOffers = allOffers
        self.perMessageDeflate = perMessageDeflate
        self.headers = HTTPHeaders(headers)
        self.credentials = credentials ?? url.credentials
    }

    /// The `Sec-WebSocket-Accept` value a server must answer for `key`:
    /// base64(SHA-1(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")).
    public static func acceptValue(forKey key: String) -> String {
        Base64.encode(SHA1.digest(Array((key + acceptGUID).utf8)))
    }

    /// The complete upgrade request, blank line included.
    public func requestBytes() -> [UInt8] {
        var lines = ["GET \(url.resource) HTTP/1.1"]
        lines.append("Host: " + (headers["Host"] ?? url.hostHeader))
        lines.append("Upgrade: websocket")
        lines.append("Connection: Upgrade")
        lines.append("Sec-WebSocket-Key: " + key)
        lines.append("Sec-WebSocket-Version: \(version.rawValue)")
        if let origin, !headers.contains(name: version.originHeaderName) {
            lines.append(version.originHeaderName + ": " + origin)
        }
        if !subprotocols.isEmpty {
            lines.append("Sec-WebSocket-Protocol: " + subprotocols.joined(separator: ", "))
        }
        if !extensionOffers.isEmpty {
            lines.append("Sec-WebSocket-Extensions: " + ExtensionHeader.serialize(extensionOffers))
        }
        if let credentials, !headers.contains(name: "Authorization") {
            lines.append("Authorization: " + credentials.authorizationHeaderValue)
        }
        for (name, value) in headers where !HTTPSyntax.asciiCaseInsensitiveEquals(name, "Host") {
            lines.append(name + ": " + value)
        }
        return Array((lines.joined(separator: "\r\n") + "\r\n\r\n").utf8)
    }

    /// Validates a complete response head. `body` is whatever followed the head (may be empty),
    /// used only to quote the start of an error page when the status is not 101.
    ///
    /// The checks follow RFC 6455 4.1 in order, so the first rule broken is the one reported.
    public func validate(_ head: HTTPResponseHead, body: ArraySlice<UInt8> = []) throws(HandshakeError) -> HandshakeResult {
        let fields = head.headers
        guard head.statusCode == 101 else { throw Self.rejection(of: head, body: body) }
        guard head.version == "HTTP/1.1" else { throw .unsupportedHTTPVersion(head.version) }

        let upgrade = fields.values(for: "Upgrade")
        guard !upgrade.isEmpty else { throw .missingUpgrade }
        guard fields.tokens(for: "Upgrade") == ["websocket"] else {
            throw .unexpectedUpgrade(upgrade.joined(separator: ", "))
        }
        guard fields.tokens(for: "Connection").contains("upgrade") else { throw .missingConnectionUpgrade }

        let accept = fields.values(for: "Sec-WebSocket-Accept")
        guard !accept.isEmpty else { throw .missingAccept }
        let expected = Self.acceptValue(forKey: key)
        guard accept == [expected] else {
            throw .acceptMismatch(expected: expected, got: accept.joined(separator: ", "))
        }

        let selected = fields.listElements(for: "Sec-WebSocket-Protocol")
        let subprotocol: String?
        switch selected.count {
        case 0:
            subprotocol = nil
        case 1:
            guard !subprotocols.isEmpty else { throw .unsolicitedSubprotocol(selected[0]) }
            guard subprotocols.contains(selected[0]) else { throw .unofferedSubprotocol(selected[0]) }
            subprotocol = selected[0]
        default:
            throw .multipleSubprotocols(selected)
        }

        var extensions: [ExtensionOffer] = []
        for value in fields.values(for: "Sec-WebSocket-Extensions") {
            do {
                extensions += try ExtensionHeader.parse(value)
            } catch {
                throw .invalidExtensionHeader(error.message)
            }
        }
        for accepted in extensions where !extensionOffers.contains(where: {
            HTTPSyntax.asciiCaseInsensitiveEquals($0.name, accepted.name)
        }) {
            throw .unofferedExtension(accepted.name)
        }

        var agreed: PerMessageDeflateParameters?
        if let perMessageDeflate {
            do {
                agreed = try perMessageDeflate.negotiate(extensions)
            } catch {
                throw .invalidPerMessageDeflate(error)
            }
        }

        return HandshakeResult(subprotocol: subprotocol, extensions: extensions, headers: fields,
                               perMessageDeflate: agreed)
    }

    /// The error for an answer other than `101`: its status line, `Location`, the headers that
    /// say what to do next, and the start of its body (`excerpt(of:chunked:)`).
    /// `bodyWasCut`: more of the body arrived than `body` holds.
    static func rejection(of head: HTTPResponseHead, body: ArraySlice<UInt8>, bodyWasCut: Bool = false) -> HandshakeError {
        let fields = head.headers
        let chunked = fields.tokens(for: "Transfer-Encoding").contains("chunked")
        let notable = ["Retry-After", "WWW-Authenticate", "Sec-WebSocket-Version"].flatMap { name in
            fields.values(for: name).map { name + ": " + excerpt(of: Array($0.utf8)[...], chunked: false) }
        }
        return .unexpectedStatus(statusLine: head.statusLine, location: fields["Location"],
                                 bodyExcerpt: excerpt(of: body, chunked: chunked, wasCut: bodyWasCut), notableHeaders: notable)
    }

    // MARK: - Checking the user's input

    private static func check(url: WebSocketURL, origin: String?, subprotocols: [String],
                              extensionOffers: [ExtensionOffer], headers: [(String, String)]) throws(HandshakeRequestError) {
        let resource = url.resource
        guard resource.utf8.first == UInt8(ascii: "/"),
              !resource.utf8.contains(where: { $0 <= HTTPSyntax.space || $0 == 0x7F })
        else { throw .invalidResource(resource) }
        guard HTTPSyntax.isValidFieldValue(url.hostHeader) else { throw .invalidHeaderValue(name: "Host") }
        if let origin, !HTTPSyntax.isValidFieldValue(origin) { throw .invalidHeaderValue(name: "Origin") }

        var seen: Set<String> = []
        for subprotocol in subprotocols {
            guard HTTPSyntax.isToken(subprotocol) else { throw .invalidSubprotocol(subprotocol) }
            guard seen.insert(subprotocol).inserted else { throw .duplicateSubprotocol(subprotocol) }
        }
        for offer in extensionOffers where !offer.isWellFormed {
            throw .invalidExtensionOffer(offer.headerValue)
        }

        var hostSeen = false
        for (name, value) in headers {
            guard HTTPSyntax.isToken(name) else { throw .invalidHeaderName(name) }
            guard HTTPSyntax.isValidFieldValue(value) else { throw .invalidHeaderValue(name: name) }
            let lowercased = HTTPSyntax.asciiLowercased(name)
            guard !reservedHeaderNames.contains(lowercased) else { throw .reservedHeader(name) }
            if lowercased == "host" {
                guard !hostSeen else { throw .duplicateHeader(name) }
                hostSeen = true
            }
        }
    }

    // MARK: - Quoting an error page

    /// How much of the body to show, in characters; enough for a JSON error or a sentence.
    static let excerptLength = 200

    /// The start of an error body for a one-line message: line breaks and tabs become spaces, other
    /// control characters (terminal escapes included) are removed, runs of spaces are collapsed, and
    /// the text is cut at `excerptLength` characters with "…". With chunked transfer coding only the
    /// data of the first chunk is quoted, without its size line. `wasCut`: `body` is only the
    /// start of what the server sent, so the excerpt ends in "…" however short it is.
    static func excerpt(of body: ArraySlice<UInt8>, chunked: Bool, wasCut bodyWasCut: Bool = false) -> String {
        var data = body
        if chunked, let chunk = firstChunk(of: body) { data = chunk }
        let bytes = data.prefix(excerptLength * 4)
        let wasCut = bodyWasCut || bytes.count < data.count

        var scalars = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in String(decoding: bytes, as: UTF8.self).unicodeScalars {
            if scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" {
                pendingSpace = !scalars.isEmpty
            } else if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                continue
            } else {
                if pendingSpace { scalars.append(" ") }
                pendingSpace = false
                scalars.append(scalar)
            }
        }
        var text = String(scalars)
        // A multi-byte character cut by the byte limit decodes as U+FFFD; drop it.
        if wasCut { while text.unicodeScalars.last == "\u{FFFD}" { text.unicodeScalars.removeLast() } }
        if text.count > excerptLength {
            return String(text.prefix(excerptLength)) + "…"
        }
        return wasCut && !text.isEmpty ? text + "…" : text
    }

    /// The data of the first chunk of a chunked body (`size [;ext] CRLF data CRLF`, RFC 9112 7.1), as
    /// much of it as has arrived; nil when the body does not start with a chunk-size line.
    private static func firstChunk(of body: ArraySlice<UInt8>) -> ArraySlice<UInt8>? {
        guard let lineEnd = body.firstIndex(of: HTTPSyntax.lf) else { return nil }
        let sizeDigits = body[..<lineEnd].prefix { $0 != UInt8(ascii: ";") && $0 != HTTPSyntax.cr }
        guard !sizeDigits.isEmpty, sizeDigits.count <= 8 else { return nil }
        var size = 0
        for byte in sizeDigits {
            guard let digit = hexValue(byte) else { return nil }
            size = size * 16 + digit
        }
        let data = body[(lineEnd + 1)...]
        return data.prefix(size)
    }

    private static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return Int(byte - UInt8(ascii: "a")) + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return Int(byte - UInt8(ascii: "A")) + 10
        default: return nil
        }
    }
}

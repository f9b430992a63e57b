/// The parameters of one `permessage-deflate` element of a `Sec-WebSocket-Extensions` header, as
/// written, checked for what is the same in an offer and in an answer (RFC 7692 7.1): only the
/// four defined parameters, each at most once, the `no_context_takeover` ones without a value,
/// and window sizes as decimal integers from 8 to 15 without leading zeros.
///
/// What differs between offer and answer (which parameters need a value, which must match the
/// offer) is checked by `PerMessageDeflateOffer` and `PerMessageDeflateServerNegotiation`.
struct PerMessageDeflateElement: Sendable, Equatable {
    /// A window-size parameter: absent, present without a value, or present with one.
    enum WindowBits: Sendable, Equatable {
        case absent
        case withoutValue
        case value(Int)
    }

    static let extensionName = "permessage-deflate"
    static let serverNoContextTakeover = "server_no_context_takeover"
    static let clientNoContextTakeover = "client_no_context_takeover"
    static let serverMaxWindowBits = "server_max_window_bits"
    static let clientMaxWindowBits = "client_max_window_bits"

    /// The window sizes RFC 7692 allows, in bits (a window of 2^bits bytes).
    static let windowBitsRange = 8...15

    var serverNoContextTakeover = false
    var clientNoContextTakeover = false
    var serverMaxWindowBits = WindowBits.absent
    var clientMaxWindowBits = WindowBits.absent

    init() {}

    /// Checks the parameters of `element` (whose name the caller has matched).
    init(parsing element: ExtensionOffer) throws(PerMessageDeflateError) {
        var seen: Set<String> = []
        for (rawName, value) in element.parameters {
            let name = HTTPSyntax.asciiLowercased(rawName)
            switch name {
            case Self.serverNoContextTakeover, Self.clientNoContextTakeover,
                 Self.serverMaxWindowBits, Self.clientMaxWindowBits:
                guard seen.insert(name).inserted else { throw .duplicateParameter(name) }
            default:
                throw .unknownParameter(rawName)
            }
            switch name {
            case Self.serverNoContextTakeover, Self.clientNoContextTakeover:
                if let value { throw .unexpectedValue(parameter: name, value: value) }
                if name == Self.serverNoContextTakeover {
                    serverNoContextTakeover = true
                } else {
                    clientNoContextTakeover = true
                }
            default:
                let bits = try Self.windowBits(value, parameter: name)
                if name == Self.serverMaxWindowBits {
                    serverMaxWindowBits = bits
                } else {
                    clientMaxWindowBits = bits
                }
            }
        }
    }

    /// The element as it goes into a header, parameters in the RFC's order.
    var extensionOffer: ExtensionOffer {
        var parameters: [(String, String?)] = []
        if serverNoContextTakeover { parameters.append((Self.serverNoContextTakeover, nil)) }
        if clientNoContextTakeover { parameters.append((Self.clientNoContextTakeover, nil)) }
        for (name, bits) in [(Self.serverMaxWindowBits, serverMaxWindowBits), (Self.clientMaxWindowBits, clientMaxWindowBits)] {
            switch bits {
            case .absent: break
            case .withoutValue: parameters.append((name, nil))
            case let .value(value): parameters.append((name, String(value)))
            }
        }
        return ExtensionOffer(name: Self.extensionName, parameters: parameters)
    }

    /// Whether `offer` names permessage-deflate (names compare case-insensitively).
    static func isPerMessageDeflate(_ offer: ExtensionOffer) -> Bool {
        HTTPSyntax.asciiCaseInsensitiveEquals(offer.name, extensionName)
    }

    /// `1*DIGIT` without leading zeros, from 8 to 15 (RFC 7692 7.1.2.1, 7.1.2.2).
    private static func windowBits(_ value: String?, parameter: String) throws(PerMessageDeflateError) -> WindowBits {
        guard let value else { return .withoutValue }
        let digits = Array(value.utf8)
        guard !digits.isEmpty, digits.count <= 2, digits.allSatisfy({ (0x30...0x39).contains($0) }),
              digits[0] != 0x30, let bits = Int(value), windowBitsRange.contains(bits)
        else { throw .invalidWindowBits(parameter: parameter, value: value) }
        return .value(bits)
    }
}

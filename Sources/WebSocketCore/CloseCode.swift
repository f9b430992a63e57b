/// Close status codes (RFC 6455 7.4) as named constants.
///
/// The codes are plain `UInt16` values rather than an enum because the application ranges
/// (3000–4999) are open-ended: a peer may send any of them and we must report it unchanged.
public enum CloseCode {
    /// 1000: the purpose for which the connection was established has been fulfilled.
    public static let normalClosure: UInt16 = 1000
    /// 1001: the endpoint is going away (server shutting down, browser leaving the page).
    public static let goingAway: UInt16 = 1001
    /// 1002: the peer broke the protocol.
    public static let protocolError: UInt16 = 1002
    /// 1003: the endpoint received a kind of data it cannot accept.
    public static let unsupportedData: UInt16 = 1003
    /// 1005: reserved; stands for "the close frame carried no status code". Never sent.
    public static let noStatusReceived: UInt16 = 1005
    /// 1006: reserved; stands for "the connection ended without a close frame". Never sent.
    public static let abnormalClosure: UInt16 = 1006
    /// 1007: a message's payload was inconsistent with its type (invalid UTF-8 in text).
    public static let invalidPayload: UInt16 = 1007
    /// 1008: a message violated the endpoint's policy.
    public static let policyViolation: UInt16 = 1008
    /// 1009: a message was too big to process.
    public static let messageTooBig: UInt16 = 1009
    /// 1010: the client expected the server to negotiate an extension it did not.
    public static let mandatoryExtension: UInt16 = 1010
    /// 1011: the server hit an unexpected condition.
    public static let internalError: UInt16 = 1011
    /// 1012: the service is restarting (IANA registry).
    public static let serviceRestart: UInt16 = 1012
    /// 1013: try again later (IANA registry).
    public static let tryAgainLater: UInt16 = 1013
    /// 1014: a gateway or proxy received an invalid response upstream (IANA registry).
    public static let badGateway: UInt16 = 1014
    /// 1015: reserved; stands for "the TLS handshake failed". Never sent.
    public static let tlsHandshakeFailed: UInt16 = 1015

    /// Whether `code` may appear in a close frame on the wire.
    ///
    /// 1000–1003 and 1007–1014 are defined for use in frames; 1004 is reserved, 1005, 1006 and
    /// 1015 are only for reporting locally; 3000–3999 are registered and 4000–4999 private codes.
    /// Everything else (0–999, the unassigned 1016–2999, 5000 and above) is a protocol error.
    /// The same rule decides what we allow ourselves to send.
    public static func isValidReceived(_ code: UInt16) -> Bool {
        switch code {
        case 1000...1003, 1007...1014, 3000...4999: return true
        default: return false
        }
    }

    /// The code's name for a status line ("going away"), for the codes RFC 6455 and the IANA
    /// registry define; nil for others (application codes are reported as numbers).
    public static func name(of code: UInt16) -> String? {
        switch code {
        case 1000: return "normal closure"
        case 1001: return "going away"
        case 1002: return "protocol error"
        case 1003: return "unsupported data"
        case 1007: return "invalid payload data"
        case 1008: return "policy violation"
        case 1009: return "message too big"
        case 1010: return "mandatory extension"
        case 1011: return "internal error"
        case 1012: return "service restart"
        case 1013: return "try again later"
        case 1014: return "bad gateway"
        default: return nil
        }
    }

    /// A close for a status line: "1001 going away", "4000 \"bye\"", "no status code".
    public static func describe(_ code: UInt16?, reason: String) -> String {
        guard let code else { return "no status code" }
        var text = String(code)
        if let name = name(of: code) { text += " " + name }
        if !reason.isEmpty { text += " \"\(reason)\"" }
        return text
    }
}

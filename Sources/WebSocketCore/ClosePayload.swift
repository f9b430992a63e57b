/// The payload of a close frame (RFC 6455 5.5.1): empty, or a 2-byte status code followed by a
/// UTF-8 reason.
///
/// Parsing enforces the receiving rules (a 1-byte payload and codes not allowed on the wire are
/// 1002, a reason that is not UTF-8 is 1007); encoding is what `close(code:reason:)` and the
/// automatic replies send.
public struct ClosePayload: Sendable, Equatable {
    /// `nil` for an empty payload, reported as 1005 (no status received).
    public var code: UInt16?
    public var reason: String

    /// A control frame carries at most 125 bytes, two of which are the code.
    public static let maxReasonLength = 123

    public init(code: UInt16?, reason: String = "") {
        self.code = code
        self.reason = reason
    }

    /// Parses and validates a received close payload.
    public init(parsing payload: [UInt8]) throws(ProtocolViolation) {
        switch payload.count {
        case 0:
            code = nil
            reason = ""
        case 1:
            throw .closePayloadTooShort
        default:
            let code = UInt16(payload[0]) << 8 | UInt16(payload[1])
            guard CloseCode.isValidReceived(code) else {
                throw .invalidCloseCode(code)
            }
            let reasonBytes = payload[2...]
            let valid = reasonBytes.withUnsafeBytes { UTF8Validator.isValid($0) }
            guard valid else {
                throw .invalidUTF8InCloseReason
            }
            self.code = code
            self.reason = String(decoding: reasonBytes, as: UTF8.self)
        }
    }

    /// The payload bytes: nothing without a code, otherwise the code big-endian and the reason.
    /// A reason is only sent with a code (there is no way to encode it alone).
    public var bytes: [UInt8] {
        guard let code else { return [] }
        var bytes: [UInt8] = [UInt8(truncatingIfNeeded: code >> 8), UInt8(truncatingIfNeeded: code)]
        bytes.append(contentsOf: reason.utf8)
        return bytes
    }
}

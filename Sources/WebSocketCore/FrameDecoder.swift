/// Parses frames from a byte stream: an explicit state machine over the header fields (after
/// SwiftNIO's `WebSocketFrameDecoder`), validating each field as soon as it is complete.
///
/// The decoder does not buffer payloads. Once a header is complete it hands out the payload as
/// slices of the caller's input, as they arrive, still masked. That is what lets
/// - an unfragmented frame travel from the transport's read buffer into the event's `[UInt8]`
///   in one copy (unmasking on the way),
/// - a text payload be UTF-8-validated while its frame is still arriving (Autobahn 6.4.3/6.4.4
///   expect the connection to fail at the first bad byte, not at the end of the frame),
/// - the size limits be enforced before a single payload byte is kept.
/// The only bytes it keeps between calls are those of a header field split across reads (at
/// most 7, held in an integer), so there is no receive buffer to compact.
///
/// Every violation is thrown as a `ProtocolViolation` carrying its close code; after one, the
/// decoder produces nothing more.
public struct FrameDecoder: Sendable {
    /// One step of decoding. The payload slice points into the `input` passed to
    /// `next(from:index:)` and is valid only until that buffer is released.
    public enum Part {
        /// A complete, validated header. Its payload follows as one or more `.payload` parts
        /// (exactly one, empty, when the payload length is 0).
        case header(FrameHeader)
        /// The next piece of the current frame's payload, still masked if the header has a key.
        /// `offset` is the position of its first byte within the payload (the masking phase);
        /// `isLast` is set on the piece that completes the payload.
        case payload(UnsafeRawBufferPointer, offset: Int, isLast: Bool)
    }

    /// The first two header bytes, validated, kept while the rest of the header arrives.
    private struct FixedFields: Sendable {
        var fin: Bool
        var rsv1: Bool
        var opcode: Opcode
        var masked: Bool
    }

    private enum State: Sendable {
        /// Waiting for the two fixed header bytes (FIN, RSV, opcode, MASK, 7-bit length).
        case fixedHeader
        /// Waiting for a 16-bit (`byteCount` 2) or 64-bit (`byteCount` 8) extended length.
        case extendedLength(FixedFields, byteCount: Int)
        /// Waiting for the 4-byte masking key.
        case maskingKey(FixedFields, length: Int)
        /// The header was reported; `remaining` payload bytes follow, starting at `offset`.
        case payload(remaining: Int, offset: Int)
        /// A violation was thrown; input is no longer looked at.
        case failed
    }

    public let role: Role
    public let maxFrameSize: Int
    public let allowsRSV1: Bool

    private var state: State = .fixedHeader
    /// Bytes of the field being read when it straddles two inputs, accumulated big-endian.
    private var partialField: UInt64 = 0
    private var partialFieldCount = 0

    public init(role: Role, maxFrameSize: Int = WebSocketConfiguration.defaultMaxFrameSize, allowsRSV1: Bool = false) {
        self.role = role
        self.maxFrameSize = maxFrameSize
        self.allowsRSV1 = allowsRSV1
    }

    public init(role: Role, configuration: WebSocketConfiguration) {
        self.init(role: role, maxFrameSize: configuration.maxFrameSize, allowsRSV1: configuration.allowsRSV1)
    }

    /// Whether the decoder is between frames (nothing of a next frame has been seen).
    public var isAtFrameBoundary: Bool {
        switch state {
        case .fixedHeader: return partialFieldCount == 0
        case .extendedLength, .maskingKey, .payload, .failed: return false
        }
    }

    /// Decodes the next part from `input`, starting at `index` and advancing it past what was
    /// consumed. Returns `nil` when `input` is exhausted before another part is complete; call
    /// again with the next input (from index 0). Bytes of a partially received header field are
    /// remembered, so input may be split anywhere.
    public mutating func next(from input: UnsafeRawBufferPointer, index: inout Int) throws(ProtocolViolation) -> Part? {
        do throws(ProtocolViolation) {
            return try step(input, &index)
        } catch {
            state = .failed
            throw error
        }
    }

    private mutating func step(_ input: UnsafeRawBufferPointer, _ index: inout Int) throws(ProtocolViolation) -> Part? {
        while true {
            switch state {
            case .fixedHeader:
                guard let value = readField(byteCount: 2, input, &index) else { return nil }
                let first = UInt8(truncatingIfNeeded: value >> 8)
                let second = UInt8(truncatingIfNeeded: value)
                let fields = try validateFixedFields(first, second)
                switch second & 0x7F {
                case 126:
                    state = .extendedLength(fields, byteCount: 2)
                case 127:
                    state = .extendedLength(fields, byteCount: 8)
                case let length:
                    if let header = try lengthComplete(fields, length: UInt64(length)) { return .header(header) }
                }

            case .extendedLength(let fields, let byteCount):
                guard let length = readField(byteCount: byteCount, input, &index) else { return nil }
                if byteCount == 8 && length >> 63 != 0 {
                    throw .lengthMostSignificantBitSet
                }
                // 5.2: "the minimal number of bytes MUST be used to encode the length".
                if (byteCount == 2 && length <= 125) || (byteCount == 8 && length <= 0xFFFF) {
                    throw .nonMinimalLength(length)
                }
                if let header = try lengthComplete(fields, length: length) { return .header(header) }

            case .maskingKey(let fields, let length):
                guard let key = readField(byteCount: 4, input, &index) else { return nil }
                state = .payload(remaining: length, offset: 0)
                return .header(FrameHeader(
                    fin: fields.fin, rsv1: fields.rsv1, opcode: fields.opcode,
                    maskingKey: MaskingKey(bigEndianValue: UInt32(truncatingIfNeeded: key)),
                    payloadLength: length
                ))

            case .payload(let remaining, let offset):
                let available = input.count - index
                if remaining == 0 {
                    // An empty payload is still reported, so every header has its last piece.
                    state = .fixedHeader
                    return .payload(UnsafeRawBufferPointer(start: nil, count: 0), offset: offset, isLast: true)
                }
                guard available > 0 else { return nil }
                let taken = min(remaining, available)
                let chunk = UnsafeRawBufferPointer(rebasing: input[index..<(index + taken)])
                index += taken
                let isLast = taken == remaining
                state = isLast ? .fixedHeader : .payload(remaining: remaining - taken, offset: offset + taken)
                return .payload(chunk, offset: offset, isLast: isLast)

            case .failed:
                return nil
            }
        }
    }

    /// Checks everything the first two bytes can tell: reserved bits, opcode, control-frame
    /// rules (including the 7-bit length, since 126 and 127 already mean "more than 125") and
    /// the masking direction.
    private func validateFixedFields(_ first: UInt8, _ second: UInt8) throws(ProtocolViolation) -> FixedFields {
        let reserved = first & 0x70
        let forbidden = allowsRSV1 ? reserved & 0x30 : reserved
        if forbidden != 0 {
            throw .reservedBitsSet(forbidden)
        }
        guard let opcode = Opcode(rawValue: first & 0x0F) else {
            throw .unknownOpcode(first & 0x0F)
        }
        let fin = first & 0x80 != 0
        let rsv1 = first & 0x40 != 0
        if rsv1 && (opcode.isControl || opcode == .continuation) {
            throw .compressedBitOnNonInitialFrame(opcode)
        }
        if opcode.isControl {
            if !fin { throw .fragmentedControlFrame(opcode) }
            if second & 0x7F > 125 { throw .controlFrameTooLong(opcode) }
        }
        let masked = second & 0x80 != 0
        switch role {
        case .client:
            if masked { throw .maskedFrameFromServer }
        case .server:
            if !masked { throw .unmaskedFrameFromClient }
        }
        return FixedFields(fin: fin, rsv1: rsv1, opcode: opcode, masked: masked)
    }

    /// The payload length is known: enforce the frame limit, then either wait for the masking
    /// key or report the header.
    private mutating func lengthComplete(_ fields: FixedFields, length: UInt64) throws(ProtocolViolation) -> FrameHeader? {
        // Checked here, before any payload is accepted, so a hostile length costs nothing.
        guard length <= UInt64(maxFrameSize) else {
            throw .frameTooLarge(length: length, limit: maxFrameSize)
        }
        let length = Int(length)
        if fields.masked {
            state = .maskingKey(fields, length: length)
            return nil
        }
        state = .payload(remaining: length, offset: 0)
        return FrameHeader(fin: fields.fin, rsv1: fields.rsv1, opcode: fields.opcode, maskingKey: nil, payloadLength: length)
    }

    /// Reads a big-endian field of 2, 4 or 8 bytes. In the common case the whole field is in
    /// `input` and is loaded directly; otherwise its bytes are collected across calls.
    private mutating func readField(byteCount: Int, _ input: UnsafeRawBufferPointer, _ index: inout Int) -> UInt64? {
        if partialFieldCount == 0 && input.count - index >= byteCount {
            let value: UInt64
            switch byteCount {
            case 2: value = UInt64(UInt16(bigEndian: input.loadUnaligned(fromByteOffset: index, as: UInt16.self)))
            case 4: value = UInt64(UInt32(bigEndian: input.loadUnaligned(fromByteOffset: index, as: UInt32.self)))
            default: value = UInt64(bigEndian: input.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            }
            index += byteCount
            return value
        }
        while partialFieldCount < byteCount && index < input.count {
            partialField = partialField << 8 | UInt64(input[index])
            partialFieldCount += 1
            index += 1
        }
        guard partialFieldCount == byteCount else { return nil }
        let value = partialField
        partialField = 0
        partialFieldCount = 0
        return value
    }
}

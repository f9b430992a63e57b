/// The fields of a frame header (RFC 6455 5.2), parsed and validated.
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-------+-+-------------+-------------------------------+
/// |F|R|R|R| opcode|M| Payload len |    Extended payload length    |
/// |I|S|S|S|  (4)  |A|     (7)     |             (16/64)           |
/// |N|V|V|V|       |S|             |   (if payload len==126/127)   |
/// | |1|2|3|       |K|             |                               |
/// +-+-+-+-+-------+-+-------------+ - - - - - - - - - - - - - - - +
/// |     Extended payload length continued, if payload len == 127  |
/// + - - - - - - - - - - - - - - - +-------------------------------+
/// |                               |Masking-key, if MASK set to 1  |
/// +-------------------------------+-------------------------------+
/// ```
///
/// RSV2 and RSV3 have no field: no extension we support defines them, so the decoder rejects
/// them and the encoder never sets them.
public struct FrameHeader: Sendable, Equatable {
    /// FIN: this is the last frame of its message.
    public var fin: Bool
    /// RSV1: with permessage-deflate, the message is compressed (first frame only).
    public var rsv1: Bool
    public var opcode: Opcode
    /// Present exactly when the MASK bit is set.
    public var maskingKey: MaskingKey?
    /// The payload length. An `Int` because the decoder has already rejected lengths above
    /// `Int64.max` (most significant bit set) and above the configured frame limit.
    public var payloadLength: Int

    public init(fin: Bool = true, rsv1: Bool = false, opcode: Opcode, maskingKey: MaskingKey? = nil, payloadLength: Int) {
        precondition(payloadLength >= 0, "negative payload length")
        self.fin = fin
        self.rsv1 = rsv1
        self.opcode = opcode
        self.maskingKey = maskingKey
        self.payloadLength = payloadLength
    }

    /// Header bytes on the wire: 2, plus 2 or 8 for an extended length, plus 4 for a key.
    public var encodedLength: Int {
        let lengthBytes: Int
        if payloadLength <= 125 {
            lengthBytes = 0
        } else if payloadLength <= 0xFFFF {
            lengthBytes = 2
        } else {
            lengthBytes = 8
        }
        return 2 + lengthBytes + (maskingKey == nil ? 0 : 4)
    }

    /// Appends the header in its minimal encoding (RFC 6455 5.2 requires the shortest length
    /// form) to `buffer`, byte by byte so no temporary array is created.
    public func append(to buffer: inout [UInt8]) {
        var first = opcode.rawValue
        if fin { first |= 0x80 }
        if rsv1 { first |= 0x40 }
        buffer.append(first)
        let maskBit: UInt8 = maskingKey == nil ? 0 : 0x80
        if payloadLength <= 125 {
            buffer.append(maskBit | UInt8(payloadLength))
        } else if payloadLength <= 0xFFFF {
            buffer.append(maskBit | 126)
            buffer.append(UInt8(truncatingIfNeeded: payloadLength >> 8))
            buffer.append(UInt8(truncatingIfNeeded: payloadLength))
        } else {
            buffer.append(maskBit | 127)
            let length = UInt64(payloadLength)
            var shift: UInt64 = 56
            while true {
                buffer.append(UInt8(truncatingIfNeeded: length >> shift))
                if shift == 0 { break }
                shift -= 8
            }
        }
        if let key = maskingKey {
            buffer.append(key.byte(0))
            buffer.append(key.byte(1))
            buffer.append(key.byte(2))
            buffer.append(key.byte(3))
        }
    }
}

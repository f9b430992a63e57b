/// Writes frames (RFC 6455 5.2) into a caller's buffer.
///
/// The caller owns one growing `[UInt8]` (the connection's outgoing buffer) and the encoder
/// appends header and payload to it directly, masking in place, so encoding a frame allocates
/// nothing of its own and many frames can leave in one `write`.
public enum FrameEncoder {
    /// Appends one frame to `buffer`.
    ///
    /// - Parameters:
    ///   - opcode: the frame type. Control frames must have `fin` set and at most 125 bytes.
    ///   - payload: the unmasked payload.
    ///   - fin: whether this is the last frame of its message.
    ///   - rsv1: the permessage-deflate "compressed" bit (first frame of a data message only).
    ///   - maskKey: the key to mask with; a client passes a fresh key for every frame (5.3),
    ///     a server passes `nil`.
    ///   - buffer: the buffer to append to.
    public static func encode(
        opcode: Opcode,
        payload: UnsafeRawBufferPointer,
        fin: Bool = true,
        rsv1: Bool = false,
        maskKey: MaskingKey?,
        into buffer: inout [UInt8]
    ) {
        precondition(
            !opcode.isControl || (fin && payload.count <= 125),
            "control frames must be unfragmented and at most 125 bytes"
        )
        let header = FrameHeader(fin: fin, rsv1: rsv1, opcode: opcode, maskingKey: maskKey, payloadLength: payload.count)
        header.append(to: &buffer)
        guard payload.count > 0 else { return }
        let payloadStart = buffer.count
        buffer.append(contentsOf: payload)
        if let key = maskKey {
            buffer.withUnsafeMutableBytes { bytes in
                key.apply(to: UnsafeMutableRawBufferPointer(rebasing: bytes[payloadStart...]))
            }
        }
    }

    /// Convenience for payloads held in an array.
    public static func encode(
        opcode: Opcode,
        payload: [UInt8],
        fin: Bool = true,
        rsv1: Bool = false,
        maskKey: MaskingKey?,
        into buffer: inout [UInt8]
    ) {
        payload.withUnsafeBytes { bytes in
            encode(opcode: opcode, payload: bytes, fin: fin, rsv1: rsv1, maskKey: maskKey, into: &buffer)
        }
    }
}

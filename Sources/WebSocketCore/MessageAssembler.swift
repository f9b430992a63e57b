/// Turns decoded frame parts into messages: joins fragments (RFC 6455 5.4), lets control frames
/// interleave between them, unmasks payloads, validates text as it arrives and enforces the
/// message size limit.
///
/// Fed by `FrameDecoder`: `begin(_:)` for each header, `append(_:offset:isLast:)` for each payload
/// piece. A message is returned from the `append` call that completes it.
public struct MessageAssembler: Sendable {
    /// A complete message or control frame. Data payloads are unmasked; control payloads are
    /// returned raw (the close payload is interpreted by `ClosePayload`).
    public enum Message: Sendable, Equatable {
        /// A text message, UTF-8-validated unless `compressed`.
        case text([UInt8], compressed: Bool)
        /// A binary message.
        case binary([UInt8], compressed: Bool)
        case ping([UInt8])
        case pong([UInt8])
        case close([UInt8])
    }

    private enum DataKind: Sendable {
        case text
        case binary
    }

    /// The data message being received: from its first frame's header until its final frame's
    /// last payload byte. Outlives interleaved control frames.
    private struct OpenMessage: Sendable {
        var kind: DataKind
        /// RSV1 on the first frame (permessage-deflate): the bytes are deflated, so they are
        /// not UTF-8 and cannot be validated here.
        var compressed: Bool
        /// Payload bytes announced so far by the message's frame headers.
        var announcedSize: Int
        var validatesUTF8: Bool { kind == .text && !compressed }
    }

    /// The frame whose payload is arriving.
    private enum CurrentFrame: Sendable {
        /// Between frames: only `begin(_:)` is valid.
        case none
        case control(Opcode, MaskingKey?)
        /// A frame of `message`; `fin` says whether it completes the message.
        case data(MaskingKey?, fin: Bool)
    }

    public let maxMessageSize: Int

    private var message: OpenMessage?
    private var frame: CurrentFrame = .none
    /// Payload of `message` so far (unmasked). Handed to the caller when the message completes,
    /// so it is never copied again; the next message starts a new array.
    private var messageBuffer: [UInt8] = []
    /// The array handed out for the last small single-piece message. Kept so that, once the
    /// caller has dropped that message, its storage is uniquely referenced again and the next
    /// message is copied into it: no allocation per message on the receive path.
    private var reusable: [UInt8] = []
    /// Payload of a control frame that arrives in pieces.
    private var controlBuffer: [UInt8] = []
    private var validator = UTF8Validator()

    public init(maxMessageSize: Int = WebSocketConfiguration.defaultMaxMessageSize) {
        self.maxMessageSize = maxMessageSize
    }

    /// Whether a data message has been started (its first header seen) and not completed.
    public var isReceivingMessage: Bool { message != nil }

    /// Starts a frame. Enforces the fragmentation rules and the message size limit from the
    /// header alone, so an oversized message is refused before its payload is kept.
    public mutating func begin(_ header: FrameHeader) throws(ProtocolViolation) {
        switch frame {
        case .none: break
        case .control, .data: preconditionFailure("MessageAssembler.begin(_:) before the previous frame's last payload piece")
        }
        switch header.opcode {
        case .close, .ping, .pong:
            frame = .control(header.opcode, header.maskingKey)
        case .text, .binary:
            if message != nil {
                throw .newMessageDuringFragmentedMessage(header.opcode)
            }
            guard header.payloadLength <= Self.wireSizeLimit(maxMessageSize, compressed: header.rsv1) else {
                throw .messageTooLarge(limit: maxMessageSize)
            }
            message = OpenMessage(
                kind: header.opcode == .text ? .text : .binary,
                compressed: header.rsv1,
                announcedSize: header.payloadLength
            )
            validator.reset()
            frame = .data(header.maskingKey, fin: header.fin)
        case .continuation:
            guard var open = message else {
                throw .continuationWithoutMessage
            }
            guard header.payloadLength <= Self.wireSizeLimit(maxMessageSize, compressed: open.compressed) - open.announcedSize else {
                throw .messageTooLarge(limit: maxMessageSize)
            }
            open.announcedSize += header.payloadLength
            message = open
            frame = .data(header.maskingKey, fin: header.fin)
        }
    }

    /// Adds the next piece of the current frame's payload (still masked, as the decoder hands
    /// it out). Returns the message or control frame this piece completes, if any.
    ///
    /// Text is validated piece by piece, so invalid UTF-8 fails (1007) at the piece containing
    /// the first bad byte, even in the middle of a frame.
    public mutating func append(
        _ chunk: UnsafeRawBufferPointer,
        offset: Int,
        isLast: Bool
    ) throws(ProtocolViolation) -> Message? {
        switch frame {
        case .none:
            preconditionFailure("MessageAssembler.append(_:offset:isLast:) without a frame header")

        case .control(let opcode, let key):
            let payload: [UInt8]
            if offset == 0 && isLast {
                payload = Self.unmaskedArray(chunk, key: key)
            } else {
                Self.appendUnmasked(chunk, key: key, phase: offset, to: &controlBuffer)
                guard isLast else { return nil }
                payload = controlBuffer
                controlBuffer = []
            }
            frame = .none
            switch opcode {
            case .ping: return .ping(payload)
            case .pong: return .pong(payload)
            case .close: return .close(payload)
            case .continuation, .text, .binary: preconditionFailure("data opcode in a control frame")
            }

        case .data(let key, let fin):
            guard let open = message else {
                preconditionFailure("data frame without an open message")
            }
            if offset == 0 && isLast && fin && messageBuffer.isEmpty {
                // The whole message is this one piece: the common case on the hot path.
                let payload = singlePiecePayload(chunk, key: key)
                if open.validatesUTF8 {
                    let valid = payload.withUnsafeBytes { validator.feed($0) } && validator.isAtCharacterBoundary
                    guard valid else { throw .invalidUTF8InText }
                }
                frame = .none
                message = nil
                return Self.complete(open, payload)
            }

            let start = messageBuffer.count
            if start == 0 {
                // Reserve for what the headers announced, but do not trust a large announcement
                // with memory before the bytes arrive.
                messageBuffer.reserveCapacity(min(open.announcedSize, 1 << 20))
            }
            messageBuffer.append(contentsOf: chunk)
            if key != nil || open.validatesUTF8 {
                let valid = messageBuffer.withUnsafeMutableBytes { bytes -> Bool in
                    let piece = UnsafeMutableRawBufferPointer(rebasing: bytes[start...])
                    key?.apply(to: piece, phase: offset)
                    return !open.validatesUTF8 || validator.feed(UnsafeRawBufferPointer(piece))
                }
                guard valid else { throw .invalidUTF8InText }
            }
            guard isLast else { return nil }
            frame = .none
            guard fin else { return nil }
            if open.validatesUTF8 && !validator.isAtCharacterBoundary {
                // The message ends inside a multi-byte sequence.
                throw .invalidUTF8InText
            }
            let payload = messageBuffer
            messageBuffer = []
            message = nil
            return Self.complete(open, payload)
        }
    }

    /// The most bytes a compressed message may take on the wire when it must inflate to at most
    /// `limit`: DEFLATE can make incompressible data slightly larger (zlib's stored blocks add
    /// 5 bytes per 64 KiB; this allows 1 byte per 4 KiB plus 64), and such a message must not
    /// be refused for it. The inflated size is checked against `limit` itself.
    public static func compressedSizeLimit(for limit: Int) -> Int {
        let (sum, overflow) = limit.addingReportingOverflow(limit / 4096 + 64)
        return overflow ? Int.max : sum
    }

    private static func wireSizeLimit(_ limit: Int, compressed: Bool) -> Int {
        compressed ? compressedSizeLimit(for: limit) : limit
    }

    private static func complete(_ message: OpenMessage, _ payload: [UInt8]) -> Message {
        switch message.kind {
        case .text: return .text(payload, compressed: message.compressed)
        case .binary: return .binary(payload, compressed: message.compressed)
        }
    }

    /// Messages up to this size reuse one array (see `reusable`); a larger one gets its own,
    /// so one big message does not leave its memory behind.
    static let reuseLimit = 64 * 1024

    /// `chunk` unmasked, in the reusable array when it is small enough.
    private mutating func singlePiecePayload(_ chunk: UnsafeRawBufferPointer, key: MaskingKey?) -> [UInt8] {
        guard chunk.count <= Self.reuseLimit else { return Self.unmaskedArray(chunk, key: key) }
        // Allocates only while the previous message is still held (copy-on-write).
        reusable.removeAll(keepingCapacity: true)
        Self.appendUnmasked(chunk, key: key, phase: 0, to: &reusable)
        return reusable
    }

    /// A new array holding `chunk` unmasked, written in one pass (a plain memory copy when
    /// there is no key) without going through the generic `Sequence` initialiser.
    private static func unmaskedArray(_ chunk: UnsafeRawBufferPointer, key: MaskingKey?) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: chunk.count) { buffer, initialized in
            let destination = UnsafeMutableRawBufferPointer(buffer)
            if let key {
                key.copy(from: chunk, to: destination, phase: 0)
            } else if chunk.count > 0 {
                destination.copyMemory(from: chunk)
            }
            initialized = chunk.count
        }
    }

    private static func appendUnmasked(_ chunk: UnsafeRawBufferPointer, key: MaskingKey?, phase: Int, to buffer: inout [UInt8]) {
        let start = buffer.count
        buffer.append(contentsOf: chunk)
        guard let key else { return }
        buffer.withUnsafeMutableBytes { bytes in
            key.apply(to: UnsafeMutableRawBufferPointer(rebasing: bytes[start...]), phase: phase)
        }
    }
}

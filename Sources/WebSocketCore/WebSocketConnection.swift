/// The WebSocket protocol for one connection, without I/O (after python-websockets' `protocol.py`,
/// h11 and wsproto): the transport feeds it received bytes and drains the bytes it wants to send.
///
/// It never blocks, reads a clock or touches a file descriptor, so every RFC 6455 rule can be
/// tested with exact bytes, and the same object serves the client and the listen mode (`Role`).
///
/// Lifecycle, one enum, every transition checked:
/// ```
/// connecting ──handshakeCompleted()──▶ open ──close()──▶ closing ──peer's close──▶ closed
///                                       │                   │
///                                       ├── peer's close (echo queued) ─────────────▶ closed
///                                       ├── protocol violation (close queued) ──────▶ closed
///                                       └── end of stream (1006) ───────────────────▶ closed
/// ```
/// (`closing` also goes to `closed` on a violation or end of stream.)
///
/// permessage-deflate (RFC 7692), when the handshake negotiated it, is applied here: outgoing
/// text and binary messages of at least `configuration.compressionThreshold` bytes are deflated
/// and sent with RSV1, received messages with RSV1 are inflated (their size limit applies to the
/// inflated bytes) before text is validated. Control frames are never compressed.
///
/// Misuse by the transport is a programming error and stops with a precondition failure:
/// `handshakeCompleted()` outside `.connecting`, `receive` before the handshake completed, and
/// `consumeOutgoing` beyond what is pending. Refusals the application can cause (sending in the
/// wrong state, oversized control payloads, invalid close codes) are `SendError`s instead.
public struct WebSocketConnection: Sendable {
    public enum State: Sendable, Equatable, CustomStringConvertible {
        /// The opening handshake is in progress; no frames may be sent or received.
        case connecting
        /// Frames flow both ways.
        case open
        /// We sent a close frame and wait for the peer's. Received messages are still
        /// delivered; we send nothing more.
        case closing
        /// The close handshake finished, the connection failed, or the stream ended. Input is
        /// ignored; what is queued should still be written before closing the transport.
        case closed

        public var description: String {
            switch self {
            case .connecting: return "connecting"
            case .open: return "open"
            case .closing: return "closing"
            case .closed: return "closed"
            }
        }
    }

    public let role: Role
    public let configuration: WebSocketConfiguration
    public private(set) var state: State = .connecting

    private var decoder: FrameDecoder
    private var assembler: MessageAssembler
    /// The permessage-deflate state, when negotiated.
    private var deflate: PerMessageDeflateCodec?

    /// The permessage-deflate parameters the handshake agreed on; nil when it is not in use.
    public var perMessageDeflate: PerMessageDeflateParameters? { deflate?.parameters }

    /// Encoded frames waiting to be written, from `outgoingStart` on. One array for all frames
    /// so the transport writes many frames with one call; the consumed prefix is dropped only
    /// once it is more than half the array, so partial writes cost no copying per write.
    private var outgoing: [UInt8] = []
    private var outgoingStart = 0
    /// Where the last automatic pong lies in `outgoing` while none of its bytes has been
    /// written. Once more than `configuration.pongCoalescingThreshold` bytes wait, a newer ping
    /// replaces it instead of queueing another (RFC 6455 5.5.3 allows answering only the most
    /// recent ping), so a peer that floods pings and never reads costs bounded memory.
    private var unsentPong: Range<Int>?

    /// Source of masking keys (client role only). RFC 6455 10.3 requires keys an application
    /// cannot predict, hence a CSPRNG by default; tests inject a fixed generator.
    private var keyGenerator: any RandomNumberGenerator & Sendable
    /// Each 64-bit draw from `keyGenerator` yields two keys; this is the unused second one.
    /// Halves the number of generator draws when sending many small frames.
    private var spareKey: MaskingKey?

    /// A connection in `.connecting`, masking keys from `BufferedSecureRandom` (a CSPRNG).
    public init(role: Role, configuration: WebSocketConfiguration = .init()) {
        self.init(role: role, configuration: configuration, maskingKeyGenerator: BufferedSecureRandom())
    }

    /// A connection drawing masking keys from `maskingKeyGenerator`: each `next()` provides two
    /// keys, first its low 32 bits, then its high 32 bits (each read most significant byte
    /// first). For tests that need exact bytes; production code uses the other initialiser.
    public init(
        role: Role,
        configuration: WebSocketConfiguration = .init(),
        maskingKeyGenerator: some RandomNumberGenerator & Sendable
    ) {
        self.role = role
        self.configuration = configuration
        self.decoder = FrameDecoder(role: role, configuration: configuration)
        self.assembler = MessageAssembler(maxMessageSize: configuration.maxMessageSize)
        self.keyGenerator = maskingKeyGenerator
    }

    // MARK: - Lifecycle

    /// The opening handshake succeeded without extensions: `.connecting` → `.open`. Calling it
    /// in any other state is a programming error in the transport (precondition failure): there
    /// is no sensible recovery from a handshake completing twice.
    public mutating func handshakeCompleted() {
        handshakeCompleted(perMessageDeflate: nil)
    }

    /// The opening handshake succeeded and agreed on permessage-deflate with `perMessageDeflate`
    /// (nil: not negotiated): `.connecting` → `.open`. From now on RSV1 marks compressed
    /// messages both ways.
    public mutating func handshakeCompleted(perMessageDeflate: PerMessageDeflateParameters?) {
        switch state {
        case .connecting:
            state = .open
        case .open, .closing, .closed:
            preconditionFailure("handshakeCompleted() in state \(state)")
        }
        if let perMessageDeflate {
            deflate = PerMessageDeflateCodec(parameters: perMessageDeflate, role: role)
            // Nothing has been received yet, so the decoder can be replaced.
            decoder = FrameDecoder(role: role, maxFrameSize: configuration.maxFrameSize, allowsRSV1: true)
        }
    }

    /// What the transport does with the stream now (RFC 6455 7.1.1): keep it while the connection
    /// is open or bytes are still queued; once everything is written, the server closes it at once
    /// after a close handshake, the client waits for the server to, and either role closes it at
    /// once after a failure or the peer's end of stream.
    public var closeOrder: CloseOrder {
        guard state == .closed, pendingOutgoingCount == 0 else { return .keepOpen }
        switch (closedBy, role) {
        case (.closeHandshake, .client): return .waitForPeerToClose(timeout: configuration.peerCloseTimeout)
        case (.closeHandshake, .server), (.failure, _), (.endOfStream, _): return .closeNow
        }
    }

    /// How the connection reached `.closed`, which decides who closes the stream.
    private enum ClosedBy {
        /// Both close frames were exchanged.
        case closeHandshake
        /// A protocol violation failed the connection (7.1.7).
        case failure
        /// The peer ended the stream.
        case endOfStream
    }
    /// Meaningful in `.closed` only.
    private var closedBy = ClosedBy.closeHandshake

    // MARK: - Receiving

    /// Processes bytes read from the transport, appending what they complete to `events`.
    ///
    /// Bytes may be split anywhere: partial headers and payloads are carried over to the next
    /// call. In `.closed` input is ignored (after a violation the rest of the stream is
    /// untrusted; after the close handshake the peer must not send anything).
    public mutating func receive(_ bytes: UnsafeRawBufferPointer, into events: inout [WebSocketEvent]) {
        _ = receive(bytes, into: &events, stoppingAfterEvent: false)
    }

    /// Processes bytes read from the transport like `receive(_:into:)`, but with
    /// `stoppingAfterEvent` returns as soon as a message or control frame has produced its
    /// event, so the application can act on it (send a reply, echo it) before the rest of the
    /// input is looked at. Returns how many bytes were consumed; pass the rest in the next call.
    ///
    /// Without it, a peer's message followed in the same read by a protocol violation would be
    /// reported together with the violation, whose close frame is already queued: a reply to
    /// the message could no longer be sent, although the message arrived first (Autobahn cases
    /// 3.2–3.4, 4.1.3–4.2.5 and 5.15 count that as non-strict). When the input is used up, ends
    /// in a violation, or the connection is closed, every byte counts as consumed.
    public mutating func receive(
        _ bytes: UnsafeRawBufferPointer,
        into events: inout [WebSocketEvent],
        stoppingAfterEvent: Bool
    ) -> Int {
        switch state {
        case .connecting:
            preconditionFailure("receive(_:into:) before handshakeCompleted()")
        case .closed:
            return bytes.count
        case .open, .closing:
            break
        }
        var index = 0
        do throws(ProtocolViolation) {
            while let part = try decoder.next(from: bytes, index: &index) {
                switch part {
                case .header(let header):
                    try assembler.begin(header)
                case .payload(let chunk, let offset, let isLast):
                    guard let message = try assembler.append(chunk, offset: offset, isLast: isLast) else { continue }
                    try handle(message, into: &events)
                    if state == .closed { return bytes.count }
                    if stoppingAfterEvent && index < bytes.count { return index }
                }
            }
        } catch {
            fail(error, into: &events)
        }
        return bytes.count
    }

    /// Convenience for bytes held in an array.
    public mutating func receive(_ bytes: [UInt8], into events: inout [WebSocketEvent]) {
        bytes.withUnsafeBytes { receive($0, into: &events) }
    }

    /// The transport reached end of stream. Unless the close handshake had already finished
    /// (`.closed`), the connection closed abnormally (1006).
    public mutating func receiveEndOfStream(into events: inout [WebSocketEvent]) {
        switch state {
        case .connecting, .open, .closing:
            state = .closed
            closedBy = .endOfStream
            events.append(.abnormalClosure)
        case .closed:
            // The server ended the stream the client was waiting on (7.1.1): nothing to wait for.
            closedBy = .endOfStream
        }
    }

    private mutating func handle(_ message: MessageAssembler.Message, into events: inout [WebSocketEvent]) throws(ProtocolViolation) {
        switch message {
        case .text(let payload, let compressed):
            guard compressed, let deflate else {
                events.append(.text(payload))
                return
            }
            let text = try deflate.decompress(payload, limit: configuration.maxMessageSize)
            guard text.withUnsafeBytes(UTF8Validator.isValid) else { throw .invalidUTF8InText }
            events.append(.text(text))
        case .binary(let payload, let compressed):
            guard compressed, let deflate else {
                events.append(.binary(payload))
                return
            }
            events.append(.binary(try deflate.decompress(payload, limit: configuration.maxMessageSize)))
        case .ping(let payload):
            // 5.5.2: answer with the same payload. Not after our close frame, which must be the
            // last frame we send.
            if state == .open {
                queueAutomaticPong(payload)
            }
            events.append(.ping(payload))
        case .pong(let payload):
            events.append(.pong(payload))
        case .close(let payload):
            let close = try ClosePayload(parsing: payload)
            switch state {
            case .open:
                // 5.5.1: echo the status code (an empty close if the peer sent none).
                queueControlFrame(.close, ClosePayload(code: close.code).bytes)
                state = .closed
                events.append(.closed(code: close.code, reason: close.reason, initiatedByPeer: true))
            case .closing:
                state = .closed
                events.append(.closed(code: close.code, reason: close.reason, initiatedByPeer: false))
            case .connecting, .closed:
                preconditionFailure("frame handled in state \(state)")
            }
        }
    }

    /// Fails the connection (7.1.7): queue a close frame with the violation's code, unless ours
    /// was already sent, and stop reading.
    private mutating func fail(_ violation: ProtocolViolation, into events: inout [WebSocketEvent]) {
        switch state {
        case .open:
            queueControlFrame(.close, ClosePayload(code: violation.closeCode).bytes)
        case .closing:
            break
        case .connecting, .closed:
            preconditionFailure("protocol violation in state \(state)")
        }
        state = .closed
        closedBy = .failure
        events.append(.protocolViolation(violation))
    }

    // MARK: - Sending

    /// Queues a text message. `utf8` is validated (a peer fails the connection on invalid
    /// UTF-8, and it is cheaper to refuse it here with a clear error).
    public mutating func sendText(_ utf8: UnsafeRawBufferPointer) throws(SendError) {
        try checkCanSend()
        guard UTF8Validator.isValid(utf8) else { throw .invalidUTF8 }
        queueMessage(.text, utf8)
    }

    /// Queues a text message from a `String` (valid UTF-8 by construction, so not re-validated).
    public mutating func sendText(_ text: String) throws(SendError) {
        try checkCanSend()
        var text = text
        text.withUTF8 { queueMessage(.text, UnsafeRawBufferPointer($0)) }
    }

    /// Queues a binary message.
    public mutating func sendBinary(_ bytes: UnsafeRawBufferPointer) throws(SendError) {
        try checkCanSend()
        queueMessage(.binary, bytes)
    }

    /// Queues a binary message held in an array.
    public mutating func sendBinary(_ bytes: [UInt8]) throws(SendError) {
        try checkCanSend()
        bytes.withUnsafeBytes { queueMessage(.binary, $0) }
    }

    /// Queues a ping (at most 125 bytes of payload).
    public mutating func sendPing(_ payload: [UInt8]) throws(SendError) {
        try checkCanSend()
        guard payload.count <= 125 else { throw .controlPayloadTooLong(payload.count) }
        queueControlFrame(.ping, payload)
    }

    /// Queues an unsolicited pong (a heartbeat that expects no answer; pings are answered
    /// automatically).
    public mutating func sendPong(_ payload: [UInt8]) throws(SendError) {
        try checkCanSend()
        guard payload.count <= 125 else { throw .controlPayloadTooLong(payload.count) }
        queueControlFrame(.pong, payload)
    }

    /// Starts the close handshake: queues a close frame and goes to `.closing`. The connection
    /// reports `.closed(…, initiatedByPeer: false)` when the peer's close arrives.
    public mutating func close(code: UInt16 = CloseCode.normalClosure, reason: String = "") throws(SendError) {
        try checkCanSend()
        guard CloseCode.isValidReceived(code) else { throw .invalidCloseCode(code) }
        let reasonLength = reason.utf8.count
        guard reasonLength <= ClosePayload.maxReasonLength else { throw .closeReasonTooLong(reasonLength) }
        queueControlFrame(.close, ClosePayload(code: code, reason: reason).bytes)
        state = .closing
    }

    private func checkCanSend() throws(SendError) {
        switch state {
        case .connecting: throw .handshakeNotCompleted
        case .open: return
        case .closing: throw .closeAlreadySent
        case .closed: throw .connectionClosed
        }
    }

    /// Queues a text or binary message in one frame, deflated with RSV1 when permessage-deflate
    /// is in use and the message reaches the compression threshold.
    private mutating func queueMessage(_ opcode: Opcode, _ payload: UnsafeRawBufferPointer) {
        guard let deflate, payload.count >= configuration.compressionThreshold else {
            queueFrame(opcode, payload)
            return
        }
        let key = nextMaskingKey()
        let compressed = deflate.compress(payload)
        FrameEncoder.encode(opcode: opcode, payload: compressed, rsv1: true, maskKey: key, into: &outgoing)
    }

    /// Answers a ping: queues a pong, or, while the outgoing buffer is above the coalescing
    /// threshold, replaces the previous answer if none of it has left yet.
    private mutating func queueAutomaticPong(_ payload: [UInt8]) {
        guard let previous = unsentPong, pendingOutgoingCount > configuration.pongCoalescingThreshold else {
            let start = outgoing.count
            queueControlFrame(.pong, payload)
            unsentPong = start..<outgoing.count
            return
        }
        var frame: [UInt8] = []
        frame.reserveCapacity(payload.count + 6)
        let key = nextMaskingKey()
        payload.withUnsafeBytes { FrameEncoder.encode(opcode: .pong, payload: $0, maskKey: key, into: &frame) }
        // Frames queued after the old pong (echoes, say) keep their order; they move only when
        // the new payload's length differs, and no other frame's position is tracked.
        outgoing.replaceSubrange(previous, with: frame)
        unsentPong = previous.lowerBound..<previous.lowerBound + frame.count
    }

    private mutating func queueControlFrame(_ opcode: Opcode, _ payload: [UInt8]) {
        payload.withUnsafeBytes { queueFrame(opcode, $0) }
    }

    private mutating func queueFrame(_ opcode: Opcode, _ payload: UnsafeRawBufferPointer) {
        let key = nextMaskingKey()
        FrameEncoder.encode(opcode: opcode, payload: payload, maskKey: key, into: &outgoing)
    }

    /// A fresh key per frame for a client (5.3), none for a server.
    private mutating func nextMaskingKey() -> MaskingKey? {
        switch role {
        case .server:
            return nil
        case .client:
            if let key = spareKey {
                spareKey = nil
                return key
            }
            let bits: UInt64 = keyGenerator.next()
            spareKey = MaskingKey(bigEndianValue: UInt32(truncatingIfNeeded: bits >> 32))
            return MaskingKey(bigEndianValue: UInt32(truncatingIfNeeded: bits))
        }
    }

    // MARK: - Outgoing bytes

    /// Bytes queued and not yet written.
    public var pendingOutgoingCount: Int { outgoing.count - outgoingStart }

    /// Calls `body` with the queued bytes, for the transport to write (as many as it can).
    /// The buffer is valid only inside `body`; report what was written with `consumeOutgoing`.
    public func withPendingOutgoing<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try outgoing.withUnsafeBytes { all in
            try body(UnsafeRawBufferPointer(rebasing: all[outgoingStart...]))
        }
    }

    /// Drops the first `count` queued bytes after the transport wrote them.
    public mutating func consumeOutgoing(_ count: Int) {
        precondition(count >= 0 && count <= pendingOutgoingCount, "consumeOutgoing(\(count)) with \(pendingOutgoingCount) bytes pending")
        outgoingStart += count
        if let pong = unsentPong, pong.lowerBound < outgoingStart {
            // Its first bytes are on the wire: it can no longer be replaced.
            unsentPong = nil
        }
        if outgoingStart == outgoing.count {
            // Everything written: start over without giving the memory back.
            outgoing.removeAll(keepingCapacity: true)
            outgoingStart = 0
        } else if outgoingStart > outgoing.count / 2 {
            // Move the rest to the front only when that copies less than was consumed, so
            // compaction stays amortised O(1) per byte.
            outgoing.removeSubrange(0..<outgoingStart)
            unsentPong = unsentPong.map { ($0.lowerBound - outgoingStart)..<($0.upperBound - outgoingStart) }
            outgoingStart = 0
        }
    }
}

/// Limits and switches for one connection's frame and message layer.
///
/// Limits are explicit parameters with documented defaults (as in python-websockets) because a
/// peer decides how much it sends: without a limit a single header announcing a 2^62-byte frame
/// would make us try to buffer it. Both limits are checked from frame headers, before any of the
/// payload is buffered, and exceeding either fails the connection with 1009.
public struct WebSocketConfiguration: Sendable, Equatable {
    /// 64 MiB: large enough for any interactive use, small enough that a hostile peer cannot
    /// exhaust memory.
    public static let defaultMaxMessageSize = 64 << 20
    /// Same as the message limit: a single frame never needs to be larger than a message.
    public static let defaultMaxFrameSize = 64 << 20

    /// The largest payload a single frame may announce.
    public var maxFrameSize: Int
    /// The largest total payload of a message, summed over its fragments. For a compressed
    /// message (permessage-deflate) this is the size once inflated; its compressed frames may
    /// exceed it by DEFLATE's worst-case expansion of incompressible data (see
    /// `MessageAssembler.compressedSizeLimit(for:)`).
    public var maxMessageSize: Int
    /// Whether RSV1 may be set (on the first frame of a data message only, RFC 7692 6) without
    /// permessage-deflate, for an extension implemented outside the connection.
    ///
    /// Not needed for permessage-deflate: `handshakeCompleted(perMessageDeflate:)` allows RSV1
    /// itself and inflates those messages. With this switch alone, messages that arrive with RSV1
    /// are delivered as received, not UTF-8-validated (their bytes are not the text yet). Without
    /// either, any reserved bit fails the connection (1002).
    public var allowsRSV1: Bool
    /// With permessage-deflate negotiated, messages shorter than this many bytes are sent
    /// uncompressed (RSV1 clear), which RFC 7692 allows message by message.
    ///
    /// 16 bytes by default: DEFLATE needs a few bytes of its own even for a perfect match, so
    /// below that the saving is a handful of bytes at best, and the CPU and the compressor's
    /// 256 KiB of state are better spared (a session of short commands may never need it).
    /// 0 compresses every message, the empty one included.
    public var compressionThreshold: Int

    /// Sets the message limit to `bytes` and lets the frame limit follow it: a message may come
    /// in a single frame, so a frame limit below the message limit would refuse messages the
    /// user allowed, and one above it is never needed. Compressed frames are allowed DEFLATE's
    /// worst-case expansion (`MessageAssembler.compressedSizeLimit(for:)`), which the message
    /// limit then checks once inflated.
    public mutating func limitMessages(to bytes: Int) {
        precondition(bytes >= 0, "size limits must not be negative")
        maxMessageSize = bytes
        maxFrameSize = MessageAssembler.compressedSizeLimit(for: bytes)
    }

    /// While more than this many bytes wait to be written, an automatic pong not yet written is
    /// replaced by the answer to a newer ping (RFC 6455 5.5.3 allows answering only the most
    /// recent one) instead of another being queued: a peer that floods pings and never reads
    /// then costs this much memory at most, not one pong per ping. Below it every ping gets its
    /// own pong, as peers (and the Autobahn|Testsuite, cases 2.10 and 2.11) expect. The
    /// transport sets it to its outgoing high-water mark, so pongs obey the same limit as data.
    public var pongCoalescingThreshold: Int

    /// The default `pongCoalescingThreshold`.
    public static let defaultPongCoalescingThreshold = 64 << 10

    /// The default `compressionThreshold`.
    public static let defaultCompressionThreshold = 16
    /// How long a client waits, after the close handshake, for the server to close TCP
    /// (RFC 6455 7.1.1) before closing it itself: `CloseOrder.waitForPeerToClose`.
    public var peerCloseTimeout: Double
    /// The default `peerCloseTimeout`: servers close at once, so a second is only spent on one
    /// that does not, and bounds how long the client lingers after the handshake.
    public static let defaultPeerCloseTimeout = 1.0

    public init(
        maxFrameSize: Int = WebSocketConfiguration.defaultMaxFrameSize,
        maxMessageSize: Int = WebSocketConfiguration.defaultMaxMessageSize,
        allowsRSV1: Bool = false,
        compressionThreshold: Int = WebSocketConfiguration.defaultCompressionThreshold,
        pongCoalescingThreshold: Int = WebSocketConfiguration.defaultPongCoalescingThreshold,
        peerCloseTimeout: Double = WebSocketConfiguration.defaultPeerCloseTimeout
    ) {
        precondition(maxFrameSize >= 0 && maxMessageSize >= 0, "size limits must not be negative")
        precondition(compressionThreshold >= 0, "the compression threshold must not be negative")
        self.maxFrameSize = maxFrameSize
        self.maxMessageSize = maxMessageSize
        self.allowsRSV1 = allowsRSV1
        self.compressionThreshold = compressionThreshold
        self.pongCoalescingThreshold = pongCoalescingThreshold
        self.peerCloseTimeout = peerCloseTimeout
    }
}

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
    /// The largest total payload of a message, summed over its fragments.
    public var maxMessageSize: Int
    /// Whether RSV1 may be set (on the first frame of a data message only, RFC 7692 6).
    ///
    /// Set once permessage-deflate has been negotiated, never otherwise: without a negotiated
    /// extension any reserved bit fails the connection (1002). Messages that arrive with RSV1
    /// carry deflated bytes, so the core does not UTF-8-validate them (that can only happen
    /// after inflating, which is the extension's job) and delivers their payload unchanged.
    public var allowsRSV1: Bool

    public init(
        maxFrameSize: Int = WebSocketConfiguration.defaultMaxFrameSize,
        maxMessageSize: Int = WebSocketConfiguration.defaultMaxMessageSize,
        allowsRSV1: Bool = false
    ) {
        precondition(maxFrameSize >= 0 && maxMessageSize >= 0, "size limits must not be negative")
        self.maxFrameSize = maxFrameSize
        self.maxMessageSize = maxMessageSize
        self.allowsRSV1 = allowsRSV1
    }
}

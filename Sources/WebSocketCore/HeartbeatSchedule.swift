/// The heartbeat's rules without a clock or a timer, like `ReconnectSchedule`: the transport
/// owns the timers and asks this what to do when one fires.
///
/// A ping goes out every `interval` seconds while the connection is open. The first ping that
/// finds no pong deadline running starts one of `timeout` seconds (the user's ping timeout, by
/// default the interval); later pings do not move it, so a peer that answers nothing is declared dead
/// `timeout` seconds after the first unanswered ping. Any pong clears it (RFC 6455 5.5.3 allows
/// unsolicited pongs, and any proves the peer alive). When the deadline passes, the connection
/// is failed with `closeCode` ("ping timeout"), without waiting for an answer.
public struct HeartbeatSchedule: Sendable, Equatable {
    /// Seconds between pings.
    public let interval: Double
    /// Seconds a ping may go unanswered.
    public let timeout: Double
    /// Whether a pong deadline is running (a ping is unanswered).
    public private(set) var isAwaitingPong = false
    private var pingsSent: UInt64 = 0

    /// The close code a dead peer is told about (1011: an unexpected condition).
    public static let closeCode: UInt16 = 1011
    /// The close reason that goes with it.
    public static let closeReason = "ping timeout"

    /// `timeout` nil means the interval. Both must be positive.
    public init(interval: Double, timeout: Double? = nil) {
        precondition(interval > 0, "the ping interval must be positive")
        precondition((timeout ?? interval) > 0, "the ping timeout must be positive")
        self.interval = interval
        self.timeout = timeout ?? interval
    }

    /// What the ping timer's firing asks for.
    public struct Ping: Sendable, Equatable {
        /// The ping's payload: its number, from 1, as 8 bytes most significant first.
        public var payload: [UInt8]
        /// Whether a pong deadline of `timeout` seconds starts with this ping.
        public var startsDeadline: Bool
    }

    /// The ping timer fired on an open connection: the ping to send.
    public mutating func pingDue() -> Ping {
        pingsSent += 1
        let payload = withUnsafeBytes(of: pingsSent.bigEndian) { Array($0) }
        let startsDeadline = !isAwaitingPong
        isAwaitingPong = true
        return Ping(payload: payload, startsDeadline: startsDeadline)
    }

    /// A pong arrived. Returns whether a running deadline is to be cancelled.
    public mutating func pongReceived() -> Bool {
        defer { isAwaitingPong = false }
        return isAwaitingPong
    }
}

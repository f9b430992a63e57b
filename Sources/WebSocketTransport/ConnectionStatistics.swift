/// What happened on a client connection, for the statistics summary: when each step of
/// connecting finished, and what went each way. Numbers only; `Sources/wsc` words them.
public struct ConnectionStatistics: Sendable, Equatable {
    /// Monotonic times (`MonotonicClock`, seconds) at which each step finished; nil when it did
    /// not happen (no TLS for ws://, no proxy tunnel, never opened).
    public struct Timings: Sendable, Equatable {
        public var started: Double?
        /// The host name was resolved (addresses known).
        public var resolved: Double?
        /// The TCP connection is up (to the proxy, when there is one).
        public var connected: Double?
        /// The proxy's CONNECT tunnel is up.
        public var tunneled: Double?
        /// The TLS handshake finished.
        public var secured: Double?
        /// The server's 101 answer was accepted: the connection is open.
        public var opened: Double?
        /// The first text or binary message arrived.
        public var firstMessage: Double?

        public init() {}
    }

    /// Round-trip times of pings answered by a pong with the same payload, in seconds.
    public struct RoundTrips: Sendable, Equatable {
        public private(set) var count = 0
        public private(set) var minimum = Double.infinity
        public private(set) var maximum = 0.0
        public private(set) var total = 0.0

        public init() {}

        public var average: Double? { count == 0 ? nil : total / Double(count) }

        mutating func add(_ seconds: Double) {
            count += 1
            minimum = min(minimum, seconds)
            maximum = max(maximum, seconds)
            total += seconds
        }

        mutating func add(_ other: RoundTrips) {
            guard other.count > 0 else { return }
            count += other.count
            minimum = min(minimum, other.minimum)
            maximum = max(maximum, other.maximum)
            total += other.total
        }
    }

    /// Of the first connection (later ones, after reconnects, are counted in `connections`).
    public var timings = Timings()
    /// Connections opened (more than one after reconnects).
    public var connections = 0
    /// Text and binary messages, and their payload bytes before compression.
    public var messagesSent = 0
    public var payloadBytesSent = 0
    public var messagesReceived = 0
    public var payloadBytesReceived = 0
    /// WebSocket frame bytes written and read after the upgrade (compressed payloads, frame
    /// headers and control frames; the HTTP handshake not included).
    public var wireBytesSent = 0
    public var wireBytesReceived = 0
    public var pingsSent = 0
    public var pongsReceived = 0
    public var roundTrips = RoundTrips()

    public init() {}

    /// Adds a later connection's counts to these (the first connection's timings stay).
    mutating func add(_ later: ConnectionStatistics) {
        if timings.opened == nil { timings = later.timings }
        connections += later.connections
        messagesSent += later.messagesSent
        payloadBytesSent += later.payloadBytesSent
        messagesReceived += later.messagesReceived
        payloadBytesReceived += later.payloadBytesReceived
        wireBytesSent += later.wireBytesSent
        wireBytesReceived += later.wireBytesReceived
        pingsSent += later.pingsSent
        pongsReceived += later.pongsReceived
        roundTrips.add(later.roundTrips)
    }
}

/// The pings sent with `/ping`, to report the round-trip time when the matching pong (the same
/// payload) arrives. Pure: the caller passes the clock's readings.
struct PingTracker {
    private var outstanding: [(payload: [UInt8], sentAt: Double)] = []
    /// Older pings are forgotten beyond this many unanswered ones.
    let limit: Int

    init(limit: Int = 64) {
        self.limit = max(1, limit)
    }

    mutating func sent(_ payload: [UInt8], at time: Double) {
        if outstanding.count == limit { outstanding.removeFirst() }
        outstanding.append((payload, time))
    }

    /// The round-trip time in seconds when `payload` answers one of our pings (the oldest with
    /// that payload), else nil: heartbeat pongs and unsolicited pongs are not ours.
    mutating func pongReceived(_ payload: [UInt8], at time: Double) -> Double? {
        guard let index = outstanding.firstIndex(where: { $0.payload == payload }) else { return nil }
        let sentAt = outstanding.remove(at: index).sentAt
        return max(0, time - sentAt)
    }

    /// A new connection: pongs to pings sent on the old one will not come.
    mutating func reset() {
        outstanding.removeAll()
    }
}

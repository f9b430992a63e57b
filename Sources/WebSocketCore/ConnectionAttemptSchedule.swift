/// Happy Eyeballs (RFC 8305) as a pure policy: in which order a host's addresses are tried,
/// and when the next attempt starts. The transport opens the sockets and passes the time in;
/// this type holds no socket and reads no clock, so every rule is testable with numbers.
///
/// - Order (RFC 8305 4): the family of the first address getaddrinfo returned leads, then the
///   families alternate, each keeping getaddrinfo's order (v6, v4, v6, v4, …).
/// - Pacing (RFC 8305 5): an attempt starts `attemptDelay` (250 ms) after the previous one
///   without waiting for it to fail, or at once when every attempt in flight has failed or
///   one fails. Attempts overlap; the first to connect wins and the transport closes the others.
public struct ConnectionAttemptSchedule: Sendable {
    public enum Family: Sendable, Equatable {
        case ipv6, ipv4, other
    }

    /// What the transport does next.
    public enum Step: Sendable, Equatable {
        /// Start connecting to the address at this index (in the list given to `init`) now.
        case attempt(Int)
        /// Nothing to start before this time; an attempt is in flight.
        case wait(until: Double)
        /// Every address has been tried; wait for the attempts in flight.
        case waitForAttempts
        /// Every attempt failed.
        case exhausted
    }

    /// RFC 8305's recommended Connection Attempt Delay.
    public static let defaultAttemptDelay = 0.25

    /// Address indices in the order they are tried.
    public let order: [Int]
    public let attemptDelay: Double
    private var started = 0
    private var inFlight = 0
    private var nextStartTime = -Double.infinity

    public init(families: [Family], attemptDelay: Double = defaultAttemptDelay) {
        order = Self.interleaved(families)
        self.attemptDelay = attemptDelay
    }

    /// Asked after starting, after an attempt failed and when a `wait` is over; `.attempt`
    /// counts the attempt as started (in flight) at `now`.
    public mutating func nextStep(now: Double) -> Step {
        guard started < order.count else {
            return inFlight > 0 ? .waitForAttempts : .exhausted
        }
        guard inFlight == 0 || now >= nextStartTime else {
            return .wait(until: nextStartTime)
        }
        let index = order[started]
        started += 1
        inFlight += 1
        nextStartTime = now + attemptDelay
        return .attempt(index)
    }

    /// An attempt failed: the next address may be tried at once.
    public mutating func attemptFailed() {
        inFlight = max(0, inFlight - 1)
        nextStartTime = -Double.infinity
    }

    static func interleaved(_ families: [Family]) -> [Int] {
        guard let leading = families.first else { return [] }
        let first = families.indices.filter { families[$0] == leading }
        let second = families.indices.filter { families[$0] != leading }
        var order: [Int] = []
        order.reserveCapacity(families.count)
        for position in 0..<max(first.count, second.count) {
            if position < first.count { order.append(first[position]) }
            if position < second.count { order.append(second[position]) }
        }
        return order
    }
}

/// When to try again after a connection ends: the attempt count behind `BackoffPolicy`,
/// its reset once a connection has proved stable, an attempt limit, and a server-imposed
/// minimum (`Retry-After`).
///
/// Pure state: the caller passes in monotonic times and a random source, so tests can
/// replay a whole schedule exactly.
public struct ReconnectSchedule: Sendable, Equatable {
    public var policy: BackoffPolicy
    /// Attempts allowed after a connection ends; nil means unlimited.
    public var maxAttempts: Int?
    /// A connection that stayed open this long resets the backoff to its initial delay:
    /// a server that restarts once a day should not inherit yesterday's long waits.
    public var stableAfter: Double

    /// Attempts made since the last stable connection (0 before the first retry).
    public private(set) var attempts = 0
    private var openedAt: Double?

    public init(policy: BackoffPolicy, maxAttempts: Int? = nil, stableAfter: Double = 10) {
        self.policy = policy
        self.maxAttempts = maxAttempts
        self.stableAfter = stableAfter
    }

    /// A connection opened at `time`.
    public mutating func connectionOpened(at time: Double) {
        openedAt = time
    }

    /// The connection (or the attempt) ended at `time`: returns the delay before the next
    /// attempt, or nil when the attempts are used up. `minimum` is a floor such as a
    /// server's `Retry-After`.
    public mutating func nextDelay<R: RandomNumberGenerator>(
        endedAt time: Double, minimum: Double = 0, using rng: inout R
    ) -> Double? {
        if let openedAt, time - openedAt >= stableAfter {
            attempts = 0
        }
        openedAt = nil
        if let maxAttempts, attempts >= maxAttempts { return nil }
        let delay = max(minimum, policy.delay(attempt: attempts, using: &rng))
        attempts += 1
        return delay
    }
}

/// How long to wait before each reconnection attempt: exponential growth capped at a maximum, with
/// "full jitter" (a uniform draw between zero and the cap), so that many clients dropped by the
/// same server outage do not all come back at the same instant.
///
/// Pure arithmetic: the caller supplies the attempt number and, for the jitter, a random number
/// generator; the transport turns the result into a timer.
public struct BackoffPolicy: Sendable, Equatable {
    /// The ceiling for the first attempt (attempt 0), in seconds.
    public var initial: Double
    /// How much the ceiling grows per attempt.
    public var factor: Double
    /// The largest ceiling, in seconds, however many attempts have failed.
    public var maximum: Double

    /// Values that make no sense are tamed when used rather than trapping: a negative or NaN
    /// `initial` or `maximum` counts as 0, a `factor` below 1 or NaN counts as 1.
    public init(initial: Double = 1, factor: Double = 2, maximum: Double = 30) {
        self.initial = initial
        self.factor = factor
        self.maximum = maximum
    }

    /// The deterministic upper bound of the delay before attempt `attempt` (counted from 0):
    /// `min(maximum, initial · factor^attempt)`. Never overflows: the power is computed by squaring
    /// and saturates at infinity, which the minimum then caps. Negative attempts count as 0.
    public func ceiling(attempt: Int) -> Double {
        let start = Self.nonNegative(initial)
        let cap = Self.nonNegative(maximum)
        let base = factor >= 1 ? factor : 1
        guard start > 0, cap > 0 else { return 0 }

        var power = 1.0
        var square = base
        var exponent = max(0, attempt)
        // Stop early once the ceiling has reached the cap, so huge attempt numbers cost nothing.
        while exponent > 0, start * power < cap {
            if exponent & 1 == 1 { power *= square }
            square *= square
            exponent >>= 1
        }
        let bound = min(cap, start * power)
        // An infinite `maximum` with an infinite product would leave no finite range to draw from.
        return bound.isFinite ? bound : Double.greatestFiniteMagnitude
    }

    /// A delay drawn uniformly from `0...ceiling(attempt:)` using `rng`.
    public func delay<R: RandomNumberGenerator>(attempt: Int, using rng: inout R) -> Double {
        let bound = ceiling(attempt: attempt)
        guard bound > 0 else { return 0 }
        return Double.random(in: 0...bound, using: &rng)
    }

    /// A delay drawn uniformly from `0...ceiling(attempt:)` using the system's generator.
    public func delay(attempt: Int) -> Double {
        var generator = SystemRandomNumberGenerator()
        return delay(attempt: attempt, using: &generator)
    }

    private static func nonNegative(_ value: Double) -> Double {
        value >= 0 ? value : 0
    }
}

import Glibc

/// Seconds on a clock that never jumps (CLOCK_MONOTONIC), for deadlines and timers.
///
/// Wall-clock time would make a timeout fire early or late when the system clock is adjusted.
public enum MonotonicClock {
    public static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1_000_000_000
    }
}

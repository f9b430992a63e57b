import Glibc

/// `--timestamps`: the local time of day as `HH:MM:SS.mmm`.
enum Timestamp {
    /// The time `epochSeconds` + `nanoseconds` seconds after the Unix epoch, in a zone
    /// `utcOffset` seconds east of UTC. Pure, for tests.
    static func format(epochSeconds: Int, nanoseconds: Int, utcOffset: Int) -> String {
        let local = epochSeconds + utcOffset
        var secondOfDay = local % 86_400
        if secondOfDay < 0 { secondOfDay += 86_400 }
        let milliseconds = max(0, min(999, nanoseconds / 1_000_000))
        return pad(secondOfDay / 3600, 2) + ":" + pad(secondOfDay / 60 % 60, 2) + ":"
            + pad(secondOfDay % 60, 2) + "." + pad(milliseconds, 3)
    }

    /// Now, in the local time zone (`TZ`, else /etc/localtime).
    static func now() -> String {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        var seconds = spec.tv_sec
        var parts = tm()
        tzset()
        let offset = localtime_r(&seconds, &parts) == nil ? 0 : Int(parts.tm_gmtoff)
        return format(epochSeconds: Int(spec.tv_sec), nanoseconds: Int(spec.tv_nsec), utcOffset: offset)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

/// Parses sizes such as `65536`, `64K`, `64KiB`, `16M`, `1G` (binary multiples).
enum ByteSize {
    static func parse(_ text: String) -> Int? {
        let trimmed = text.uppercased()
        let units: [(String, Int)] = [("KIB", 1 << 10), ("MIB", 1 << 20), ("GIB", 1 << 30),
                                      ("KB", 1 << 10), ("MB", 1 << 20), ("GB", 1 << 30),
                                      ("K", 1 << 10), ("M", 1 << 20), ("G", 1 << 30), ("B", 1)]
        for (suffix, multiplier) in units where trimmed.hasSuffix(suffix) {
            guard let number = Int(trimmed.dropLast(suffix.count)), number >= 0 else { return nil }
            let (value, overflow) = number.multipliedReportingOverflow(by: multiplier)
            return overflow ? nil : value
        }
        guard let value = Int(trimmed), value >= 0 else { return nil }
        return value
    }

    /// "64 MiB", "1500 bytes": for messages.
    static func describe(_ bytes: Int) -> String {
        for (unit, size) in [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)] where bytes >= size && bytes % size == 0 {
            return "\(bytes / size) \(unit)"
        }
        return "\(bytes) bytes"
    }
}

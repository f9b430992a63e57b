import ArgumentParser

/// A size such as `65536`, `64K`, `64KiB`, `16M`, `1G` (binary multiples): `--max-message-size`.
struct ByteSize: Equatable, CustomStringConvertible, ExpressibleByArgument {
    var bytes: Int
    /// How the user wrote it (or the default's spelling), for --help.
    var description: String

    init(bytes: Int, spelled description: String) {
        self.bytes = bytes
        self.description = description
    }

    /// Nil for anything that is not a non-negative size that fits an Int.
    init?(argument text: String) {
        let upper = text.uppercased()
        let units: [(String, Int)] = [("KIB", 1 << 10), ("MIB", 1 << 20), ("GIB", 1 << 30),
                                      ("KB", 1 << 10), ("MB", 1 << 20), ("GB", 1 << 30),
                                      ("K", 1 << 10), ("M", 1 << 20), ("G", 1 << 30), ("B", 1)]
        let (digits, multiplier) = units.first { upper.hasSuffix($0.0) }
            .map { (upper.dropLast($0.0.count), $0.1) } ?? (Substring(upper), 1)
        guard let number = Int(digits), number >= 0 else { return nil }
        let (value, overflow) = number.multipliedReportingOverflow(by: multiplier)
        guard !overflow else { return nil }
        self.init(bytes: value, spelled: text)
    }

    var defaultValueDescription: String { description }

    /// "64 MiB", "1500 bytes": for messages.
    static func describe(_ bytes: Int) -> String {
        for (unit, size) in [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)] where bytes >= size && bytes % size == 0 {
            return "\(bytes / size) \(unit)"
        }
        return "\(bytes) bytes"
    }
}

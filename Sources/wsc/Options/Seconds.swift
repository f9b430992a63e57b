import ArgumentParser

/// A duration given on the command line in seconds (`-w 0.5`, `--connect-timeout 10`): a finite
/// number. Its sign is the option's rule, checked by its group so the error can name the option
/// and the value (`-w -2` is "-w/--wait must be zero or more seconds, not -2", not a missing value).
struct Seconds: Equatable, Comparable, CustomStringConvertible, ExpressibleByArgument {
    var value: Double

    init(_ value: Double) {
        self.value = value
    }

    init?(argument text: String) {
        guard let value = Double(text), value.isFinite else { return nil }
        self.value = value
    }

    var description: String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    var defaultValueDescription: String { description }

    static func < (lhs: Seconds, rhs: Seconds) -> Bool { lhs.value < rhs.value }
}

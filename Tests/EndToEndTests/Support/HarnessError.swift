/// A failure of the test harness itself (a peer that did not start, a missing tool), as opposed
/// to a behaviour of wsc under test.
struct HarnessError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}

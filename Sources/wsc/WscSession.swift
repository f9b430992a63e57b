/// A session the entry point can run: pipe and one-shot (`ClientSession`) or interactive
/// (`InteractiveSession`).
protocol WscSession: AnyObject {
    /// Connects, runs until the session ends, and says how it ended.
    func run() -> OutcomeReport
}

extension ClientSession: WscSession {}

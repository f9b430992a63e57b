import WebSocketTransport

/// A session the entry point can run: pipe and one-shot (`ClientSession`) or interactive
/// (`InteractiveSession`).
protocol WscSession: AnyObject {
    /// Connects, runs until the session ends, and says how it ended.
    func run() -> OutcomeReport
    /// The connection's steps, messages and bytes (`--stats`).
    var statistics: ConnectionStatistics { get }
    /// How the last connection ended, once it has.
    var lastOutcome: ConnectionOutcome? { get }
}

extension ClientSession: WscSession {}

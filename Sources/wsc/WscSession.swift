import WebSocketTransport

/// A session the entry point can run: pipe and one-shot (`ClientSession`) or interactive
/// (`InteractiveSession`), each the front end of a `SessionCore`.
protocol WscSession: AnyObject {
    /// Connects, runs until the session ends, and says how it ended.
    func run() -> OutcomeReport
    /// The core that owns the connection.
    var core: SessionCore { get }
}

extension WscSession {
    /// The connection's steps, messages and bytes (`--stats`).
    var statistics: ConnectionStatistics { core.statistics }
    /// How the last connection ended, once it has.
    var lastOutcome: ConnectionOutcome? { core.lastOutcome }
}

extension ClientSession: WscSession {}

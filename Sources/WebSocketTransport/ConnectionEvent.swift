/// Something a `ManagedConnection` reports between opening and finishing, for a status line:
/// what its channel reported, and its reconnect decisions. The transport says what happened,
/// with the numbers; `Sources/wsc` words it.
public enum ConnectionEvent {
    /// The current channel's own event (a redirect, an Engine.IO transport change).
    case channel(ChannelEvent)
    /// The connection ended with `outcome` (a retryable one), and the schedule allows another
    /// attempt: number `attempt`, in `delay` seconds. `unsentMessages` are kept for it.
    case reconnecting(after: ConnectionOutcome, delay: Double, attempt: Int, unsentMessages: Int)
    /// The connection ended with a retryable outcome but the schedule has run out after
    /// `attempts` reconnect attempts: `didFinish` follows.
    case gaveUp(attempts: Int)
}

/// Something a `WebSocketServer` reports that concerns no single client, for a status line.
/// The transport says what happened; `Sources/wsc` words it.
public enum ServerEvent {
    /// `accept(2)` failed with `errno` (`reason`: its `strerror`); out of descriptors, the
    /// server pauses accepting for a second.
    case acceptFailed(errno: Int32, reason: String)
}

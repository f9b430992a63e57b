import WebSocketCore

/// Something a `MessageChannel` reports that is neither a message nor its end, for a status
/// line. The transport says what happened; `Sources/wsc` words it.
public enum ChannelEvent {
    /// The upgrade was answered with a redirect that is being followed to `url`.
    case redirected(to: WebSocketURL)
    /// A step of Engine.IO's transport negotiation (long-polling, the WebSocket upgrade).
    case engineIO(EngineIOTransportEvent)
}

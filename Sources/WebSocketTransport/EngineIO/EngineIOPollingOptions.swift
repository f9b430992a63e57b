/// How an Engine.IO connection starts over HTTP long-polling (`ConnectionOptions.engineIOPolling`);
/// the connection's URL is then the polling endpoint, `<path>?EIO=4&transport=polling[&…]`.
public struct EngineIOPollingOptions: Sendable, Equatable {
    /// `<path>?EIO=4&transport=websocket[&…]`: where the upgrade probe (with the sid) and the
    /// fallback connect.
    public var webSocketResource: String
    /// `auto`: upgrade to WebSocket when the server offers it, and connect over WebSocket when
    /// the server refuses polling (400); else polling only.
    public var upgrades: Bool

    public init(webSocketResource: String, upgrades: Bool) {
        self.webSocketResource = webSocketResource
        self.upgrades = upgrades
    }
}

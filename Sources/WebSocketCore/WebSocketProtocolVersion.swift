/// The `Sec-WebSocket-Version` a client asks for. 13 is RFC 6455; 8 is draft hybi-08, whose
/// framing is the same and whose handshake names the origin `Sec-WebSocket-Origin` (for servers
/// that still require it; wscat can ask for it too).
public enum WebSocketProtocolVersion: Int, Sendable, CaseIterable {
    case hybi08 = 8
    case rfc6455 = 13

    /// The header that carries the origin in this version's handshake.
    var originHeaderName: String {
        switch self {
        case .hybi08: return "Sec-WebSocket-Origin"
        case .rfc6455: return "Origin"
        }
    }
}

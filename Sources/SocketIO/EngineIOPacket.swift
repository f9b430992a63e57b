/// One Engine.IO v4 packet as it travels in a WebSocket text message: a type digit, then the
/// data. (Binary data travels as a WebSocket binary message, without a type digit.)
///
/// `0{"sid":…}` open, `1` close, `2` ping, `3` pong (a probe carries data: `2probe`),
/// `4…` message (a Socket.IO packet), `5` upgrade, `6` noop.
public enum EngineIOPacket: Sendable, Equatable {
    case open(EngineIOHandshake)
    case close
    case ping(String)
    case pong(String)
    case message(String)
    case upgrade
    case noop

    public init(parsing text: String) throws(EngineIOError) {
        guard let first = text.utf8.first else { throw .empty }
        let data = String(text.utf8.dropFirst()) ?? ""
        switch first {
        case UInt8(ascii: "0"): self = .open(try EngineIOHandshake(parsing: data))
        case UInt8(ascii: "1"): self = .close
        case UInt8(ascii: "2"): self = .ping(data)
        case UInt8(ascii: "3"): self = .pong(data)
        case UInt8(ascii: "4"): self = .message(data)
        case UInt8(ascii: "5"): self = .upgrade
        case UInt8(ascii: "6"): self = .noop
        default: throw .unknownType(String(text.prefix(1)))
        }
    }

    /// The text message that carries this packet.
    public var encoded: String {
        switch self {
        case let .open(handshake): return "0" + handshake.json.serialized
        case .close: return "1"
        case let .ping(data): return "2" + data
        case let .pong(data): return "3" + data
        case let .message(data): return "4" + data
        case .upgrade: return "5"
        case .noop: return "6"
        }
    }
}

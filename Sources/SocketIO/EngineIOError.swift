/// A text message that is not a valid Engine.IO v4 packet.
public enum EngineIOError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case unknownType(String)
    case invalidOpenPacket(String)
    /// A long-polling payload that cannot be split into packets.
    case invalidPayload(String)

    public var description: String {
        switch self {
        case .empty: return "empty Engine.IO packet"
        case let .unknownType(type): return "unknown Engine.IO packet type '\(type)'"
        case let .invalidOpenPacket(reason): return "invalid Engine.IO open packet: \(reason)"
        case let .invalidPayload(reason): return "invalid Engine.IO polling payload: \(reason)"
        }
    }
}

/// A Socket.IO packet that could not be read.
public enum SocketIOError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case unknownType(String)
    /// A placeholder names an attachment the packet does not have, or is malformed.
    case invalidPlaceholder(String)
    case invalidJSON(JSONError)
    case invalidPacket(String)

    public var description: String {
        switch self {
        case .empty: return "empty Socket.IO packet"
        case let .unknownType(type): return "unknown Socket.IO packet type '\(type)'"
        case let .invalidPlaceholder(reason): return "invalid attachment placeholder: \(reason)"
        case let .invalidJSON(error): return "invalid JSON in a Socket.IO packet: \(error)"
        case let .invalidPacket(reason): return "invalid Socket.IO packet: \(reason)"
        }
    }
}

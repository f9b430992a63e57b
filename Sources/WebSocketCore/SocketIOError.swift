/// A Socket.IO packet that could not be read.
public enum SocketIOError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case unknownType(String)
    /// BINARY_EVENT and BINARY_ACK (attachments in separate binary messages) are not supported.
    case binaryNotSupported(SocketIOPacket.PacketType)
    case invalidJSON(JSONError)
    case invalidPacket(String)

    public var description: String {
        switch self {
        case .empty: return "empty Socket.IO packet"
        case let .unknownType(type): return "unknown Socket.IO packet type '\(type)'"
        case let .binaryNotSupported(type):
            return "\(type) packets (binary attachments) are not supported by wsc"
        case let .invalidJSON(error): return "invalid JSON in a Socket.IO packet: \(error)"
        case let .invalidPacket(reason): return "invalid Socket.IO packet: \(reason)"
        }
    }
}

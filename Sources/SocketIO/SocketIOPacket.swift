/// One Socket.IO v5 packet, the data of an Engine.IO message packet (`4…`):
/// `<type>[<namespace>,][<ack id>][<JSON>]`, e.g. `0`, `0/admin,{"token":"x"}`,
/// `2["chat",{"a":1}]`, `21["ask",1]`, `31["answer"]`, `4{"message":"not authorized"}`.
///
/// The binary types (`5` BINARY_EVENT, `6` BINARY_ACK) say how many attachments follow as
/// separate binary messages: `51-["file",{"_placeholder":true,"num":0}]`; each placeholder
/// stands for the attachment of that number (see `SocketIOAttachments`).
public struct SocketIOPacket: Sendable, Equatable {
    public enum PacketType: UInt8, Sendable, Equatable, CustomStringConvertible {
        case connect = 0, disconnect, event, ack, connectError, binaryEvent, binaryAck

        public var description: String {
            switch self {
            case .connect: return "CONNECT"
            case .disconnect: return "DISCONNECT"
            case .event: return "EVENT"
            case .ack: return "ACK"
            case .connectError: return "CONNECT_ERROR"
            case .binaryEvent: return "BINARY_EVENT"
            case .binaryAck: return "BINARY_ACK"
            }
        }
    }

    public var type: PacketType
    /// `/` for the default namespace, else e.g. `/admin`.
    public var namespace: String
    /// The acknowledgement id of an EVENT that asks for one, or of an ACK that answers it.
    public var id: Int?
    public var data: JSONValue?
    /// BINARY_EVENT and BINARY_ACK: how many binary messages follow the packet.
    public var attachments: Int

    public init(type: PacketType, namespace: String = "/", id: Int? = nil, data: JSONValue? = nil, attachments: Int = 0) {
        self.type = type
        self.namespace = namespace
        self.id = id
        self.data = data
        self.attachments = attachments
    }

    /// CONNECT to `namespace`, with the auth payload (a JSON object) if there is one.
    public static func connect(namespace: String = "/", auth: JSONValue? = nil) -> SocketIOPacket {
        SocketIOPacket(type: .connect, namespace: namespace, data: auth)
    }

    /// EVENT `name` with its arguments; with `id`, the receiver is asked for an ACK.
    public static func event(_ name: String, _ arguments: [JSONValue], namespace: String = "/", id: Int? = nil) -> SocketIOPacket {
        SocketIOPacket(type: .event, namespace: namespace, id: id, data: .array([.string(name)] + arguments))
    }

    /// ACK `id` with the answer's arguments.
    public static func ack(id: Int, _ arguments: [JSONValue], namespace: String = "/") -> SocketIOPacket {
        SocketIOPacket(type: .ack, namespace: namespace, id: id, data: .array(arguments))
    }

    /// An EVENT or a BINARY_EVENT.
    public var isEvent: Bool { type == .event || type == .binaryEvent }

    /// An ACK or a BINARY_ACK.
    public var isAck: Bool { type == .ack || type == .binaryAck }

    /// The event name of an EVENT (or BINARY_EVENT) packet.
    public var eventName: String? {
        guard isEvent, case let .array(elements)? = data else { return nil }
        return elements.first?.stringValue
    }

    /// The arguments of an EVENT (after the name) or of an ACK.
    public var arguments: [JSONValue] {
        guard case let .array(elements)? = data else { return [] }
        return isEvent ? Array(elements.dropFirst()) : elements
    }

    /// What a CONNECT_ERROR says: its `message` (v5), or the string itself (v4 servers).
    public var errorMessage: String? {
        guard type == .connectError, let data else { return nil }
        return data["message"]?.stringValue ?? data.stringValue ?? data.serialized
    }

    public init(parsing text: String) throws(SocketIOError) {
        let bytes = Array(text.utf8)
        guard let first = bytes.first else { throw .empty }
        guard first >= UInt8(ascii: "0"), first <= UInt8(ascii: "9"),
              let type = PacketType(rawValue: first - UInt8(ascii: "0")) else {
            throw .unknownType(String(text.prefix(1)))
        }
        var index = 1
        var attachments = 0
        if type == .binaryEvent || type == .binaryAck {
            let countStart = index
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
            guard index > countStart, index < bytes.count, bytes[index] == UInt8(ascii: "-"),
                  let count = Int(String(decoding: bytes[countStart..<index], as: UTF8.self)) else {
                throw .invalidPacket("\(type) without its attachment count ('<count>-')")
            }
            guard count <= Self.maxAttachments else {
                throw .invalidPacket("\(count) attachments (at most \(Self.maxAttachments))")
            }
            attachments = count
            index += 1   // the dash
        }
        var namespace = "/"
        if index < bytes.count, bytes[index] == UInt8(ascii: "/") {
            let start = index
            while index < bytes.count, bytes[index] != UInt8(ascii: ",") { index += 1 }
            namespace = String(decoding: bytes[start..<index], as: UTF8.self)
            if index < bytes.count { index += 1 }   // the comma
        }
        var id: Int?
        let idStart = index
        while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
        if index > idStart {
            guard let value = Int(String(decoding: bytes[idStart..<index], as: UTF8.self)) else {
                throw .invalidPacket("ack id out of range")
            }
            id = value
        }
        var data: JSONValue?
        if index < bytes.count {
            do {
                data = try JSONParser.parse(String(decoding: bytes[index...], as: UTF8.self))
            } catch {
                throw .invalidJSON(error)
            }
        }
        self.init(type: type, namespace: namespace, id: id, data: data, attachments: attachments)
        try validate()
    }

    /// The payload rules of the protocol, per type.
    private func validate() throws(SocketIOError) {
        switch type {
        case .connect:
            if let data, !data.isObject { throw .invalidPacket("CONNECT data must be a JSON object") }
        case .disconnect:
            if data != nil { throw .invalidPacket("DISCONNECT carries no data") }
        case .event, .binaryEvent:
            guard let elements = data?.arrayValue, elements.first?.stringValue != nil else {
                throw .invalidPacket("EVENT data must be an array starting with the event name")
            }
        case .ack, .binaryAck:
            guard id != nil else { throw .invalidPacket("ACK without an id") }
            guard data?.arrayValue != nil else { throw .invalidPacket("ACK data must be an array") }
        case .connectError:
            guard let data, data.isObject || data.stringValue != nil else {
                throw .invalidPacket("CONNECT_ERROR data must be an object or a string")
            }
        }
    }

    /// More attachments than this in one packet is taken for a broken peer rather than waited for.
    public static let maxAttachments = 10_000

    /// The text of the packet (to be wrapped in an Engine.IO message packet).
    public var encoded: String {
        var text = String(type.rawValue)
        if type == .binaryEvent || type == .binaryAck { text += String(attachments) + "-" }
        if namespace != "/" { text += namespace + "," }
        if let id { text += String(id) }
        if let data { text += data.serialized }
        return text
    }
}

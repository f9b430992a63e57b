/// Engine.IO and Socket.IO packets as a server may send them. Invariant: a packet that was
/// read, encoded again, reads back as the same packet.
enum SocketIOFuzzing {
    static func run(_ input: [UInt8]) {
        guard let text = String(validating: input, as: UTF8.self) else { return }
        if let packet = try? EngineIOPacket(parsing: text) {
            let again = try? EngineIOPacket(parsing: packet.encoded)
            require(again == packet, "Engine.IO round trip: \(text.debugDescription) -> \(packet.encoded.debugDescription)")
        }
        if let packet = try? SocketIOPacket(parsing: text) {
            let again = try? SocketIOPacket(parsing: packet.encoded)
            require(again == packet, "Socket.IO round trip: \(text.debugDescription) -> \(packet.encoded.debugDescription)")
        }
    }
}

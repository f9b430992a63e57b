/// Joins a BINARY_EVENT or BINARY_ACK with the binary messages that follow it. Fed every
/// Socket.IO packet and every binary message in arrival order; a packet without attachments
/// passes straight through.
public struct SocketIOPacketAssembler: Sendable {
    /// What a fed packet or binary message completes.
    public enum Output: Sendable, Equatable {
        /// A whole packet: its attachments, in order (empty for the text-only types).
        case packet(SocketIOPacket, attachments: [[UInt8]])
        /// More attachments are due.
        case waiting
    }

    public enum AssemblyError: Error, Equatable, Sendable, CustomStringConvertible {
        /// A binary message arrived when no binary packet was waiting for one.
        case unexpectedAttachment
        /// A packet arrived while the previous one still waited for attachments (now dropped).
        case interruptedPacket(SocketIOPacket.PacketType, received: Int, expected: Int)

        public var description: String {
            switch self {
            case .unexpectedAttachment:
                return "a binary message that belongs to no BINARY_EVENT or BINARY_ACK"
            case let .interruptedPacket(type, received, expected):
                return "a \(type) got \(received) of its \(expected) attachments before the next packet"
            }
        }
    }

    private var pending: (packet: SocketIOPacket, attachments: [[UInt8]])?

    public init() {}

    /// True while a binary packet waits for attachments.
    public var isWaiting: Bool { pending != nil }

    /// A Socket.IO packet. A packet still waiting for attachments is dropped and reported in
    /// `dropped`; the new one is handled as usual either way.
    public mutating func receive(packet: SocketIOPacket) -> (output: Output, dropped: AssemblyError?) {
        var dropped: AssemblyError?
        if let pending {
            dropped = .interruptedPacket(pending.packet.type, received: pending.attachments.count,
                                         expected: pending.packet.attachments)
            self.pending = nil
        }
        guard packet.attachments > 0 else { return (.packet(packet, attachments: []), dropped) }
        pending = (packet, [])
        return (.waiting, dropped)
    }

    /// A binary message: the next attachment of the waiting packet.
    public mutating func receive(attachment bytes: [UInt8]) throws(AssemblyError) -> Output {
        guard var current = pending else { throw .unexpectedAttachment }
        current.attachments.append(bytes)
        if current.attachments.count == current.packet.attachments {
            pending = nil
            return .packet(current.packet, attachments: current.attachments)
        }
        pending = current
        return .waiting
    }

    /// A new connection: whatever was waiting is gone with the old one.
    public mutating func reset() {
        pending = nil
    }
}

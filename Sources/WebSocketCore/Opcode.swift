/// The frame opcodes defined by RFC 6455 5.2.
///
/// Only the defined values are representable: the reserved ones (3–7, 0xB–0xF) fail the
/// connection with 1002 while the header is parsed, so code above the decoder never has to
/// consider them.
public enum Opcode: UInt8, Sendable, Equatable, CaseIterable, CustomStringConvertible {
    case continuation = 0x0
    case text = 0x1
    case binary = 0x2
    case close = 0x8
    case ping = 0x9
    case pong = 0xA

    /// Control frames (close, ping, pong) have the opcode's high bit set. They may appear between
    /// the fragments of a data message, must not be fragmented and carry at most 125 bytes.
    public var isControl: Bool { rawValue & 0x8 != 0 }

    public var description: String {
        switch self {
        case .continuation: return "continuation"
        case .text: return "text"
        case .binary: return "binary"
        case .close: return "close"
        case .ping: return "ping"
        case .pong: return "pong"
        }
    }
}

import XCTest
@testable import WebSocketCore

/// A "random" generator whose every draw yields `key` twice, so each frame a client connection
/// sends is masked with `key` (the connection takes two keys per 64-bit draw).
struct FixedKeyGenerator: RandomNumberGenerator, Sendable {
    var key: UInt32
    init(_ b0: UInt8, _ b1: UInt8, _ b2: UInt8, _ b3: UInt8) {
        key = UInt32(b0) << 24 | UInt32(b1) << 16 | UInt32(b2) << 8 | UInt32(b3)
    }
    mutating func next() -> UInt64 { UInt64(key) << 32 | UInt64(key) }
}

/// A deterministic generator for fuzz-style tests (SplitMix64).
struct SplitMix64: RandomNumberGenerator, Sendable {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Bytes from a hex string such as "81 05 48 65 6c 6c 6f" (spaces optional).
func hex(_ text: String) -> [UInt8] {
    let digits = text.filter { !$0.isWhitespace }
    precondition(digits.count % 2 == 0, "odd number of hex digits")
    var bytes: [UInt8] = []
    var index = digits.startIndex
    while index < digits.endIndex {
        let next = digits.index(index, offsetBy: 2)
        bytes.append(UInt8(digits[index..<next], radix: 16)!)
        index = next
    }
    return bytes
}

/// A frame built the naive way, independent of `FrameEncoder`: `first` is the whole first
/// header byte (FIN, RSV bits, opcode), the length uses the minimal encoding, and the payload
/// is masked byte by byte when `key` is given.
func rawFrame(_ first: UInt8, _ payload: [UInt8], key: [UInt8]? = nil) -> [UInt8] {
    var bytes: [UInt8] = [first]
    let maskBit: UInt8 = key == nil ? 0 : 0x80
    if payload.count <= 125 {
        bytes.append(maskBit | UInt8(payload.count))
    } else if payload.count <= 0xFFFF {
        bytes += [maskBit | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
    } else {
        bytes.append(maskBit | 127)
        for shift in stride(from: 56, through: 0, by: -8) {
            bytes.append(UInt8((UInt64(payload.count) >> UInt64(shift)) & 0xFF))
        }
    }
    if let key {
        bytes += key
        bytes += payload.enumerated().map { $0.element ^ key[$0.offset % 4] }
    } else {
        bytes += payload
    }
    return bytes
}

/// The key test frames from a client are masked with in server-role tests.
let clientKey: [UInt8] = [0x37, 0xFA, 0x21, 0x3D]

/// Bytes of `text` as UTF-8.
func utf8(_ text: String) -> [UInt8] { Array(text.utf8) }

/// An open connection. A client masks with an all-zero key, so the frames it queues can be
/// written down literally (`88 82 00 00 00 00 03 ea`); the masking itself is tested with the
/// RFC key elsewhere.
func openConnection(
    _ role: Role,
    configuration: WebSocketConfiguration = .init(),
    key: FixedKeyGenerator = FixedKeyGenerator(0, 0, 0, 0)
) -> WebSocketConnection {
    var connection = WebSocketConnection(role: role, configuration: configuration, maskingKeyGenerator: key)
    connection.handshakeCompleted()
    return connection
}

extension WebSocketConnection {
    /// Feeds `bytes` in one call and returns the events.
    mutating func feed(_ bytes: [UInt8]) -> [WebSocketEvent] {
        var events: [WebSocketEvent] = []
        receive(bytes, into: &events)
        return events
    }

    /// Feeds `bytes` one byte per call and returns the events.
    mutating func feedBytewise(_ bytes: [UInt8]) -> [WebSocketEvent] {
        var events: [WebSocketEvent] = []
        for byte in bytes {
            receive([byte], into: &events)
        }
        return events
    }

    /// Takes everything queued for writing.
    mutating func drainOutgoing() -> [UInt8] {
        let bytes = withPendingOutgoing { Array($0) }
        consumeOutgoing(bytes.count)
        return bytes
    }
}

/// Server-to-client bytes into a client `WebSocketConnection`. Invariants:
/// - the events do not depend on how the bytes are split into reads;
/// - text messages are valid UTF-8, and no message exceeds the configured limit;
/// - nothing is reported after the close handshake or a protocol violation;
/// - everything the client queued in reply (pongs, close echoes) is a well-formed, masked
///   client stream: a server connection with the same extension reads it without a violation.
enum FrameFuzzing {
    static let maxMessageSize = 4096

    static func run(_ input: [UInt8]) {
        guard let settings = input.first else { return }
        let bytes = Array(input.dropFirst())
        let deflate: PerMessageDeflateParameters? = settings & 1 == 0 ? nil : PerMessageDeflateParameters(
            serverNoContextTakeover: settings & 2 != 0, clientNoContextTakeover: settings & 4 != 0)

        let (whole, wholeOutput) = receive(bytes, deflate: deflate, chunkSizes: [bytes.count])
        // Split points from the settings byte, so the fuzzer explores them too.
        let sizes = [1, 2, 3, 5, 7, 11, 13].map { ($0 * Int(settings | 1)) % 17 + 1 }
        let (split, splitOutput) = receive(bytes, deflate: deflate, chunkSizes: sizes)
        require(whole == split, "events depend on read boundaries: \(whole) vs \(split)")
        require(wholeOutput == splitOutput, "replies depend on read boundaries")

        var ended = false
        for event in whole {
            require(!ended, "event \(event) after the connection ended")
            switch event {
            case let .text(payload):
                require(String(validating: payload, as: UTF8.self) != nil, "text message is not UTF-8")
                require(payload.count <= maxMessageSize, "text message over the limit")
            case let .binary(payload):
                require(payload.count <= maxMessageSize, "binary message over the limit")
            case let .ping(payload), let .pong(payload):
                require(payload.count <= 125, "control payload over 125 bytes")
            case .closed, .protocolViolation, .abnormalClosure:
                ended = true
            }
        }
        checkClientStream(wholeOutput, deflate: deflate)
    }

    /// The events, and the bytes the client queued, for `bytes` fed in pieces of `chunkSizes`
    /// (cycled), then end of stream.
    private static func receive(_ bytes: [UInt8], deflate: PerMessageDeflateParameters?,
                                chunkSizes: [Int]) -> ([WebSocketEvent], [UInt8]) {
        var connection = WebSocketConnection(
            role: .client, configuration: WebSocketConfiguration(maxMessageSize: maxMessageSize),
            maskingKeyGenerator: CountingGenerator())
        connection.handshakeCompleted(perMessageDeflate: deflate)
        var events: [WebSocketEvent] = []
        var offset = 0
        var turn = 0
        while offset < bytes.count {
            let size = max(1, min(chunkSizes[turn % chunkSizes.count], bytes.count - offset))
            connection.receive(Array(bytes[offset..<offset + size]), into: &events)
            offset += size
            turn += 1
        }
        connection.receiveEndOfStream(into: &events)
        let output = connection.withPendingOutgoing { Array($0) }
        return (events, output)
    }

    private static func checkClientStream(_ stream: [UInt8], deflate: PerMessageDeflateParameters?) {
        var server = WebSocketConnection(role: .server, configuration: WebSocketConfiguration(maxMessageSize: 1 << 20))
        server.handshakeCompleted(perMessageDeflate: deflate)
        var events: [WebSocketEvent] = []
        server.receive(stream, into: &events)
        for event in events {
            if case let .protocolViolation(violation) = event {
                require(false, "the client's own replies break the protocol: \(violation)")
            }
        }
    }
}

/// Deterministic masking keys: the fuzzer must see the same bytes for the same input.
struct CountingGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64 = 0x9E37_79B9_7F4A_7C15

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return state
    }
}

import WebSocketCore

/// The body of an Engine.IO v4 long-polling request or response: packets separated by the
/// record separator `0x1E`; a text packet as its type digit and data (`4hello`), a binary one
/// as `b` and the base64 of its bytes (`bAQID`).
public enum EngineIOPayload {
    public static let separator: UInt8 = 0x1E

    /// One packet of a payload.
    public enum Item: Sendable, Equatable {
        /// A text packet as it travels in a WebSocket text message: `2`, `4hello`, `0{…}`.
        case text(String)
        /// A binary packet (a Socket.IO attachment).
        case binary([UInt8])

        /// The packet as it appears in a payload.
        public var encoded: [UInt8] {
            switch self {
            case let .text(text): return Array(text.utf8)
            case let .binary(bytes): return [UInt8(ascii: "b")] + Array(Base64.encode(bytes).utf8)
            }
        }
    }

    public static func encode(_ items: [Item]) -> [UInt8] {
        var body: [UInt8] = []
        for (index, item) in items.enumerated() {
            if index > 0 { body.append(separator) }
            body += item.encoded
        }
        return body
    }

    /// Splits a payload into its packets. An empty body has none.
    public static func decode(_ body: [UInt8]) throws(EngineIOError) -> [Item] {
        guard !body.isEmpty else { return [] }
        var items: [Item] = []
        for part in body.split(separator: separator, omittingEmptySubsequences: false) {
            guard let first = part.first else { throw .empty }
            if first == UInt8(ascii: "b") {
                guard let bytes = Base64.decode(String(decoding: part.dropFirst(), as: UTF8.self)) else {
                    throw .invalidPayload("a binary packet that is not base64")
                }
                items.append(.binary(bytes))
            } else {
                guard let text = String(validating: part, as: UTF8.self) else {
                    throw .invalidPayload("a text packet that is not UTF-8")
                }
                items.append(.text(text))
            }
        }
        return items
    }
}

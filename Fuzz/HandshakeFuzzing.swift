/// A server's answer to our upgrade request: the head parser, then the full validation.
/// Invariants: the parser never reads past the buffer or reports consuming more than it was
/// given, and validation of whatever it parsed ends in a result or a typed error.
enum HandshakeFuzzing {
    private static let handshake: ClientHandshake = {
        var random = CountingGenerator()
        let url = try! WebSocketURL(parsing: "ws://127.0.0.1:9/chat")
        return try! ClientHandshake(url: url, subprotocols: ["chat", "superchat"],
                                    perMessageDeflate: PerMessageDeflateOffer(), using: &random)
    }()

    static func run(_ input: [UInt8]) {
        // Half the time a valid 101 precedes the fuzzed headers, so validation gets past the
        // status line and checks the fuzzed Sec-WebSocket-* fields.
        var bytes = input
        if input.first.map({ $0 & 1 == 1 }) ?? false {
            let prefix = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: \(ClientHandshake.acceptValue(forKey: handshake.key))\r\n"
            bytes = Array(prefix.utf8) + input.dropFirst()
        }
        let parsed = bytes.withUnsafeBytes { raw -> Result<(HTTPResponseHead, consumed: Int)?, HandshakeError> in
            do throws(HandshakeError) {
                return .success(try HTTPHeadParser.parseResponse(raw))
            } catch {
                return .failure(error)
            }
        }
        guard case let .success(result?) = parsed else { return }
        require(result.consumed > 0 && result.consumed <= bytes.count, "consumed \(result.consumed) of \(bytes.count)")
        _ = try? handshake.validate(result.0, body: bytes[result.consumed...])
    }
}

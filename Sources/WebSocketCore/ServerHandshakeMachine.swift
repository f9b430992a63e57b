/// The server's opening handshake as a machine fed from the first byte a client sends
/// (RFC 6455 4.2): the listen mode feeds every byte it reads to `feed(_:)` and acts on the step:
/// write the response, and either run the open connection it carries or hang up.
///
/// It buffers the request head (at most `HTTPHeadParser.maximumHeadSize` bytes), checks it with
/// `ServerHandshake`, negotiates permessage-deflate with `PerMessageDeflateServerNegotiation` when
/// the server offers it, and on success makes the open `WebSocketConnection` and hands over, with
/// it, the frames a client sent right behind its request as its first input. No I/O, no clock.
public struct ServerHandshakeMachine {
    private let supportedSubprotocols: [String]
    private let perMessageDeflate: PerMessageDeflateServerNegotiation?
    private let configuration: WebSocketConfiguration
    private var input: [UInt8] = []
    private var isDone = false

    /// - Parameters:
    ///   - supportedSubprotocols: the subprotocols this server speaks (`ServerHandshake`).
    ///   - perMessageDeflate: the server's permessage-deflate wishes; nil declines every offer.
    ///   - configuration: the limits of the connection made on success.
    public init(supportedSubprotocols: [String] = [], perMessageDeflate: PerMessageDeflateServerNegotiation? = nil,
                configuration: WebSocketConfiguration = .init()) {
        self.supportedSubprotocols = supportedSubprotocols
        self.perMessageDeflate = perMessageDeflate
        self.configuration = configuration
    }

    /// Processes bytes read from the client. Feeding after a final step is a programming error.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer) -> ServerHandshakeStep {
        precondition(!isDone, "feed(_:) after the handshake's final step")
        input.append(contentsOf: bytes)
        let parsed = input.withUnsafeBytes { raw -> Result<(HTTPRequestHead, consumed: Int)?, ServerHandshakeError> in
            do throws(ServerHandshakeError) { return .success(try HTTPHeadParser.parseRequest(raw)) } catch { return .failure(error) }
        }
        let head: HTTPRequestHead
        let consumed: Int
        switch parsed {
        case .success(nil): return .needMoreBytes
        case let .success(complete?): (head, consumed) = complete
        case let .failure(error): return reject(error)
        }
        let handshake: ServerHandshake
        do throws(ServerHandshakeError) {
            handshake = try ServerHandshake(request: head, supportedSubprotocols: supportedSubprotocols)
        } catch {
            return reject(error)
        }
        isDone = true
        let agreement = perMessageDeflate?.negotiate(handshake.offeredExtensions)
        var connection = WebSocketConnection(role: .server, configuration: configuration)
        connection.handshakeCompleted(perMessageDeflate: agreement?.parameters)
        // Frames the client pipelined behind its request, in the same reads.
        let leftover = Array(input[consumed...])
        input = []
        return .accept(ServerHandshakeAcceptance(
            handshake: handshake, response: handshake.responseBytes(extensions: agreement.map { [$0.response] } ?? []),
            connection: connection, leftover: leftover))
    }

    /// Convenience for bytes held in an array.
    public mutating func feed(_ bytes: [UInt8]) -> ServerHandshakeStep {
        bytes.withUnsafeBytes { feed($0) }
    }

    /// The client ended the stream before its request was complete: why, for the log line.
    public mutating func receiveEndOfStream() -> ServerHandshakeStep {
        precondition(!isDone, "receiveEndOfStream() after the handshake's final step")
        isDone = true
        let hadBytes = !input.isEmpty
        input = []
        return .abandoned(hadBytes ? .incompleteRequest : .noRequest)
    }

    private mutating func reject(_ error: ServerHandshakeError) -> ServerHandshakeStep {
        isDone = true
        input = []
        return .reject(error)
    }
}

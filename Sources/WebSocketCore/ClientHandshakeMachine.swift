/// The client's opening handshake as a machine fed from the first byte of the server's answer
/// (RFC 6455 4.1): the transport writes `requestBytes`, feeds every byte it reads to `feed(_:)`
/// and acts on the step it gets back, until the step is final.
///
/// It buffers the response head (at most `HTTPHeadParser.maximumHeadSize` bytes), checks it with
/// the `ClientHandshake` it was made from, and then:
/// - on `101`, makes the open `WebSocketConnection` and hands over, with it, whatever followed
///   the head in the same reads (a server may send its first frames right behind its answer) as
///   the connection's first input;
/// - on a redirect status, when the caller gave a `RedirectPolicy`, follows or refuses it at once
///   (the policy counts hops and refuses leaving TLS);
/// - on any other status, waits for the start of the error page, which often says why, up to
///   `errorBodyLimit(for:)` bytes, the end of the stream, or the transport's timer
///   (`stopWaitingForErrorBody()`), and quotes it in the rejection.
///
/// Like `WebSocketConnection` it never blocks, reads no clock and touches no descriptor.
public struct ClientHandshakeMachine {
    /// The request and the rules its answer is checked against.
    public let handshake: ClientHandshake
    /// The answer's head once it has arrived (for a trace of the handshake); nil before.
    public private(set) var responseHead: HTTPResponseHead?

    private let configuration: WebSocketConfiguration
    private let redirectPolicy: RedirectPolicy?
    private let redirectsSoFar: Int
    private let maskingKeyGenerator: any RandomNumberGenerator & Sendable
    private var state = State.awaitingHead
    /// The head's bytes until it is complete, then the error page's first bytes.
    private var input: [UInt8] = []
    /// More of the error page arrived than `errorBodyLimit(for:)` keeps.
    private var errorBodyWasCut = false

    private enum State {
        case awaitingHead
        /// A non-101 head arrived; the start of its body is being collected.
        case awaitingErrorBody(HTTPResponseHead)
        /// A final step was returned: nothing more is fed.
        case done
    }

    /// - Parameters:
    ///   - configuration: the limits of the connection made on `101`.
    ///   - redirectPolicy: when redirects are followed, the rules for 3xx answers; nil: a 3xx is a rejection.
    ///   - redirectsSoFar: redirects already followed to get to this request.
    public init(handshake: ClientHandshake, configuration: WebSocketConfiguration = .init(),
                redirectPolicy: RedirectPolicy? = nil, redirectsSoFar: Int = 0) {
        self.init(handshake: handshake, configuration: configuration, redirectPolicy: redirectPolicy,
                  redirectsSoFar: redirectsSoFar, maskingKeyGenerator: BufferedSecureRandom())
    }

    /// Like `init(handshake:configuration:redirectPolicy:redirectsSoFar:)`, with the opened
    /// connection's masking keys drawn from `maskingKeyGenerator`, for tests that need exact bytes.
    public init(handshake: ClientHandshake, configuration: WebSocketConfiguration = .init(),
                redirectPolicy: RedirectPolicy? = nil, redirectsSoFar: Int = 0,
                maskingKeyGenerator: some RandomNumberGenerator & Sendable) {
        self.handshake = handshake
        self.configuration = configuration
        self.redirectPolicy = redirectPolicy
        self.redirectsSoFar = redirectsSoFar
        self.maskingKeyGenerator = maskingKeyGenerator
    }

    /// The upgrade request to write before anything is read.
    public var requestBytes: [UInt8] { handshake.requestBytes() }

    /// How much of an error page is waited for: its `Content-Length` when smaller, else 512 bytes
    /// (the excerpt shows at most `ClientHandshake.excerptLength` characters of it).
    public static func errorBodyLimit(for head: HTTPResponseHead) -> Int {
        let declared = head.headers["Content-Length"].flatMap { Int($0) } ?? 512
        return min(declared, 512)
    }

    // MARK: - Feeding

    /// Processes bytes read from the stream. Feeding after a final step is a programming error.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer) -> ClientHandshakeStep {
        switch state {
        case .awaitingHead:
            input.append(contentsOf: bytes)
            return parseHead()
        case let .awaitingErrorBody(head):
            let room = Self.errorBodyLimit(for: head) - input.count
            input.append(contentsOf: bytes.prefix(room))
            if bytes.count > room { errorBodyWasCut = true }
            return input.count >= Self.errorBodyLimit(for: head) ? reject(head) : .needMoreBytes
        case .done:
            preconditionFailure("feed(_:) after the handshake's final step")
        }
    }

    /// Convenience for bytes held in an array.
    public mutating func feed(_ bytes: [UInt8]) -> ClientHandshakeStep {
        bytes.withUnsafeBytes { feed($0) }
    }

    /// The server ended the stream: an error page is quoted as far as it came; before a complete
    /// head, the handshake failed.
    public mutating func receiveEndOfStream() -> ClientHandshakeStep {
        switch state {
        case .awaitingHead:
            state = .done
            return .failed(.endOfStream)
        case let .awaitingErrorBody(head):
            return reject(head)
        case .done:
            preconditionFailure("receiveEndOfStream() after the handshake's final step")
        }
    }

    /// The transport's wait for an error page (`awaitingErrorBody`) ran out: reject with what came.
    public mutating func stopWaitingForErrorBody() -> ClientHandshakeStep {
        switch state {
        case let .awaitingErrorBody(head):
            return reject(head)
        case .awaitingHead, .done:
            preconditionFailure("stopWaitingForErrorBody() without an error page awaited")
        }
    }

    // MARK: - Deciding

    private mutating func parseHead() -> ClientHandshakeStep {
        let parsed = input.withUnsafeBytes { raw -> Result<(HTTPResponseHead, consumed: Int)?, HandshakeError> in
            do throws(HandshakeError) { return .success(try HTTPHeadParser.parseResponse(raw)) } catch { return .failure(error) }
        }
        let head: HTTPResponseHead
        let consumed: Int
        switch parsed {
        case .success(nil):
            return .needMoreBytes
        case let .success(complete?):
            (head, consumed) = complete
        case let .failure(error):
            state = .done
            return .failed(.invalidResponse(error))
        }
        responseHead = head
        input.removeFirst(consumed)

        if head.statusCode != 101 {
            if let redirectPolicy, redirectPolicy.isRedirect(status: head.statusCode) {
                state = .done
                switch redirectPolicy.target(location: head.headers["Location"], from: handshake.url,
                                             hopsSoFar: redirectsSoFar) {
                case let .success(target): return .redirect(to: target)
                case let .failure(refusal): return .failed(.redirectRefused(refusal))
                }
            }
            state = .awaitingErrorBody(head)
            let limit = Self.errorBodyLimit(for: head)
            if input.count >= limit {
                errorBodyWasCut = input.count > limit
                input.removeSubrange(limit...)
                return reject(head)
            }
            return .awaitingErrorBody
        }

        state = .done
        let result: HandshakeResult
        do throws(HandshakeError) {
            result = try handshake.validate(head)
        } catch {
            return .failed(.invalidResponse(error))
        }
        var connection = WebSocketConnection(role: .client, configuration: configuration,
                                             maskingKeyGenerator: maskingKeyGenerator)
        connection.handshakeCompleted(perMessageDeflate: result.perMessageDeflate)
        // Frames the server sent right behind its answer, in the same reads.
        let leftover = input
        input = []
        return .accepted(ClientHandshakeAcceptance(result: result, connection: connection, leftover: leftover))
    }

    private mutating func reject(_ head: HTTPResponseHead) -> ClientHandshakeStep {
        state = .done
        let rejection = HandshakeRejection(head: head, error: ClientHandshake.rejection(of: head, body: input[...],
                                                                                bodyWasCut: errorBodyWasCut))
        input = []
        return .rejected(rejection)
    }
}

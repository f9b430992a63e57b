/// What the transport does next in the client's opening handshake: `ClientHandshakeMachine`'s
/// answer to every byte fed to it.
public enum ClientHandshakeStep {
    /// The answer is not complete: read on.
    case needMoreBytes
    /// An answer other than `101` arrived (`responseHead`); the start of its error page is
    /// awaited. Read on, and bound the wait with a timer that calls `stopWaitingForErrorBody()`.
    case awaitingErrorBody
    /// The server switched protocols: the connection is open. Final.
    case accepted(ClientHandshakeAcceptance)
    /// The server answered with another status. Final.
    case rejected(HandshakeRejection)
    /// The server redirected and the `RedirectPolicy` allows following it: close this stream and
    /// start a new attempt at `to`, with one more redirect counted. Final.
    case redirect(to: WebSocketURL)
    /// The answer is unusable or the stream ended before it. Final.
    case failed(ClientHandshakeFailure)
}

/// A `101` that passed every check, and the connection it opened.
public struct ClientHandshakeAcceptance {
    /// What the handshake agreed on (subprotocol, extensions, permessage-deflate).
    public var result: HandshakeResult
    /// The open connection; hand it to the transport's engine, which owns it from now on.
    public var connection: WebSocketConnection
    /// The bytes that followed the head in the same reads: frames the server sent right behind
    /// its answer. They are `connection`'s first input, to be fed once the application has been
    /// told the connection is open, so that it can act on the open (send its first message)
    /// before a close or a violation among them ends the connection.
    public var leftover: [UInt8]
}

/// The server refused the upgrade with a status other than `101` (and not a redirect that was
/// followed): its head and the start of its error page.
public struct HandshakeRejection: Sendable, Equatable {
    /// The status line and headers as received.
    public var head: HTTPResponseHead
    /// The rejection for the user: `HandshakeError.unexpectedStatus` with the status line,
    /// `Location`, the notable headers and the body excerpt.
    public var error: HandshakeError

    public var statusCode: Int { head.statusCode }

    /// The start of the error page, cleaned for a terminal and cut (`ClientHandshake.excerpt`).
    public var bodyExcerpt: String {
        guard case let .unexpectedStatus(_, _, bodyExcerpt, _) = error else { return "" }
        return bodyExcerpt
    }

    /// `Retry-After` in seconds, for the statuses that mean "come back later" (429, 503).
    public var retryAfter: Double? {
        guard head.statusCode == 429 || head.statusCode == 503 else { return nil }
        return head.retryAfterSeconds.map(Double.init)
    }
}

/// Why the client's opening handshake failed, other than a plain rejection.
public enum ClientHandshakeFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The answer is malformed, too large, or a `101` that breaks a rule of RFC 6455 4.1.
    case invalidResponse(HandshakeError)
    /// A redirect the `RedirectPolicy` does not follow (no `Location`, too many hops, wss → ws).
    case redirectRefused(RedirectRefusal)
    /// The server ended the stream before its answer's head was complete.
    case endOfStream

    public var description: String {
        switch self {
        case let .invalidResponse(error): return error.description
        case let .redirectRefused(refusal): return "handshake rejected: redirect not followed (\(refusal))"
        case .endOfStream: return "connection closed by the server during the handshake"
        }
    }
}

/// What the listen mode does next with a client: `ServerHandshakeMachine`'s answer to every byte
/// fed to it.
public enum ServerHandshakeStep {
    /// The request is not complete: read on.
    case needMoreBytes
    /// The request is a valid upgrade: write `response` (the `101`), then run `connection`. Final.
    case accept(ServerHandshakeAcceptance)
    /// The request breaks RFC 6455 4.2.1: write `error.rejectionResponseBytes` (400, or 426 with
    /// `Sec-WebSocket-Version: 13`, and the reason), then hang up. Final.
    case reject(ServerHandshakeError)
    /// The client hung up before its request was complete. Final.
    case abandoned(ServerHandshakeAbandonment)
}

/// An accepted upgrade request and the connection it opened.
public struct ServerHandshakeAcceptance {
    /// The request that was accepted, with the subprotocol chosen.
    public var handshake: ServerHandshake
    /// The `101 Switching Protocols` answer, with the permessage-deflate agreement if any; write
    /// it before any frame of `connection`.
    public var response: [UInt8]
    /// The open connection; the transport's engine owns it from now on.
    public var connection: WebSocketConnection
    /// The bytes that followed the request in the same reads: frames the client pipelined
    /// behind it, `connection`'s first input once the server has been told of the open.
    public var leftover: [UInt8]
}

/// How a client left before its upgrade request was complete.
public enum ServerHandshakeAbandonment: Sendable, Equatable, CustomStringConvertible {
    /// Not a byte arrived.
    case noRequest
    /// Part of a request arrived.
    case incompleteRequest

    public var description: String {
        switch self {
        case .noRequest: return "closed the connection without sending a request"
        case .incompleteRequest: return "closed the connection before the upgrade request was complete"
        }
    }
}

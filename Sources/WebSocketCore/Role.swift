/// Which end of a WebSocket connection this side plays.
///
/// RFC 6455 5.1: a client masks every frame it sends and rejects masked frames
/// from the server; a server requires masked frames and never masks its own.
public enum Role: Sendable, Equatable {
    case client
    case server

    /// Whether frames this side sends carry a masking key.
    public var masksOutgoingFrames: Bool { self == .client }

    /// Whether frames this side receives must carry a masking key.
    public var expectsMaskedIncomingFrames: Bool { self == .server }
}

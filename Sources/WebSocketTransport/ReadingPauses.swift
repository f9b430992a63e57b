/// Why reading a connection is paused: a set, because several parts of a session can each
/// need the peer held back at once (its output is full, the command it feeds is not reading,
/// its replies do not fit). Reading goes on only when the last reason is withdrawn; one part
/// resuming never undoes another's pause. The caller names its reasons (a bit each), in an
/// extension of its own: the transport only keeps the set.
public struct ReadingPauses: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
}

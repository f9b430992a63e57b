import WebSocketCore

/// The events of one read, handed up through the delegates as one value instead of one call
/// per message: each layer looks up its own delegate once per read, not once per message.
///
/// Events are decoded only when asked for (`next()`), so whatever the consumer does with one
/// event (an echo, a reply) is queued before anything a later frame of the same read causes
/// (the answer to a close frame, the close frame of a protocol violation): the same order as
/// one call per event. It cannot be copied, so no two consumers can take the same events.
///
/// A delegate that stops taking events before `next()` returns nil gets the rest one by one
/// through its `source(_:didReceive:)` for a single event.
public struct ReceivedEvents: ~Copyable {
    private let engine: ConnectionEngine
    private let bytes: UnsafeRawBufferPointer
    private var offset = 0

    /// `bytes` must stay valid while this value exists (the engine's read buffer, for one read).
    init(engine: ConnectionEngine, bytes: UnsafeRawBufferPointer) {
        self.engine = engine
        self.bytes = bytes
    }

    /// The next event of this read (pings already answered, the engine's bookkeeping done), or
    /// nil when the read's bytes are used up or the connection has ended.
    public mutating func next() -> WebSocketEvent? {
        engine.nextEvent(in: bytes, offset: &offset)
    }
}

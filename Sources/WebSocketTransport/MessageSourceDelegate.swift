import WebSocketCore

/// The events every layer that carries messages reports upward, whoever reports them: one
/// connection (`MessageChannelDelegate`, `Source` is the channel) or one that survives
/// reconnects (`ManagedConnectionDelegate`, `Source` is the managed connection). The shared
/// events are declared once here; each refinement adds only what is its own (how an open is
/// reported, which status events it has).
public protocol MessageSourceDelegate<Source>: AnyObject {
    associatedtype Source
    /// A data or control message arrived (pings are already answered), or the peer's close
    /// frame (`.closed`, just before `didFinish`).
    func source(_ source: Source, didReceive event: WebSocketEvent)
    /// The events of one read, to be taken with `next()` until it returns nil (see
    /// `ReceivedEvents`). By default each goes to `source(_:didReceive:)` for one event; a
    /// delegate on the per-message path implements it to look up what it forwards to once
    /// per read.
    func source(_ source: Source, didReceive events: inout ReceivedEvents)
    /// The outgoing buffer fell below half the high-water mark (or a connection reopened):
    /// input may be read again.
    func sourceCanAcceptMoreOutput(_ source: Source)
    /// The end: nothing more will be reported.
    func source(_ source: Source, didFinish outcome: ConnectionOutcome)
    /// The opening request about to be sent: request line, then header lines (for a trace);
    /// on every attempt.
    func source(_ source: Source, willSendHandshake request: [String])
    /// The server's answer to an opening request, before it is checked (for a trace).
    func source(_ source: Source, didReceiveHandshake response: HTTPResponseHead)
}

extension MessageSourceDelegate {
    public func source(_ source: Source, didReceive events: inout ReceivedEvents) {
        while let event = events.next() { self.source(source, didReceive: event) }
    }

    public func source(_ source: Source, willSendHandshake request: [String]) {}
    public func source(_ source: Source, didReceiveHandshake response: HTTPResponseHead) {}
}

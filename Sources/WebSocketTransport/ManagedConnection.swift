import WebSocketCore

/// Receives what happens on a `ManagedConnection`, across reconnects; the message events are
/// `MessageSourceDelegate`'s, as from a single channel.
public protocol ManagedConnectionDelegate: MessageSourceDelegate where Source == ManagedConnection {
    /// A connection opened; `reconnected` is true from the second one on.
    func connection(_ connection: ManagedConnection, didOpen result: HandshakeResult, url: WebSocketURL, reconnected: Bool)
    /// Something worth a status line: a redirect, an Engine.IO transport change, a reconnect
    /// being scheduled after a loss, the reconnect attempts running out.
    func connection(_ connection: ManagedConnection, didReport event: ConnectionEvent)
    /// A reconnected connection is ready, just before the kept messages are replayed: the
    /// moment to send the preamble (messages sent first on every connection) again, with `repeatsOnReconnect: true`.
    func connectionWillReplay(_ connection: ManagedConnection)
}

extension ManagedConnectionDelegate {
    public func connectionWillReplay(_ connection: ManagedConnection) {}
}

/// A WebSocket connection that survives: with a reconnect schedule it opens a new
/// `WebSocketClient` after every end the user did not ask for, waiting as the schedule says,
/// and re-sends every message that had not left the process when the old connection died.
///
/// Which messages are "in flight" at a drop: a message whose frame was completely written to
/// the socket is gone from wsc (the kernel or the network holds it) and is not re-sent; a
/// message still wholly or partly in wsc's outgoing buffer is re-sent, whole, in order, first
/// thing after the reconnect. Messages sent while disconnected wait in the same queue.
///
/// A preamble (the messages the session sends first) is the session's to send again on every reconnected
/// connection (`connectionWillReplay`), before that queue. Its messages are sent with
/// `repeatsOnReconnect: true` and never replayed, so none goes out twice.
public final class ManagedConnection: MessageChannelDelegate {
    private let loop: EventLoop
    private let options: ConnectionOptions
    private let tlsContext: TLSContext?
    /// Unowned, not weak: the session that owns this connection outlives it, and a weak
    /// reference would put both on the runtime's slow retain/release path for every message.
    private unowned let delegate: any ManagedConnectionDelegate
    @exclusivity(unchecked) private var schedule: ReconnectSchedule?
    @exclusivity(unchecked) private var random = SystemRandomNumberGenerator()

    /// A `WebSocketClient`, or an `EngineIOPollingClient` when `options.engineIOPolling` is set.
    @exclusivity(unchecked) private var client: MessageChannel?
    /// The statistics of the connections before `client` (after reconnects).
    @exclusivity(unchecked) private var earlierStatistics = ConnectionStatistics()
    @exclusivity(unchecked) private var opens = 0
    private struct CloseRequest {
        var code: UInt16
        var reason: String
        var timeout: Double
    }

    @exclusivity(unchecked) private var closeRequest: CloseRequest?
    @exclusivity(unchecked) private var aborted = false
    @exclusivity(unchecked) private var reconnectTimer: TimerID?
    @exclusivity(unchecked) private var unsent = ReplayQueue()
    /// Set by `holdUntilReleased`: a new connection waits for `releaseHeldMessages()`.
    @exclusivity(unchecked) private var holdsUntilReleased = false
    @exclusivity(unchecked) private var held = false
    /// Why reading is paused (`pauseReading(for:)`); empty: reading.
    @exclusivity(unchecked) private var readingPauses: ReadingPauses = []

    public init(loop: EventLoop, options: ConnectionOptions, tlsContext: TLSContext?,
                reconnect: ReconnectSchedule?, delegate: any ManagedConnectionDelegate) {
        self.loop = loop
        self.options = options
        self.tlsContext = tlsContext
        self.schedule = reconnect
        self.delegate = delegate
    }

    public var isOpen: Bool { client?.isOpen ?? false }

    /// Every connection's steps, messages and bytes so far (for the statistics summary); the
    /// timings are the first opened connection's.
    public var statistics: ConnectionStatistics {
        var total = earlierStatistics
        if let client { total.add(client.statistics) }
        return total
    }

    /// Set when the reconnect schedule ran out: the connection ended although the user wanted
    /// it kept, so even a clean last outcome (a server's 1000) is a failure for the session.
    @exclusivity(unchecked) public private(set) var gaveUpAfterAttempts: Int?

    /// The URL of the current (or last) connection, after redirects.
    public var url: WebSocketURL { client?.url ?? options.url }

    /// The current connection's handshake round trip (see `WebSocketClient.handshakeRoundTrip`).
    public var handshakeRoundTrip: Double? { client?.handshakeRoundTrip }

    /// When bytes last arrived on the current connection (`MonotonicClock`; 0 before it opened).
    public var lastReadTime: Double { client?.lastReadTime ?? 0 }

    /// True while input should not be read: the buffer is full, or (with reconnects, or while
    /// held) the connection is down and the replay queue already holds a buffer's worth.
    public var isAboveHighWaterMark: Bool {
        // While held, new messages wait in the replay queue, not in the client's buffer.
        if let client, client.isOpen, !held { return client.isAboveHighWaterMark }
        return unsent.byteCount >= options.outgoingHighWaterMark
    }

    public func start() {
        connectNow()
    }

    /// Stops reading the socket (this connection's and the next ones') for `reason` (the
    /// session's output is full, its command is not reading) until every reason has been
    /// withdrawn with `resumeReading(for:)`. Signals, timers and writes go on.
    public func pauseReading(for reason: ReadingPauses) {
        readingPauses.insert(reason)
        client?.pauseReading()
    }

    /// Withdraws `reason`; reading resumes when no other reason is left.
    public func resumeReading(for reason: ReadingPauses) {
        guard !readingPauses.isDisjoint(with: reason) else { return }
        readingPauses.subtract(reason)
        if readingPauses.isEmpty { client?.resumeReading() }
    }

    public func sendText(_ utf8: UnsafeRawBufferPointer, repeatsOnReconnect: Bool = false) throws(SendError) {
        try send(utf8, binary: false, repeatsOnReconnect: repeatsOnReconnect)
    }

    public func sendBinary(_ bytes: UnsafeRawBufferPointer) throws(SendError) {
        try send(bytes, binary: true, repeatsOnReconnect: false)
    }

    /// Sends `payload` as one text or binary message. The result says what happened, because
    /// sessions answer each failure differently (and a typed throw through `withUnsafeBytes`
    /// would be erased to `any Error`).
    /// `repeatsOnReconnect`: the message belongs to the preamble, which the session sends again
    /// itself after a reconnect (`connectionWillReplay`), so it is never replayed.
    public func send(_ payload: [UInt8], binary: Bool, repeatsOnReconnect: Bool = false) -> Result<Void, SendError> {
        payload.withUnsafeBytes { raw in
            do throws(SendError) {
                try send(raw, binary: binary, repeatsOnReconnect: repeatsOnReconnect)
                return .success(())
            } catch {
                return .failure(error)
            }
        }
    }

    /// For a protocol with its own handshake on top of WebSocket (Socket.IO): from now on, after
    /// each open, the messages kept from a lost connection (and a pending `close`) wait until
    /// `releaseHeldMessages()` says the protocol is ready for them. Meanwhile the protocol talks
    /// with `sendUnrecorded(text:)`.
    public func holdUntilReleased() {
        holdsUntilReleased = true
    }

    /// The protocol on top is ready on this connection: replay what was kept, then close if asked.
    public func releaseHeldMessages() {
        guard held, let client, client.isOpen else { return }
        held = false
        replayUnsent(on: client)
        if let request = closeRequest {
            client.close(code: request.code, reason: request.reason, timeout: request.timeout)
        }
    }

    /// A text message that belongs to this connection only (a handshake step, an answer to a
    /// heartbeat): sent if the connection is open, never kept or replayed after a reconnect.
    public func sendUnrecorded(text: String) throws(SendError) {
        try sendUnrecorded(Array(text.utf8), binary: false)
    }

    /// A binary message that belongs to this connection only (an attachment of a packet sent
    /// with `sendUnrecorded(text:)`).
    public func sendUnrecorded(binary bytes: [UInt8]) throws(SendError) {
        try sendUnrecorded(bytes, binary: true)
    }

    private func sendUnrecorded(_ bytes: [UInt8], binary: Bool) throws(SendError) {
        guard let client, client.isOpen else { throw .connectionClosed }
        // Not a throwing closure inside withUnsafeBytes: see the IRGen note in docs/architecture.md.
        let sent: Result<Void, SendError> = bytes.withUnsafeBytes { raw in
            do throws(SendError) {
                if binary { try client.sendBinary(raw) } else { try client.sendText(raw) }
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try sent.get()
    }

    /// Ends the current connection at once with `outcome`, as if it had been lost: unlike
    /// `abort`, the reconnect schedule (if any) decides what follows.
    public func drop(_ outcome: ConnectionOutcome) {
        guard let client, reconnectTimer == nil else { return }
        client.abort(outcome)
    }

    public func sendPing(_ payload: [UInt8]) throws(SendError) {
        guard let client, client.isOpen else { throw .connectionClosed }
        try client.sendPing(payload)
    }

    public func sendPong(_ payload: [UInt8]) throws(SendError) {
        guard let client, client.isOpen else { throw .connectionClosed }
        try client.sendPong(payload)
    }

    /// The user's close. No reconnect follows, except that messages still waiting from a
    /// lost connection are delivered first: then the close is sent on the new connection.
    public func close(code: UInt16 = 1000, reason: String = "", timeout: Double) {
        closeRequest = CloseRequest(code: code, reason: reason, timeout: timeout)
        if let client, client.isOpen {
            client.close(code: code, reason: reason, timeout: timeout)
        } else if unsent.isEmpty || schedule == nil {
            aborted = true
            loop.cancel(reconnectTimer)
            if let client, reconnectTimer == nil {
                client.close(code: code, reason: reason, timeout: timeout)
            } else {
                finish(.closed(code: nil, reason: "", initiatedByPeer: false))
            }
        }
        // Otherwise a reconnect is under way: `clientDidOpen` replays, then closes.
    }

    /// Stops at once, without a close handshake and without reconnecting.
    public func abort(_ outcome: ConnectionOutcome) {
        aborted = true
        loop.cancel(reconnectTimer)
        if let client, reconnectTimer == nil {
            client.abort(outcome)
        } else {
            finish(outcome)
        }
    }

    // MARK: - Sending with replay

    private func send(_ bytes: UnsafeRawBufferPointer, binary: Bool, repeatsOnReconnect: Bool) throws(SendError) {
        guard let client, client.isOpen, !held else {
            // Down between attempts, or held until the protocol on top is ready: keep the
            // message for the next connection, or for `releaseHeldMessages()`.
            guard schedule != nil || held, closeRequest == nil, !aborted else { throw .connectionClosed }
            if !binary, !UTF8Validator.isValid(bytes) { throw .invalidUTF8 }
            unsent.append(bytes, binary: binary, repeats: repeatsOnReconnect, endOffset: 0)
            return
        }
        if binary {
            try client.sendBinary(bytes)
        } else {
            try client.sendText(bytes)
        }
        if schedule != nil {
            unsent.dropWritten(upTo: client.bytesWritten)
            unsent.append(bytes, binary: binary, repeats: repeatsOnReconnect,
                          endOffset: client.bytesWritten + client.bufferedAmount)
        }
    }

    /// On a reconnected connection: the session's preamble first, then the queue left by the
    /// previous connection (except its preamble messages, just sent afresh), each recorded anew.
    private func replayUnsent(on client: MessageChannel) {
        let pending = unsent
        unsent = ReplayQueue()
        if opens > 1 { delegate.connectionWillReplay(self) }
        pending.forEach { bytes, binary, repeats in
            guard !repeats else { return }
            do throws(SendError) {
                if binary { try client.sendBinary(bytes) } else { try client.sendText(bytes) }
                unsent.append(bytes, binary: binary, repeats: false,
                              endOffset: client.bytesWritten + client.bufferedAmount)
            } catch {
                unsent.append(bytes, binary: binary, repeats: false, endOffset: 0)
            }
        }
    }

    // MARK: - Connecting and reconnecting

    private func connectNow() {
        reconnectTimer = nil
        if let previous = client { earlierStatistics.add(previous.statistics) }
        let client: MessageChannel
        if let polling = options.engineIOPolling {
            client = EngineIOPollingClient(loop: loop, options: options, polling: polling, tlsContext: tlsContext, delegate: self)
        } else {
            client = WebSocketClient(loop: loop, options: options, tlsContext: tlsContext, delegate: self)
        }
        self.client = client
        if !readingPauses.isEmpty { client.pauseReading() }
        client.connect()
    }

    // MARK: - MessageChannelDelegate

    public func channelDidOpen(_ client: MessageChannel, result: HandshakeResult) {
        opens += 1
        schedule?.connectionOpened(at: MonotonicClock.now())
        if holdsUntilReleased {
            held = true
            delegate.connection(self, didOpen: result, url: client.url, reconnected: opens > 1)
            if opens > 1 { delegate.sourceCanAcceptMoreOutput(self) }
            return
        }
        replayUnsent(on: client)
        delegate.connection(self, didOpen: result, url: client.url, reconnected: opens > 1)
        if let request = closeRequest {
            client.close(code: request.code, reason: request.reason, timeout: request.timeout)
        } else if opens > 1 {
            delegate.sourceCanAcceptMoreOutput(self)
        }
    }

    public func source(_ channel: MessageChannel, didReceive event: WebSocketEvent) {
        delegate.source(self, didReceive: event)
    }

    public func source(_ channel: MessageChannel, didReceive events: inout ReceivedEvents) {
        delegate.source(self, didReceive: &events)
    }

    public func sourceCanAcceptMoreOutput(_ client: MessageChannel) {
        if schedule != nil { unsent.dropWritten(upTo: client.bytesWritten) }
        delegate.sourceCanAcceptMoreOutput(self)
    }

    public func channel(_ channel: MessageChannel, didReport event: ChannelEvent) {
        delegate.connection(self, didReport: .channel(event))
    }

    public func source(_ channel: MessageChannel, willSendHandshake request: [String]) {
        delegate.source(self, willSendHandshake: request)
    }

    public func source(_ channel: MessageChannel, didReceiveHandshake response: HTTPResponseHead) {
        delegate.source(self, didReceiveHandshake: response)
    }

    public func source(_ client: MessageChannel, didFinish outcome: ConnectionOutcome) {
        held = false
        unsent.dropWritten(upTo: client.bytesWritten)
        let closingWithNothingLeft = closeRequest != nil && unsent.isEmpty
        guard !aborted, !closingWithNothingLeft, outcome.isRetryable, schedule != nil else {
            finish(outcome)
            return
        }
        let minimum = client.retryAfter ?? 0
        guard let delay = schedule?.nextDelay(endedAt: MonotonicClock.now(), minimum: minimum, using: &random) else {
            let attempts = schedule?.attempts ?? 0
            gaveUpAfterAttempts = attempts
            delegate.connection(self, didReport: .gaveUp(attempts: attempts))
            finish(outcome)
            return
        }
        delegate.connection(self, didReport: .reconnecting(after: outcome, delay: delay, attempt: schedule?.attempts ?? 0,
                                                           unsentMessages: unsent.count))
        reconnectTimer = loop.schedule(after: delay) { [unowned self] in self.connectNow() }
    }

    private func finish(_ outcome: ConnectionOutcome) {
        loop.cancel(reconnectTimer)
        reconnectTimer = nil
        delegate.source(self, didFinish: outcome)
    }

    /// The reconnect timer captures this object unowned: it must not outlive it.
    deinit {
        loop.cancel(reconnectTimer)
    }
}

import WebSocketCore

/// Receives what happens on an open connection, on the loop's thread.
protocol ConnectionEngineDelegate: AnyObject {
    /// A data or control message arrived (pings are already answered), or the peer's close
    /// frame (`.closed`, just before `didFinish`).
    func engine(_ engine: ConnectionEngine, didReceive event: WebSocketEvent)
    /// The events of one read, to be taken with `next()` (see `ReceivedEvents`); by default
    /// each goes to `engine(_:didReceive:)` for one event.
    func engine(_ engine: ConnectionEngine, didReceive events: inout ReceivedEvents)
    /// The outgoing buffer fell below half the high-water mark after someone was told it was full.
    func engineCanAcceptMoreOutput(_ engine: ConnectionEngine)
    /// The connection ended; the engine has closed its stream and does nothing more.
    func engine(_ engine: ConnectionEngine, didFinish outcome: ConnectionOutcome)
}

extension ConnectionEngineDelegate {
    func engine(_ engine: ConnectionEngine, didReceive events: inout ReceivedEvents) {
        while let event = events.next() { self.engine(engine, didReceive: event) }
    }
}

/// One open WebSocket connection, for either role: it owns the stream, the sans-I/O
/// `WebSocketConnection`, reading (in bounded rounds, so stdin and timers get their turn),
/// writing through the outgoing buffer and its high-water mark, the close timer and the
/// heartbeat. The client (`WebSocketClient`) and the listen-mode server (`ServerConnection`) are
/// handshake front-ends that hand it a stream once the upgrade is done, so every rule of the
/// open connection is written, and fixed, once.
final class ConnectionEngine {
    private let loop: EventLoop
    private let stream: ByteStream
    @exclusivity(unchecked) private var connection: WebSocketConnection
    private let readBuffer: ReadScratch
    private let highWaterMark: Int
    /// The heartbeat's rules (the core's pure state machine); this engine runs its timers.
    @exclusivity(unchecked) private var heartbeat: HeartbeatSchedule?
    /// Unowned: the front-end that created this engine owns it and outlives it; a weak
    /// reference would put every per-message call on the runtime's slow retain path.
    private unowned let delegate: ConnectionEngineDelegate

    @exclusivity(unchecked) private var watch: WatchID?
    /// What the socket's watch asks poll for, kept here so queueing a message does not look
    /// it up in the loop.
    @exclusivity(unchecked) private var watchedInterest: IOInterest = []
    /// The stream's own needs (TLS may need to write before it can read).
    @exclusivity(unchecked) private var streamWants: IOInterest = []
    /// Bytes to write before any frame: the server's 101 answer.
    @exclusivity(unchecked) private var preamble: [UInt8]
    /// What the connection reported from the bytes fed so far; `nextEventIndex` is the first
    /// not yet handed on.
    @exclusivity(unchecked) private var events: [WebSocketEvent] = []
    @exclusivity(unchecked) private var nextEventIndex = 0
    /// The peer's close, to become `pendingOutcome` once the delegate has had the `.closed` event.
    @exclusivity(unchecked) private var outcomeAfterDelivery: ConnectionOutcome?
    @exclusivity(unchecked) private var pendingOutcome: ConnectionOutcome?
    @exclusivity(unchecked) private var finished = false
    @exclusivity(unchecked) private var throttled = false
    @exclusivity(unchecked) private var readingPaused = false
    @exclusivity(unchecked) private var closeTimer: TimerID?
    /// The client's wait for the server to close the stream after the close handshake.
    @exclusivity(unchecked) private var peerCloseTimer: TimerID?
    @exclusivity(unchecked) private var readAgainTimer: TimerID?
    @exclusivity(unchecked) private var pingTimer: TimerID?
    @exclusivity(unchecked) private var pongDeadline: TimerID?

    /// Bytes of frames written to the stream since the connection opened (the preamble not
    /// counted); with `bufferedAmount` it tells which queued messages have left the process.
    @exclusivity(unchecked) private(set) var bytesWritten = 0
    /// Bytes of frames read from the stream since the connection opened.
    @exclusivity(unchecked) private var bytesRead = 0
    /// Messages, payload bytes and pings counted as they pass (for the statistics summary).
    @exclusivity(unchecked) private var counted = ConnectionStatistics()
    /// Pings sent and not yet answered, oldest first (bounded), for round-trip times.
    @exclusivity(unchecked) private var pingsInFlight: [(payload: [UInt8], sentAt: Double)] = []
    /// When (`MonotonicClock`) bytes last arrived; one clock read per read, not per message.
    @exclusivity(unchecked) private(set) var lastReadTime: Double

    /// `connection` must be open (its handshake completed). `preamble` is written before any
    /// frame.
    init(loop: EventLoop, stream: ByteStream, connection: WebSocketConnection, readBuffer: ReadScratch,
         highWaterMark: Int, heartbeat: HeartbeatSchedule?, preamble: [UInt8] = [],
         delegate: ConnectionEngineDelegate) {
        self.loop = loop
        self.stream = stream
        self.connection = connection
        self.readBuffer = readBuffer
        self.highWaterMark = highWaterMark
        self.heartbeat = heartbeat
        self.preamble = preamble
        self.delegate = delegate
        self.lastReadTime = MonotonicClock.now()
    }

    /// Starts watching the stream and the heartbeat; first processes `earlyInput`, the bytes the
    /// handshake machine found behind the head (`leftover`), as if just read.
    func start(earlyInput: [UInt8]) {
        setWatch(.readable)
        schedulePing()
        if !earlyInput.isEmpty {
            bytesRead += earlyInput.count
            earlyInput.withUnsafeBytes { process($0) }
        }
        if !finished { flush() }
    }

    // MARK: - State

    var isOpen: Bool { !finished && connection.state == .open }

    /// Messages, payload bytes, frame bytes on the wire and pings of this connection so far;
    /// the timings are the front-end's to fill in.
    var statistics: ConnectionStatistics {
        var statistics = counted
        statistics.wireBytesSent = bytesWritten
        statistics.wireBytesReceived = bytesRead
        return statistics
    }

    var perMessageDeflate: PerMessageDeflateParameters? { connection.perMessageDeflate }

    /// Bytes accepted by `send…` (and the preamble) but not yet written to the stream.
    var bufferedAmount: Int { connection.pendingOutgoingCount + preamble.count }

    /// Whether the caller should stop producing until `engineCanAcceptMoreOutput`. Asking counts
    /// as pausing: when the answer is yes, the callback is owed once the buffer drains, even if
    /// a single write empties it.
    var isAboveHighWaterMark: Bool {
        let above = bufferedAmount >= highWaterMark
        if above { throttled = true }
        return above
    }

    // MARK: - Sending

    func sendText(_ utf8: UnsafeRawBufferPointer) throws(SendError) {
        try connection.sendText(utf8)
        counted.messagesSent += 1
        counted.payloadBytesSent += utf8.count
        scheduleFlush()
    }

    func sendBinary(_ bytes: UnsafeRawBufferPointer) throws(SendError) {
        try connection.sendBinary(bytes)
        counted.messagesSent += 1
        counted.payloadBytesSent += bytes.count
        scheduleFlush()
    }

    func sendPing(_ payload: [UInt8]) throws(SendError) {
        try connection.sendPing(payload)
        pingSent(payload)
        flush()
    }

    /// Remembers when a ping left, so the pong with the same payload gives a round-trip time.
    private func pingSent(_ payload: [UInt8]) {
        counted.pingsSent += 1
        if pingsInFlight.count == 16 { pingsInFlight.removeFirst() }
        pingsInFlight.append((payload, MonotonicClock.now()))
    }

    private func pongReceived(_ payload: [UInt8]) {
        counted.pongsReceived += 1
        guard let index = pingsInFlight.firstIndex(where: { $0.payload == payload }) else { return }
        counted.roundTrips.add(MonotonicClock.now() - pingsInFlight[index].sentAt)
        pingsInFlight.remove(at: index)
    }

    func sendPong(_ payload: [UInt8]) throws(SendError) {
        try connection.sendPong(payload)
        flush()
    }

    /// Stops reading until `resumeReading()` (the caller's replies or its output would not
    /// fit); TCP flow control then slows the peer down. Writes, timers and the close timeout
    /// go on, and messages already read are still delivered.
    func pauseReading() {
        guard !readingPaused else { return }
        readingPaused = true
        settleWatch()
    }

    func resumeReading() {
        guard readingPaused else { return }
        readingPaused = false
        // The silence while reading was paused was ours, not the peer's: quiet periods
        // (the end-of-input rule) count from here.
        lastReadTime = MonotonicClock.now()
        flush()
        // Bytes may already wait inside TLS or behind the last read: poll would not say so.
        scheduleReadAgain()
    }

    /// Starts the close handshake; `didFinish` follows when the peer answers, or with
    /// `.closeTimeout` after `timeout` seconds.
    func close(code: UInt16, reason: String, timeout: Double) {
        guard !finished, connection.state == .open else { return }
        do {
            try connection.close(code: code, reason: reason)
        } catch {
            return
        }
        // The peer's close frame must still be read, even if reading was paused.
        readingPaused = false
        loop.cancel(closeTimer)
        closeTimer = loop.schedule(after: timeout) { [unowned self] in self.finish(.closeTimeout(timeout)) }
        flush()
    }

    /// Drops the connection at once, without a close handshake.
    func abort(_ outcome: ConnectionOutcome) {
        finish(outcome)
    }

    // MARK: - Readiness

    private func setWatch(_ interest: IOInterest) {
        watchedInterest = interest
        if let watch {
            loop.update(watch, interest: interest)
        } else {
            watch = loop.watch(stream.fileDescriptor, for: interest) { [unowned self] readiness in
                self.handleReadiness(readiness)
            }
        }
    }

    private func settleWatch() {
        guard !finished else { return }
        var interest: IOInterest = readingPaused ? [] : .readable
        if bufferedAmount > 0 || !readingPaused && streamWants.contains(.readable) { interest.insert(.writable) }
        setWatch(interest)
    }

    /// Writes once the loop has finished its current round: a burst of messages (a chunk of
    /// stdin, a read's worth of echoes) then leaves in one write instead of one call each.
    private func scheduleFlush() {
        // Noted now, not at the flush: the caller may pause on `isAboveHighWaterMark` at once,
        // and the flush may then drain everything in one write; it must still hear it can go on.
        if bufferedAmount >= highWaterMark { throttled = true }
        guard !finished, watch != nil, !watchedInterest.contains(.writable) else { return }
        setWatch(readingPaused ? .writable : [.readable, .writable])
    }

    private func handleReadiness(_ readiness: IOReadiness) {
        guard !finished else { return }
        if !readingPaused && (readiness.contains(.readable) || streamWants.contains(.readable) && readiness.contains(.writable)) {
            read()
        }
        if !finished { flush() }
    }

    // MARK: - Reading

    private func read() {
        var rounds = 0
        while rounds < 64 {
            rounds += 1
            switch readBuffer.fill(from: stream) {
            case let .success(.bytes(n)):
                lastReadTime = MonotonicClock.now()
                bytesRead += n
                readBuffer.bytes.withUnsafeBytes { process(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
                guard !finished, !readingPaused else { return }
            case .success(.endOfStream):
                endOfStream(.peerEndedStream)
                return
            case let .success(.wouldBlock(interest)):
                streamWants = interest == .writable ? .readable : []
                return
            case let .failure(error):
                endOfStream(.transportFailed(error))
                return
            }
        }
        // Still more to read: let stdin, other connections and timers have a turn first.
        scheduleReadAgain()
    }

    /// A read on the next loop round (not now: stdin and timers get a turn); while reading is
    /// paused, `resumeReading()` asks again.
    private func scheduleReadAgain() {
        guard !finished, !readingPaused, readAgainTimer == nil else { return }
        // One call from the closure: an unowned `self` is held only for the expression that
        // uses it, and the read may end the connection and with it the engine's last owner.
        readAgainTimer = loop.schedule(after: 0) { [unowned self] in self.readAgain() }
    }

    private func readAgain() {
        readAgainTimer = nil
        guard !finished, !readingPaused else { return }
        read()
        if !finished { flush() }
    }

    /// Hands a read's events to the delegate as one `ReceivedEvents`, which feeds the bytes to
    /// the connection one event at a time as the delegate asks: what the delegate sends in
    /// answer to a message (an echo) is queued before anything a later frame of the same read
    /// causes (the reply to a close frame that came with the peer's last messages, or the close
    /// frame of a protocol violation).
    ///
    /// `delegate` is loaded once per read rather than from the unowned property for every
    /// message (each such load is a strong retain and release); the layers above do the same
    /// with theirs, which is why events go up as one value per read.
    private func process(_ bytes: UnsafeRawBufferPointer) {
        let delegate = self.delegate
        var received = ReceivedEvents(engine: self, bytes: bytes)
        delegate.engine(self, didReceive: &received)
        // A delegate that stopped taking events early gets the rest one at a time. The last
        // `next()`, which returns nil, also settles what the last delivered event left to do.
        while let event = received.next() { delegate.engine(self, didReceive: event) }
    }

    private func endOfStream(_ cause: AbnormalClosure) {
        events.removeAll(keepingCapacity: true)
        nextEventIndex = 0
        connection.receiveEndOfStream(into: &events)
        let delegate = self.delegate
        var offset = 0
        while let event = nextEvent(in: UnsafeRawBufferPointer(start: nil, count: 0), offset: &offset) {
            delegate.engine(self, didReceive: event)
        }
        if finished { return }
        finish(pendingOutcome ?? .abnormalClosure(cause))
    }

    /// `ReceivedEvents.next()`: the next event for the delegate from `bytes` (starting at
    /// `offset`, which it advances), after the engine has taken its share of it; nil when the
    /// bytes are used up or the connection has finished.
    func nextEvent(in bytes: UnsafeRawBufferPointer, offset: inout Int) -> WebSocketEvent? {
        // The event handed out last has been dealt with by now.
        if let outcome = outcomeAfterDelivery {
            outcomeAfterDelivery = nil
            pendingOutcome = outcome
        }
        while !finished {
            if nextEventIndex < events.count {
                let event = events[nextEventIndex]
                nextEventIndex += 1
                if take(event) { return event }
                continue
            }
            guard offset < bytes.count else { return nil }
            events.removeAll(keepingCapacity: true)
            nextEventIndex = 0
            offset += connection.receive(UnsafeRawBufferPointer(rebasing: bytes[offset...]), into: &events,
                                         stoppingAfterEvent: true)
        }
        return nil
    }

    /// The engine's share of an event before the delegate sees it (statistics, the heartbeat,
    /// the close timer); false for one the delegate does not get.
    private func take(_ event: WebSocketEvent) -> Bool {
        switch event {
        case let .text(payload), let .binary(payload):
            counted.messagesReceived += 1
            counted.payloadBytesReceived += payload.count
            if counted.timings.firstMessage == nil { counted.timings.firstMessage = MonotonicClock.now() }
            return true
        case .ping:
            return true
        case let .pong(payload):
            // Any pong proves the peer alive (RFC 6455 5.5.3 allows unsolicited ones).
            if heartbeat?.pongReceived() == true {
                loop.cancel(pongDeadline)
                pongDeadline = nil
            }
            pongReceived(payload)
            return true
        case let .closed(code, reason, initiatedByPeer):
            loop.cancel(closeTimer)
            closeTimer = nil
            outcomeAfterDelivery = .closed(code: code, reason: reason, initiatedByPeer: initiatedByPeer)
            return true
        case let .protocolViolation(violation):
            pendingOutcome = .protocolViolation(violation)
            // Give the close frame a bounded chance to reach the peer.
            loop.cancel(closeTimer)
            closeTimer = loop.schedule(after: 1) { [unowned self] in self.finish(.protocolViolation(violation)) }
            return false
        case .abnormalClosure:
            // Only end of stream reports it, and endOfStream(_:) finishes with its cause.
            return false
        }
    }

    // MARK: - Writing

    /// Writes the preamble and as much of the outgoing frames as the stream takes, then settles
    /// the watch; once the connection is closed and everything is written, closes the stream as
    /// the connection's `closeOrder` says (RFC 6455 7.1.1).
    private func flush() {
        guard !finished else { return }
        var blockedOn: IOInterest = []
        do throws(TransportError) {
            while !preamble.isEmpty {
                let result = try preamble.withBytes { (raw) throws(TransportError) in try stream.write(raw) }
                guard case let .bytes(n) = result else {
                    if case let .wouldBlock(interest) = result { blockedOn = interest } else { blockedOn = .writable }
                    break
                }
                preamble.removeFirst(n)
            }
        } catch {
            finish(pendingOutcome ?? .abnormalClosure(.transportFailed(error)))
            return
        }
        while blockedOn.isEmpty && connection.pendingOutgoingCount > 0 {
            let result: Result<StreamResult, TransportError> = connection.withPendingOutgoing { raw in
                do throws(TransportError) { return .success(try stream.write(raw)) } catch { return .failure(error) }
            }
            switch result {
            case let .success(.bytes(n)):
                connection.consumeOutgoing(n)
                bytesWritten += n
            case let .success(.wouldBlock(interest)):
                blockedOn = interest
            case .success(.endOfStream):
                blockedOn = .writable
            case let .failure(error):
                // The peer may have said why before it went away: its close frame (1009 for a
                // message over its limit, say) can be waiting unread while a large message was
                // still being written, and a proxy in between may reset the connection right
                // after forwarding it. Read what already arrived before reporting.
                if !readingPaused { read() }
                finish(pendingOutcome ?? .abnormalClosure(.transportFailed(error)))
                return
            }
        }
        if preamble.isEmpty {
            switch connection.closeOrder {
            case .keepOpen:
                break
            case .closeNow:
                finish(pendingOutcome ?? .closed(code: nil, reason: "", initiatedByPeer: false))
                return
            case let .waitForPeerToClose(timeout):
                waitForPeerToClose(timeout)
            }
        }
        var interest: IOInterest = readingPaused ? [] : .readable
        if bufferedAmount > 0 { interest.insert(blockedOn.isEmpty ? .writable : blockedOn) }
        if !readingPaused && streamWants.contains(.readable) { interest.insert(.writable) }
        setWatch(interest)

        if bufferedAmount >= highWaterMark {
            throttled = true
        } else if throttled && bufferedAmount <= highWaterMark / 2 {
            throttled = false
            delegate.engineCanAcceptMoreOutput(self)
        }
    }

    /// The client after the close handshake (RFC 6455 7.1.1): the server closes the stream, so
    /// read on (the connection ignores what comes) until it does, or close it after `timeout`.
    private func waitForPeerToClose(_ timeout: Double) {
        guard peerCloseTimer == nil else { return }
        readingPaused = false
        for timer in [pingTimer, pongDeadline] { loop.cancel(timer) }
        pingTimer = nil
        pongDeadline = nil
        peerCloseTimer = loop.schedule(after: timeout) { [unowned self] in
            self.finish(self.pendingOutcome ?? .closed(code: nil, reason: "", initiatedByPeer: false))
        }
    }

    // MARK: - Heartbeat

    private func schedulePing() {
        guard let heartbeat else { return }
        pingTimer = loop.schedule(after: heartbeat.interval) { [unowned self] in self.sendHeartbeat() }
    }

    private func sendHeartbeat() {
        guard isOpen, var schedule = heartbeat else { return }
        let ping = schedule.pingDue()
        do {
            try connection.sendPing(ping.payload)
        } catch {
            return
        }
        heartbeat = schedule
        pingSent(ping.payload)
        flush()
        if ping.startsDeadline {
            let timeout = schedule.timeout
            loop.cancel(pongDeadline)
            pongDeadline = loop.schedule(after: timeout) { [unowned self] in self.pingTimedOut(timeout) }
        }
        schedulePing()
    }

    /// The peer is presumed dead: say so, but do not wait for an answer that will not come.
    private func pingTimedOut(_ timeout: Double) {
        pongDeadline = nil
        if connection.state == .open {
            try? connection.close(code: HeartbeatSchedule.closeCode, reason: HeartbeatSchedule.closeReason)
            flush()
        }
        finish(.pingTimeout(timeout))
    }

    // MARK: - Ending

    private func finish(_ outcome: ConnectionOutcome) {
        guard !finished else { return }
        finished = true
        if let watch { loop.unwatch(watch) }
        watch = nil
        stream.close()
        for timer in [closeTimer, peerCloseTimer, readAgainTimer, pingTimer, pongDeadline] { loop.cancel(timer) }
        // The delegate may drop its reference to this engine; stay alive until the call returns.
        withExtendedLifetime(self) {
            delegate.engine(self, didFinish: outcome)
        }
    }

    /// Timers capture this engine unowned: none may outlive it.
    deinit {
        for timer in [closeTimer, peerCloseTimer, readAgainTimer, pingTimer, pongDeadline] { loop.cancel(timer) }
        if let watch { loop.unwatch(watch) }
    }
}

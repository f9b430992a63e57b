import WebSocketCore

/// Receives what happens on a `WebSocketClient`, on the loop's thread.
public protocol WebSocketClientDelegate: AnyObject {
    /// The upgrade succeeded; messages may be sent.
    func clientDidOpen(_ client: WebSocketClient, result: HandshakeResult)
    /// A data or control message arrived (pings are already answered), or the peer's close
    /// frame (`.closed`, just before `didFinish`).
    func client(_ client: WebSocketClient, didReceive event: WebSocketEvent)
    /// The outgoing buffer fell below half the high-water mark: input may be read again.
    func clientCanAcceptMoreOutput(_ client: WebSocketClient)
    /// Something worth a status line (a redirect being followed).
    func client(_ client: WebSocketClient, notice: String)
    /// The connection ended; the client will do nothing more.
    func client(_ client: WebSocketClient, didFinish outcome: ConnectionOutcome)
    /// The upgrade request about to be sent: request line, then header lines (`-v`).
    func client(_ client: WebSocketClient, willSendHandshake request: [String])
    /// The server's answer to the upgrade request, before it is checked (`-v`).
    func client(_ client: WebSocketClient, didReceiveHandshake response: HTTPResponseHead)
}

extension WebSocketClientDelegate {
    public func client(_ client: WebSocketClient, willSendHandshake request: [String]) {}
    public func client(_ client: WebSocketClient, didReceiveHandshake response: HTTPResponseHead) {}
}

/// One WebSocket connection's life: resolve → connect → proxy tunnel → TLS → HTTP upgrade
/// → open → closing → closed, driven by the poll loop and never blocking it.
///
/// Protocol rules live in `WebSocketConnection`; this class moves its bytes and turns
/// its events into delegate calls.
public final class WebSocketClient {
    private enum Phase {
        case idle
        /// Connecting, through a proxy, TLS: below the WebSocket protocol.
        case establishing(StreamConnector)
        case upgrading(ByteStream)
        case open(ByteStream)
        case finished
    }

    public private(set) var url: WebSocketURL
    private var options: ConnectionOptions
    private let loop: EventLoop
    private let tlsContext: TLSContext?
    /// Unowned, not weak: the delegate (a `ManagedConnection` or a test) owns this client and
    /// outlives it. A weak reference would give both objects a side table, and every retain and
    /// release on the per-message path would take the runtime's slow path (a third of the
    /// receive benchmark's time went there).
    private unowned let delegate: WebSocketClientDelegate

    private var phase: Phase = .idle
    private var watch: WatchID?
    private var connectTimer: TimerID?
    private var closeTimer: TimerID?
    private var bodyTimer: TimerID?
    private var redirects = 0

    private var connection: WebSocketConnection
    private var handshake: ClientHandshake?
    /// Bytes of the upgrade request not yet written.
    private var handshakeOutput: [UInt8] = []
    /// Bytes received before the connection is open (the upgrade response).
    private var handshakeInput: [UInt8] = []
    /// A non-101 answer whose body is still arriving (quoted in the error).
    private var rejectedHead: HTTPResponseHead?
    private var readBuffer: [UInt8]
    private var events: [WebSocketEvent] = []
    private var pendingOutcome: ConnectionOutcome?
    private var throttled = false
    /// The session cannot take more messages (its output is full): the socket is not read,
    /// so the peer's sending is slowed by TCP instead of wsc's memory growing.
    private var readingPaused = false
    private var streamWants: IOInterest = []
    private var pingTimer: TimerID?
    private var pongDeadline: TimerID?
    private var pingCounter: UInt64 = 0
    /// A read postponed to the next loop round, so stdin and timers get a turn.
    private var readAgainTimer: TimerID?
    /// What the socket's watch asks poll for, kept here so queueing a message does not
    /// look it up in the loop.
    private var watchedInterest: IOInterest = []

    /// Bytes of WebSocket frames written to the socket since the connection opened; with
    /// `bufferedAmount` it tells which queued messages have left the process.
    public private(set) var bytesWritten = 0
    /// `Retry-After` of a 429 or 503 answer to the upgrade, in seconds.
    public private(set) var retryAfter: Double?
    /// Seconds from sending the upgrade request to receiving the server's answer: a round trip
    /// to the WebSocket server itself (through any proxy), set once the connection is open.
    public private(set) var handshakeRoundTrip: Double?
    /// When (`MonotonicClock`) the last bytes arrived on the open connection; one clock read
    /// per read from the socket, not per message.
    public private(set) var lastReadTime: Double = 0
    private var upgradeSentAt: Double = 0
    /// Bytes of WebSocket frames read from the socket since the connection opened.
    private var bytesRead = 0
    private var recorded = ConnectionStatistics()
    /// Pings sent and not yet answered, oldest first (bounded), for round-trip times.
    private var pingsInFlight: [(payload: [UInt8], sentAt: Double)] = []

    public init(loop: EventLoop, options: ConnectionOptions, tlsContext: TLSContext?, delegate: WebSocketClientDelegate) {
        self.loop = loop
        self.options = options
        self.url = options.url
        self.tlsContext = tlsContext
        self.delegate = delegate
        self.connection = WebSocketConnection(role: .client, configuration: options.configuration)
        self.readBuffer = [UInt8](repeating: 0, count: 256 * 1024)
    }

    // MARK: - Public API

    public var isOpen: Bool {
        if case .open = phase, connection.state == .open { return true }
        return false
    }

    /// Steps, messages and bytes of this connection so far (`--stats`).
    public var statistics: ConnectionStatistics {
        var statistics = recorded
        statistics.wireBytesSent = bytesWritten
        statistics.wireBytesReceived = bytesRead
        return statistics
    }

    /// Bytes accepted by `send…` but not yet written to the socket.
    public var bufferedAmount: Int { connection.pendingOutgoingCount }

    /// Whether the session should stop feeding messages until `clientCanAcceptMoreOutput`.
    /// Asking counts as pausing: when the answer is yes, the callback is owed once the
    /// buffer drains, even if a single write empties it.
    public var isAboveHighWaterMark: Bool {
        let above = bufferedAmount >= options.outgoingHighWaterMark
        if above { throttled = true }
        return above
    }

    public func connect() {
        guard case .idle = phase else { return }
        startAttempt()
    }

    /// Stops reading the open connection until `resumeReading()`; writes, timers and the
    /// close timeout go on. Messages already read are still delivered.
    public func pauseReading() {
        guard !readingPaused else { return }
        readingPaused = true
        // Usually called while a read is being delivered: the flush after it settles the watch.
        if case let .open(stream) = phase, watch != nil {
            setWatch(on: stream.fileDescriptor, interest: watchedInterest.subtracting(.readable))
        }
    }

    public func resumeReading() {
        guard readingPaused else { return }
        readingPaused = false
        guard case .open = phase else { return }
        flush()
        // Bytes may already wait inside TLS or behind the last read: poll would not say so.
        scheduleReadAgain()
    }

    public func sendText(_ utf8: UnsafeRawBufferPointer) throws(SendError) {
        try connection.sendText(utf8)
        recorded.messagesSent += 1
        recorded.payloadBytesSent += utf8.count
        scheduleFlush()
    }

    public func sendBinary(_ bytes: UnsafeRawBufferPointer) throws(SendError) {
        try connection.sendBinary(bytes)
        recorded.messagesSent += 1
        recorded.payloadBytesSent += bytes.count
        scheduleFlush()
    }

    public func sendPing(_ payload: [UInt8]) throws(SendError) {
        try connection.sendPing(payload)
        pingSent(payload)
        flush()
    }

    /// Remembers when a ping left, so the pong with the same payload gives a round-trip time.
    private func pingSent(_ payload: [UInt8]) {
        recorded.pingsSent += 1
        if pingsInFlight.count == 16 { pingsInFlight.removeFirst() }
        pingsInFlight.append((payload, MonotonicClock.now()))
    }

    private func pongReceived(_ payload: [UInt8]) {
        recorded.pongsReceived += 1
        guard let index = pingsInFlight.firstIndex(where: { $0.payload == payload }) else { return }
        recorded.roundTrips.add(MonotonicClock.now() - pingsInFlight[index].sentAt)
        pingsInFlight.remove(at: index)
    }

    public func sendPong(_ payload: [UInt8]) throws(SendError) {
        try connection.sendPong(payload)
        flush()
    }

    /// Asks the loop to write once it has finished the current round: a burst of messages
    /// (a chunk of stdin) then leaves in one write instead of one system call each.
    private func scheduleFlush() {
        guard case let .open(stream) = phase, watch != nil, !watchedInterest.contains(.writable) else { return }
        setWatch(on: stream.fileDescriptor, interest: [.readable, .writable])
    }

    /// Starts the close handshake; the outcome arrives through the delegate when the peer
    /// answers, or as `.closeTimeout` after `timeout` seconds.
    public func close(code: UInt16 = 1000, reason: String = "", timeout: Double) {
        switch phase {
        case .open:
            guard connection.state == .open else { return }
            do {
                try connection.close(code: code, reason: reason)
            } catch {
                return
            }
            closeTimer = loop.schedule(after: timeout) { [unowned self] in
                self.finish(.closeTimeout(timeout))
            }
            flush()
        case .idle, .establishing, .upgrading:
            finish(.closed(code: nil, reason: "", initiatedByPeer: false))
        case .finished:
            break
        }
    }

    /// Drops the connection at once, without a close handshake.
    public func abort(_ outcome: ConnectionOutcome) {
        finish(outcome)
    }

    // MARK: - Establishing

    private func startAttempt() {
        if recorded.timings.started == nil { recorded.timings.started = MonotonicClock.now() }
        connection = WebSocketConnection(role: .client, configuration: options.configuration)
        handshakeInput.removeAll()
        handshakeOutput.removeAll()
        rejectedHead = nil
        let timeout = options.connectTimeout
        let host = url.host
        loop.cancel(connectTimer)
        connectTimer = loop.schedule(after: timeout) { [unowned self] in
            self.fail(.connectTimeout(host: host, seconds: timeout))
        }
        do {
            let route = try StreamConnector.Route.choose(for: url, unixSocketPath: options.unixSocketPath,
                                                         proxies: options.proxy)
            let connector = StreamConnector(loop: loop, url: url, route: route, tlsContext: tlsContext) {
                [unowned self] step in
                let now = MonotonicClock.now()
                switch step {
                case .resolved: self.recorded.timings.resolved = now
                case .connected: self.recorded.timings.connected = now
                case .tunneled: self.recorded.timings.tunneled = now
                case .secured: self.recorded.timings.secured = now
                }
            }
            phase = .establishing(connector)
            // The connector is cancelled (its completion dropped) by `closeStream()`.
            connector.start { [unowned self] result in
                switch result {
                case let .success(stream):
                    self.startUpgrade(on: stream)
                case let .failure(error):
                    self.fail(error)
                }
            }
        } catch {
            fail(error)
        }
    }

    private func startUpgrade(on stream: ByteStream) {
        // Secrets go only to the origin the user named (`RedirectPolicy.request`).
        let (headers, credentials) = RedirectPolicy.request(
            to: url, given: options.url, headers: options.headers.map { ($0.name, $0.value) },
            credentials: options.credentials)
        do {
            let handshake = try ClientHandshake(
                url: url,
                origin: options.origin,
                subprotocols: options.subprotocols,
                extensionOffers: options.extensionOffers,
                perMessageDeflate: options.perMessageDeflate,
                headers: headers.map { ($0.name, $0.value) },
                credentials: credentials
            )
            self.handshake = handshake
            handshakeOutput = handshake.requestBytes()
            let lines = String(decoding: handshakeOutput, as: UTF8.self).split(separator: "\r\n").map(String.init)
            delegate.client(self, willSendHandshake: lines)
            upgradeSentAt = MonotonicClock.now()
            phase = .upgrading(stream)
            setWatch(on: stream.fileDescriptor, interest: [.readable, .writable])
        } catch {
            fail(.invalidRequest(error))
        }
    }

    // MARK: - Readiness

    private func setWatch(on fd: Int32, interest: IOInterest) {
        watchedInterest = interest
        if let watch {
            loop.update(watch, interest: interest)
        } else {
            watch = loop.watch(fd, for: interest) { [unowned self] readiness in
                self.handleReadiness(readiness)
            }
        }
    }

    private func handleReadiness(_ readiness: IOReadiness) {
        switch phase {
        case .idle, .establishing, .finished:
            break
        case let .upgrading(stream):
            exchangeHandshakeBytes(on: stream) { [unowned self] in self.parseUpgradeResponse(stream) }
        case let .open(stream):
            if !readingPaused,
               readiness.contains(.readable) || streamWants.contains(.readable) && readiness.contains(.writable) {
                readOpen(stream)
            }
            if case .open = phase { flush() }
        }
    }

    /// Writes what is left of a request, then reads the answer, calling `parse` when bytes arrive.
    private func exchangeHandshakeBytes(on stream: ByteStream, parse: () -> Void) {
        do throws(TransportError) {
            while !handshakeOutput.isEmpty {
                let result = try handshakeOutput.withBytes { (raw) throws(TransportError) in try stream.write(raw) }
                guard case let .bytes(n) = result else { break }
                handshakeOutput.removeFirst(n)
            }
            var sawEnd = false
            while true {
                let result = try readBuffer.withMutableBytes { (raw) throws(TransportError) in try stream.read(into: raw) }
                switch result {
                case let .bytes(n):
                    handshakeInput.append(contentsOf: readBuffer[0..<n])
                    if handshakeInput.count > 64 * 1024 { break }
                    continue
                case .endOfStream:
                    sawEnd = true
                case .wouldBlock:
                    break
                }
                break
            }
            parse()
            if sawEnd, watch != nil {
                if case .upgrading = phase {
                    if let head = rejectedHead {
                        rejectWith(head)
                    } else {
                        fail(.io("connection closed by the server during the handshake"))
                    }
                }
                return
            }
            if case .upgrading = phase {
                setWatch(on: stream.fileDescriptor, interest: handshakeOutput.isEmpty ? .readable : [.readable, .writable])
            }
        } catch {
            fail(error)
        }
    }

    private func parseUpgradeResponse(_ stream: ByteStream) {
        guard let handshake else { return }
        if let head = rejectedHead {
            if handshakeInput.count >= Self.bodyExcerptLimit(for: head) { rejectWith(head) }
            return
        }
        do throws(HandshakeError) {
            let parsed = try handshakeInput.withBytes { (raw) throws(HandshakeError) in try HTTPHeadParser.parseResponse(raw) }
            guard let (head, consumed) = parsed else { return }
            handshakeInput.removeFirst(consumed)
            delegate.client(self, didReceiveHandshake: head)
            if head.statusCode != 101 {
                // Wait briefly for the start of the error page: it often says why.
                rejectedHead = head
                if handshakeInput.count >= Self.bodyExcerptLimit(for: head) {
                    rejectWith(head)
                } else {
                    bodyTimer = loop.schedule(after: 0.3) { [unowned self] in self.rejectWith(head) }
                }
                return
            }
            let result = try handshake.validate(head, body: handshakeInput[...])
            opened(stream, result: result)
        } catch {
            fail(.handshakeRejected(error))
        }
    }

    private static func bodyExcerptLimit(for head: HTTPResponseHead) -> Int {
        let declared = head.headers["content-length"].flatMap { Int($0) } ?? 512
        return min(declared, 512)
    }

    private func rejectWith(_ head: HTTPResponseHead) {
        guard let handshake, rejectedHead != nil else { return }
        rejectedHead = nil
        if head.statusCode == 429 || head.statusCode == 503 {
            retryAfter = head.retryAfterSeconds.map(Double.init)
        }
        loop.cancel(bodyTimer)
        do {
            _ = try handshake.validate(head, body: handshakeInput[...])
            fail(.handshakeRejected(.malformedResponse("unexpected status accepted")))
        } catch {
            if let policy = options.redirects, let code = error.statusCode, policy.isRedirect(status: code) {
                followRedirect(location: head.headers["location"], policy: policy)
            } else {
                fail(.handshakeRejected(error))
            }
        }
    }

    private func followRedirect(location: String?, policy: RedirectPolicy) {
        let next: WebSocketURL
        switch policy.target(location: location, from: url, hopsSoFar: redirects) {
        case let .success(target):
            next = target
        case let .failure(refusal):
            fail(.redirectRefused(refusal))
            return
        }
        redirects += 1
        closeStream()
        delegate.client(self, notice: "redirected to \(next)")
        url = next
        phase = .idle
        startAttempt()
    }

    private func opened(_ stream: ByteStream, result: HandshakeResult) {
        lastReadTime = MonotonicClock.now()
        handshakeRoundTrip = lastReadTime - upgradeSentAt
        loop.cancel(connectTimer)
        connectTimer = nil
        connection.handshakeCompleted(perMessageDeflate: result.perMessageDeflate)
        recorded.timings.opened = MonotonicClock.now()
        recorded.connections = 1
        phase = .open(stream)
        setWatch(on: stream.fileDescriptor, interest: readingPaused ? [] : .readable)
        schedulePing()
        delegate.clientDidOpen(self, result: result)
        // A server may send frames right behind its 101 response.
        if !handshakeInput.isEmpty {
            let early = handshakeInput
            handshakeInput.removeAll()
            bytesRead += early.count
            early.withUnsafeBytes { process($0, to: delegate) }
        }
        if case .open = phase { flush() }
    }

    // MARK: - Open connection

    private func readOpen(_ stream: ByteStream) {
        let delegate = self.delegate
        var rounds = 0
        while rounds < 64 {
            rounds += 1
            let result: StreamResult
            do throws(TransportError) {
                result = try readBuffer.withMutableBytes { (raw) throws(TransportError) in try stream.read(into: raw) }
            } catch {
                endOfStream(.transportFailed(error))
                return
            }
            switch result {
            case let .bytes(n):
                lastReadTime = MonotonicClock.now()
                bytesRead += n
                readBuffer.withUnsafeBytes { process(UnsafeRawBufferPointer(rebasing: $0[0..<n]), to: delegate) }
                guard case .open = phase else { return }
                if readingPaused { return }   // `resumeReading()` reads on
            case .endOfStream:
                endOfStream(.peerEndedStream)
                return
            case let .wouldBlock(interest):
                streamWants = interest == .writable ? .readable : []
                return
            }
        }
        // Still more to read: let stdin and timers have a turn first.
        if stream.hasBufferedInput || rounds == 64 { scheduleReadAgain() }
    }

    /// A read on the next loop round (not now: stdin and timers get a turn); while reading is
    /// paused, `resumeReading()` asks again.
    private func scheduleReadAgain() {
        guard !readingPaused, readAgainTimer == nil else { return }
        readAgainTimer = loop.schedule(after: 0) { [unowned self] in
            self.readAgainTimer = nil
            guard !self.readingPaused, case let .open(stream) = self.phase else { return }
            self.readOpen(stream)
            self.flush()
        }
    }

    private func endOfStream(_ cause: AbnormalClosure) {
        events.removeAll(keepingCapacity: true)
        connection.receiveEndOfStream(into: &events)
        dispatchEvents(to: delegate)
        if case .finished = phase { return }
        finish(pendingOutcome ?? .abnormalClosure(cause))
    }

    /// Feeds received bytes to the connection one event at a time, so that what the delegate
    /// sends in answer to a message (an echo) leaves before anything a later frame of the same
    /// read causes, such as the close frame of a protocol violation.
    private func process(_ bytes: UnsafeRawBufferPointer, to delegate: WebSocketClientDelegate) {
        var offset = 0
        repeat {
            events.removeAll(keepingCapacity: true)
            offset += connection.receive(UnsafeRawBufferPointer(rebasing: bytes[offset...]), into: &events,
                                         stoppingAfterEvent: true)
            dispatchEvents(to: delegate)
            if case .finished = phase { return }
        } while offset < bytes.count
    }

    /// `delegate` is passed in, loaded once per read, rather than read from the unowned property
    /// for every message (each such load is a strong retain and release).
    private func dispatchEvents(to delegate: WebSocketClientDelegate) {
        for event in events {
            switch event {
            case let .text(payload), let .binary(payload):
                recorded.messagesReceived += 1
                recorded.payloadBytesReceived += payload.count
                if recorded.timings.firstMessage == nil { recorded.timings.firstMessage = MonotonicClock.now() }
                delegate.client(self, didReceive: event)
            case .ping:
                delegate.client(self, didReceive: event)
            case let .pong(payload):
                // Any pong proves the peer alive (RFC 6455 5.5.3 allows unsolicited ones).
                loop.cancel(pongDeadline)
                pongDeadline = nil
                pongReceived(payload)
                delegate.client(self, didReceive: event)
            case let .closed(code, reason, initiatedByPeer):
                loop.cancel(closeTimer)
                delegate.client(self, didReceive: event)
                pendingOutcome = .closed(code: code, reason: reason, initiatedByPeer: initiatedByPeer)
            case let .protocolViolation(violation):
                pendingOutcome = .protocolViolation(violation)
                // Give the close frame a bounded chance to reach the peer.
                closeTimer = loop.schedule(after: 1) { [unowned self] in
                    self.finish(.protocolViolation(violation))
                }
            case .abnormalClosure:
                // Only end of stream reports it, and endOfStream(_:) finishes with its cause.
                break
            }
            if case .finished = phase { return }
        }
    }

    /// Writes as much of the outgoing buffer as the socket takes, then settles the watch.
    private func flush() {
        guard case let .open(stream) = phase else { return }
        var blockedOn: IOInterest = []
        while connection.pendingOutgoingCount > 0 {
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
                // The server may have said why before it went away: its close frame (1009 for
                // a message over its limit, say) can be waiting unread while a large message
                // was still being written, and a proxy in between may reset the connection
                // right after forwarding it. Read what already arrived before reporting.
                readOpen(stream)
                finish(pendingOutcome ?? .abnormalClosure(.transportFailed(error)))
                return
            }
            if !blockedOn.isEmpty { break }
        }
        if connection.pendingOutgoingCount == 0 && (connection.state == .closed || pendingOutcome != nil && connection.state == .closed) {
            finish(pendingOutcome ?? .closed(code: nil, reason: "", initiatedByPeer: false))
            return
        }
        var interest: IOInterest = readingPaused ? [] : .readable
        if connection.pendingOutgoingCount > 0 { interest.insert(blockedOn.isEmpty ? .writable : blockedOn) }
        if streamWants.contains(.readable) && !readingPaused { interest.insert(.writable) }
        setWatch(on: stream.fileDescriptor, interest: interest)

        if bufferedAmount >= options.outgoingHighWaterMark {
            throttled = true
        } else if throttled && bufferedAmount <= options.outgoingHighWaterMark / 2 {
            throttled = false
            delegate.clientCanAcceptMoreOutput(self)
        }
    }

    // MARK: - Heartbeat

    private func schedulePing() {
        guard let interval = options.pingInterval, interval > 0 else { return }
        pingTimer = loop.schedule(after: interval) { [unowned self] in self.sendHeartbeat() }
    }

    private func sendHeartbeat() {
        guard isOpen, let interval = options.pingInterval else { return }
        pingCounter += 1
        var payload: [UInt8] = []
        withUnsafeBytes(of: pingCounter.bigEndian) { payload.append(contentsOf: $0) }
        do {
            try connection.sendPing(payload)
        } catch {
            return
        }
        pingSent(payload)
        flush()
        if pongDeadline == nil {
            let timeout = options.pingTimeout ?? interval
            pongDeadline = loop.schedule(after: timeout) { [unowned self] in self.pingTimedOut(timeout) }
        }
        schedulePing()
    }

    /// The peer is presumed dead: say so with 1011, but do not wait for an answer that will not come.
    private func pingTimedOut(_ timeout: Double) {
        pongDeadline = nil
        if connection.state == .open {
            try? connection.close(code: 1011, reason: "ping timeout")
            flush()
        }
        finish(.pingTimeout(timeout))
    }

    // MARK: - Ending

    private func fail(_ error: TransportError) {
        finish(.failed(error))
    }

    private func closeStream() {
        if let watch { loop.unwatch(watch) }
        watch = nil
        switch phase {
        case let .establishing(connector): connector.cancel()
        case let .upgrading(stream), let .open(stream): stream.close()
        case .idle, .finished: break
        }
    }

    private func finish(_ outcome: ConnectionOutcome) {
        if case .finished = phase { return }
        closeStream()
        phase = .finished
        loop.cancel(connectTimer)
        loop.cancel(closeTimer)
        loop.cancel(bodyTimer)
        loop.cancel(pingTimer)
        loop.cancel(pongDeadline)
        loop.cancel(readAgainTimer)
        delegate.client(self, didFinish: outcome)
    }

    /// Timers capture this client unowned (see `delegate`): none may outlive it.
    deinit {
        for timer in [connectTimer, closeTimer, bodyTimer, pingTimer, pongDeadline, readAgainTimer] {
            loop.cancel(timer)
        }
        if let watch { loop.unwatch(watch) }
    }
}

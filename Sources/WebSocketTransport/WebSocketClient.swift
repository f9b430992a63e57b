import WebSocketCore

/// One WebSocket connection's life: resolve → connect → proxy tunnel → TLS → HTTP upgrade
/// → open → closing → closed, driven by the poll loop and never blocking it.
///
/// Protocol rules live in `WebSocketConnection`; this class moves its bytes and turns
/// its events into delegate calls.
public final class WebSocketClient: ConnectionEngineDelegate {
    private enum Phase {
        case idle
        /// Connecting, through a proxy, TLS: below the WebSocket protocol.
        case establishing(StreamConnector)
        case upgrading(ByteStream)
        /// The upgrade succeeded: the engine runs the connection.
        case open(ConnectionEngine)
        case finished
    }

    @exclusivity(unchecked) public private(set) var url: WebSocketURL
    @exclusivity(unchecked) private var options: ConnectionOptions
    private let loop: EventLoop
    private let tlsContext: TLSContext?
    /// Unowned, not weak: the delegate (a `ManagedConnection` or a test) owns this client and
    /// outlives it. A weak reference would give both objects a side table, and every retain and
    /// release on the per-message path would take the runtime's slow path (a third of the
    /// receive benchmark's time went there).
    private unowned let delegate: any MessageChannelDelegate

    @exclusivity(unchecked) private var phase: Phase = .idle
    /// The session asked not to read (its output is full); carried into the engine at the open.
    @exclusivity(unchecked) private var readingPaused = false
    @exclusivity(unchecked) private var watch: WatchID?
    @exclusivity(unchecked) private var connectTimer: TimerID?
    @exclusivity(unchecked) private var bodyTimer: TimerID?
    @exclusivity(unchecked) private var redirects = 0

    /// The opening handshake's rules (the core's machine), fed every byte read until it decides.
    @exclusivity(unchecked) private var handshake: ClientHandshakeMachine?
    /// Bytes of the upgrade request not yet written.
    @exclusivity(unchecked) private var handshakeOutput: [UInt8] = []
    /// Whether the answer's head was reported (for a trace): once, when it has arrived.
    @exclusivity(unchecked) private var reportedResponseHead = false
    /// The handshake's read buffer, handed to the engine once the connection is open.
    private let readBuffer = ReadScratch()

    /// Bytes of WebSocket frames written to the socket since the connection opened; with
    /// `bufferedAmount` it tells which queued messages have left the process.
    public var bytesWritten: Int {
        if case let .open(engine) = phase { return engine.bytesWritten }
        return lastEngine?.bytesWritten ?? 0
    }
    /// `Retry-After` of a 429 or 503 answer to the upgrade, in seconds.
    @exclusivity(unchecked) public private(set) var retryAfter: Double?
    /// Seconds from sending the upgrade request to receiving the server's answer: a round trip
    /// to the WebSocket server itself (through any proxy), set once the connection is open.
    @exclusivity(unchecked) public private(set) var handshakeRoundTrip: Double?
    /// When (`MonotonicClock`) the last bytes arrived on the open connection; one clock read
    /// per read from the socket, not per message.
    public var lastReadTime: Double {
        if case let .open(engine) = phase { return engine.lastReadTime }
        return lastEngine?.lastReadTime ?? 0
    }
    @exclusivity(unchecked) private var upgradeSentAt: Double = 0
    /// The timings of establishing the connection (for the statistics); the engine counts the rest.
    @exclusivity(unchecked) private var recorded = ConnectionStatistics()
    /// The engine of the connection once it has ended, for its counts.
    @exclusivity(unchecked) private var lastEngine: ConnectionEngine?

    public init(loop: EventLoop, options: ConnectionOptions, tlsContext: TLSContext?, delegate: any MessageChannelDelegate) {
        self.loop = loop
        self.options = options
        self.url = options.url
        self.tlsContext = tlsContext
        self.delegate = delegate
    }

    // MARK: - Public API

    public var isOpen: Bool {
        if case let .open(engine) = phase { return engine.isOpen }
        return false
    }

    /// The engine running the open connection, or the last one, once it ended.
    private var engine: ConnectionEngine? {
        if case let .open(engine) = phase { return engine }
        return lastEngine
    }

    /// Steps, messages and bytes of this connection so far (for the statistics summary).
    public var statistics: ConnectionStatistics {
        var statistics = engine?.statistics ?? ConnectionStatistics()
        let firstMessage = statistics.timings.firstMessage
        statistics.timings = recorded.timings
        statistics.timings.firstMessage = firstMessage
        statistics.connections = recorded.connections
        return statistics
    }

    /// Bytes accepted by `send…` but not yet written to the socket.
    public var bufferedAmount: Int {
        if case let .open(engine) = phase { return engine.bufferedAmount }
        return 0
    }

    /// Whether the session should stop feeding messages until `clientCanAcceptMoreOutput`.
    /// Asking counts as pausing: when the answer is yes, the callback is owed once the
    /// buffer drains, even if a single write empties it.
    public var isAboveHighWaterMark: Bool {
        if case let .open(engine) = phase { return engine.isAboveHighWaterMark }
        return false
    }

    public func connect() {
        guard case .idle = phase else { return }
        startAttempt()
    }

    /// Stops reading the open connection until `resumeReading()`; writes, timers and the
    /// close timeout go on. Messages already read are still delivered. Asked before the
    /// connection opens (a reconnect while the session's output is full), it applies from the open.
    public func pauseReading() {
        readingPaused = true
        if case let .open(engine) = phase { engine.pauseReading() }
    }

    public func resumeReading() {
        readingPaused = false
        if case let .open(engine) = phase { engine.resumeReading() }
    }

    public func sendText(_ utf8: UnsafeRawBufferPointer) throws(SendError) {
        try openEngine().sendText(utf8)
    }

    public func sendBinary(_ bytes: UnsafeRawBufferPointer) throws(SendError) {
        try openEngine().sendBinary(bytes)
    }

    public func sendPing(_ payload: [UInt8]) throws(SendError) {
        try openEngine().sendPing(payload)
    }

    public func sendPong(_ payload: [UInt8]) throws(SendError) {
        try openEngine().sendPong(payload)
    }

    private func openEngine() throws(SendError) -> ConnectionEngine {
        switch phase {
        case let .open(engine): return engine
        case .idle, .establishing, .upgrading: throw .handshakeNotCompleted
        case .finished: throw .connectionClosed
        }
    }

    /// Starts the close handshake; the outcome arrives through the delegate when the peer
    /// answers, or as `.closeTimeout` after `timeout` seconds.
    public func close(code: UInt16 = 1000, reason: String = "", timeout: Double) {
        switch phase {
        case let .open(engine):
            engine.close(code: code, reason: reason, timeout: timeout)
        case .idle, .establishing, .upgrading:
            finish(.closed(code: nil, reason: "", initiatedByPeer: false))
        case .finished:
            break
        }
    }

    /// Drops the connection at once, without a close handshake.
    public func abort(_ outcome: ConnectionOutcome) {
        if case let .open(engine) = phase {
            engine.abort(outcome)
        } else {
            finish(outcome)
        }
    }

    // MARK: - Establishing

    private func startAttempt() {
        if recorded.timings.started == nil { recorded.timings.started = MonotonicClock.now() }
        handshake = nil
        handshakeOutput.removeAll()
        reportedResponseHead = false
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
            var request = try ClientHandshake(
                url: url,
                origin: options.origin,
                subprotocols: options.subprotocols,
                extensionOffers: options.extensionOffers,
                perMessageDeflate: options.perMessageDeflate,
                headers: headers.map { ($0.name, $0.value) },
                credentials: credentials
            )
            request.version = options.protocolVersion
            // Pongs obey the high-water mark that data obeys: past it, unwritten pongs coalesce.
            var configuration = options.configuration
            configuration.pongCoalescingThreshold = options.outgoingHighWaterMark
            let handshake = ClientHandshakeMachine(handshake: request, configuration: configuration,
                                                   redirectPolicy: options.redirects, redirectsSoFar: redirects)
            self.handshake = handshake
            handshakeOutput = handshake.requestBytes
            let lines = String(decoding: handshakeOutput, as: UTF8.self).split(separator: "\r\n").map(String.init)
            delegate.source(self, willSendHandshake: lines)
            upgradeSentAt = MonotonicClock.now()
            phase = .upgrading(stream)
            setWatch(on: stream.fileDescriptor, interest: [.readable, .writable])
        } catch {
            fail(.invalidRequest(error))
        }
    }

    // MARK: - Readiness

    private func setWatch(on fd: Int32, interest: IOInterest) {
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
            exchangeHandshakeBytes(on: stream)
        case .open:
            // The engine has its own watch.
            break
        }
    }

    /// Writes what is left of the request, then feeds what the server answers to the
    /// handshake machine until it decides.
    private func exchangeHandshakeBytes(on stream: ByteStream) {
        do throws(TransportError) {
            while !handshakeOutput.isEmpty {
                let result = try handshakeOutput.withBytes { (raw) throws(TransportError) in try stream.write(raw) }
                guard case let .bytes(n) = result else { break }
                handshakeOutput.removeFirst(n)
            }
            while case .upgrading = phase {
                let result = try readBuffer.bytes.withMutableBytes { (raw) throws(TransportError) in try stream.read(into: raw) }
                switch result {
                case let .bytes(n):
                    advanceHandshake(on: stream) { machine in
                        readBuffer.bytes.withUnsafeBytes { machine.feed(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
                    }
                case .endOfStream:
                    advanceHandshake(on: stream) { $0.receiveEndOfStream() }
                    return
                case .wouldBlock:
                    setWatch(on: stream.fileDescriptor, interest: handshakeOutput.isEmpty ? .readable : [.readable, .writable])
                    return
                }
            }
        } catch {
            fail(error)
        }
    }

    /// Runs one step of the handshake machine and acts on its answer.
    private func advanceHandshake(on stream: ByteStream,
                                  _ step: (inout ClientHandshakeMachine) -> ClientHandshakeStep) {
        guard case .upgrading = phase, var machine = handshake else { return }
        handshake = nil  // held uniquely while it runs
        let next = step(&machine)
        handshake = machine
        if !reportedResponseHead, let head = machine.responseHead {
            reportedResponseHead = true
            delegate.source(self, didReceiveHandshake: head)
            guard case .upgrading = phase else { return }
        }
        switch next {
        case .needMoreBytes:
            break
        case .awaitingErrorBody:
            // The start of the error page often says why; wait for it briefly.
            loop.cancel(bodyTimer)
            bodyTimer = loop.schedule(after: 0.3) { [unowned self] in
                self.bodyTimer = nil
                self.advanceHandshake(on: stream) { $0.stopWaitingForErrorBody() }
            }
        case let .accepted(acceptance):
            opened(stream, acceptance)
        case let .rejected(rejection):
            retryAfter = rejection.retryAfter
            fail(.handshakeRejected(rejection.error))
        case let .redirect(to: next):
            followRedirect(to: next)
        case let .failed(failure):
            switch failure {
            case let .invalidResponse(error): fail(.handshakeRejected(error))
            case let .redirectRefused(refusal): fail(.redirectRefused(refusal))
            case .endOfStream: fail(.io(failure.description))
            }
        }
    }

    private func followRedirect(to next: WebSocketURL) {
        redirects += 1
        closeStream()
        delegate.channel(self, didReport: .redirected(to: next))
        url = next
        phase = .idle
        startAttempt()
    }

    /// The upgrade succeeded: the stream and the open connection go to the engine, with any
    /// frames the server sent right behind its 101 answer.
    private func opened(_ stream: ByteStream, _ acceptance: ClientHandshakeAcceptance) {
        let now = MonotonicClock.now()
        handshakeRoundTrip = now - upgradeSentAt
        loop.cancel(connectTimer)
        connectTimer = nil
        if let watch { loop.unwatch(watch) }
        watch = nil
        recorded.timings.opened = now
        recorded.connections = 1
        handshake = nil
        let heartbeat = options.pingInterval.flatMap { interval in
            interval > 0 && (options.pingTimeout ?? interval) > 0
                ? HeartbeatSchedule(interval: interval, timeout: options.pingTimeout) : nil
        }
        let engine = ConnectionEngine(loop: loop, stream: stream, connection: acceptance.connection, readBuffer: readBuffer,
                                      highWaterMark: options.outgoingHighWaterMark, heartbeat: heartbeat,
                                      delegate: self)
        phase = .open(engine)
        if readingPaused { engine.pauseReading() }
        delegate.channelDidOpen(self, result: acceptance.result)
        guard case .open = phase else { return }
        engine.start(earlyInput: acceptance.leftover)
    }

    // MARK: - ConnectionEngineDelegate

    func engine(_ engine: ConnectionEngine, didReceive event: WebSocketEvent) {
        delegate.source(self, didReceive: event)
    }

    func engine(_ engine: ConnectionEngine, didReceive events: inout ReceivedEvents) {
        delegate.source(self, didReceive: &events)
    }

    func engineCanAcceptMoreOutput(_ engine: ConnectionEngine) {
        delegate.sourceCanAcceptMoreOutput(self)
    }

    func engine(_ engine: ConnectionEngine, didFinish outcome: ConnectionOutcome) {
        finish(outcome)
    }

    // MARK: - Ending

    private func fail(_ error: TransportError) {
        finish(.failed(error))
    }

    /// Closes what `ending` (by default the current phase) holds open.
    private func closeStream(_ ending: Phase? = nil) {
        if let watch { loop.unwatch(watch) }
        watch = nil
        switch ending ?? phase {
        case let .establishing(connector): connector.cancel()
        case let .upgrading(stream): stream.close()
        case let .open(engine):
            // Kept for its counts. An engine still running is stopped; it reports its end
            // back to `finish`, which has already left this phase.
            lastEngine = engine
            engine.abort(.abnormalClosure(.aborted(.connectionDropped)))
        case .idle, .finished: break
        }
    }

    /// Reports `outcome` once. The phase is left first, so that an engine stopped here, which
    /// reports its own end back, finds the client already finished.
    private func finish(_ outcome: ConnectionOutcome) {
        let ending = phase
        if case .finished = ending { return }
        phase = .finished
        closeStream(ending)
        loop.cancel(connectTimer)
        loop.cancel(bodyTimer)
        delegate.source(self, didFinish: outcome)
    }

    /// Timers capture this client unowned (see `delegate`): none may outlive it.
    deinit {
        for timer in [connectTimer, bodyTimer] {
            loop.cancel(timer)
        }
        if let watch { loop.unwatch(watch) }
    }
}

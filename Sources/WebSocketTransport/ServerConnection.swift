import WebSocketCore

/// One client of a `WebSocketServer`: on a TLS server, completes the TLS handshake first; feeds
/// the upgrade request to the core's `ServerHandshakeMachine` and writes its answer (101, or a
/// 400/426 with the reason), then hands the stream and the open connection to a
/// `ConnectionEngine`, which runs it until the close handshake ends. Driven by the server's poll loop; never blocks it.
public final class ServerConnection: ConnectionEngineDelegate {
    private enum Phase {
        /// The TLS handshake (a TLS server only), under the same deadline as the upgrade.
        case securing(TLSStream)
        case handshaking
        /// Writing a refusal; then the write side is shut and the rest of the request drained.
        case rejecting
        case open(ConnectionEngine)
        case finished
    }

    /// 1 for the first connection the server accepted, then 2, 3, …
    public let id: Int
    /// The client's address and port.
    public let peer: SocketEndpoint
    /// The accepted request, once the handshake succeeded.
    public private(set) var handshake: ServerHandshake?
    /// The subject of the client's certificate (RFC 2253), verified against the server's CA
    /// file; nil without TLS or when no certificate was asked for.
    public private(set) var clientCertificateSubject: String?

    private let loop: EventLoop
    /// The accepted socket, or TLS over it once `start` set that up.
    private var stream: ByteStream
    private let tls: TLSContext?
    private let options: ServerOptions
    private let scratch: ReadScratch
    private weak var server: WebSocketServer?
    /// Why reading is paused (`pauseReading(for:)`); empty: reading.
    private var readingPauses: ReadingPauses = []

    private var phase: Phase = .handshaking
    private var watch: WatchID?
    private var handshakeTimer: TimerID?
    private var lingerTimer: TimerID?
    /// The opening handshake's rules (the core's machine), fed every byte read until it decides.
    private var handshakeMachine: ServerHandshakeMachine
    /// The refusal, not yet written.
    private var refusalOutput: [UInt8] = []

    init(id: Int, peer: SocketEndpoint, fd: Int32, loop: EventLoop, options: ServerOptions, tls: TLSContext?,
         scratch: ReadScratch, server: WebSocketServer) {
        self.id = id
        self.peer = peer
        self.stream = TCPStream(connectedSocket: fd)
        self.tls = tls
        self.loop = loop
        self.options = options
        self.scratch = scratch
        self.server = server
        // Pongs obey the high-water mark that data obeys: past it, unwritten pongs coalesce.
        var configuration = options.configuration
        configuration.pongCoalescingThreshold = options.outgoingHighWaterMark
        self.handshakeMachine = ServerHandshakeMachine(supportedSubprotocols: options.subprotocols,
                                                       perMessageDeflate: options.perMessageDeflate,
                                                       configuration: configuration)
    }

    func start() {
        let timeout = options.handshakeTimeout
        // One deadline for the TLS handshake and the upgrade: a client that connects and says
        // nothing is dropped either way.
        handshakeTimer = loop.schedule(after: timeout) { [weak self] in
            self?.failHandshake(.timedOut(timeout))
        }
        watch = loop.watch(stream.fileDescriptor, for: .readable) { [unowned self] readiness in
            self.handleReadiness(readiness)
        }
        if let tls, let tcp = stream as? TCPStream {
            do throws(TransportError) {
                let secure = try TLSStream(accepted: tcp, context: tls, peer: peer.description)
                stream = secure
                phase = .securing(secure)
            } catch {
                failHandshake(.tlsFailed(error))
            }
        }
    }

    // MARK: - Public API

    public var isOpen: Bool {
        if case let .open(engine) = phase { return engine.isOpen }
        return false
    }

    /// The permessage-deflate parameters agreed with this client; nil when not in use.
    public var perMessageDeflate: PerMessageDeflateParameters? {
        if case let .open(engine) = phase { return engine.perMessageDeflate }
        return nil
    }

    /// Bytes accepted by `send…` (and the 101 answer) but not yet written to the socket.
    public var bufferedAmount: Int {
        if case let .open(engine) = phase { return engine.bufferedAmount }
        return refusalOutput.count
    }

    /// Whether the caller should stop producing messages for this client until the server's
    /// delegate hears `connectionCanAcceptMoreOutput`.
    public var isAboveHighWaterMark: Bool {
        if case let .open(engine) = phase { return engine.isAboveHighWaterMark }
        return false
    }

    public func sendText(_ utf8: UnsafeRawBufferPointer) throws(SendError) {
        guard case let .open(engine) = phase else { throw .connectionClosed }
        try engine.sendText(utf8)
    }

    public func sendBinary(_ bytes: UnsafeRawBufferPointer) throws(SendError) {
        guard case let .open(engine) = phase else { throw .connectionClosed }
        try engine.sendBinary(bytes)
    }

    public func sendPing(_ payload: [UInt8]) throws(SendError) {
        guard case let .open(engine) = phase else { throw .connectionClosed }
        try engine.sendPing(payload)
    }

    /// Stops reading this client's messages for `reason` (its echo would not fit in the
    /// outgoing buffer, the server's output is full, its command is not reading) until every
    /// reason has been withdrawn with `resumeReading(for:)`; TCP flow control then slows the
    /// client down. Before the connection is open there is nothing to pause.
    public func pauseReading(for reason: ReadingPauses) {
        guard case let .open(engine) = phase else { return }
        readingPauses.insert(reason)
        engine.pauseReading()
    }

    /// Withdraws `reason`; reading resumes when no other reason is left.
    public func resumeReading(for reason: ReadingPauses) {
        guard case let .open(engine) = phase, !readingPauses.isDisjoint(with: reason) else { return }
        readingPauses.subtract(reason)
        if readingPauses.isEmpty { engine.resumeReading() }
    }

    /// Starts the close handshake; `didFinish` follows when the client answers, or with
    /// `.closeTimeout` after `timeout` seconds. A connection still in its handshake is dropped.
    public func close(code: UInt16 = 1000, reason: String = "", timeout: Double) {
        switch phase {
        case let .open(engine): engine.close(code: code, reason: reason, timeout: timeout)
        case .securing, .handshaking, .rejecting: finishQuietly()
        case .finished: break
        }
    }

    /// Drops the connection at once, without a close handshake.
    public func abort(_ outcome: ConnectionOutcome) {
        switch phase {
        case let .open(engine): engine.abort(outcome)
        case .securing, .handshaking, .rejecting: finishQuietly()
        case .finished: break
        }
    }

    // MARK: - Handshake

    private func handleReadiness(_ readiness: IOReadiness) {
        switch phase {
        case let .securing(secure):
            continueTLSHandshake(secure)
        case .handshaking:
            readRequest()
        case .rejecting:
            if readiness.contains(.writable) { writeRefusal() }
            if readiness.contains(.readable), case .rejecting = phase { drainAfterRefusal() }
        case .open, .finished:
            break
        }
    }

    private func setInterest(_ interest: IOInterest) {
        if let watch { loop.update(watch, interest: interest) }
    }

    private func continueTLSHandshake(_ secure: TLSStream) {
        do throws(TransportError) {
            if let interest = try secure.handshakeStep() {
                setInterest(interest)
                return
            }
        } catch {
            failHandshake(.tlsFailed(error))
            return
        }
        clientCertificateSubject = secure.peerCertificateSubject
        phase = .handshaking
        setInterest(.readable)
        // The request may have come with the handshake's last flight, already read by OpenSSL.
        readRequest()
    }

    /// Feeds what the client sent to the handshake machine until it decides. More than one read
    /// only while TLS holds decrypted bytes poll cannot see; the machine refuses a head over
    /// 16 KiB, so this ends.
    private func readRequest() {
        repeat {
            let step: ServerHandshakeStep
            switch scratch.fill(from: stream) {
            case let .success(.bytes(n)):
                step = scratch.bytes.withUnsafeBytes { handshakeMachine.feed(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            case .success(.endOfStream):
                step = handshakeMachine.receiveEndOfStream()
            case let .success(.wouldBlock(interest)):
                // TLS may need to write before it can read on.
                setInterest(interest)
                return
            case let .failure(error):
                failHandshake(.readFailed(error))
                return
            }
            switch step {
            case .needMoreBytes:
                continue
            case let .accept(acceptance):
                open(acceptance)
            case let .reject(error):
                refuse(error)
            case let .abandoned(abandonment):
                failHandshake(.abandoned(abandonment))
            }
            return
        } while stream.hasBufferedInput
    }

    /// Answers 101 (the machine negotiated permessage-deflate when the client offered it and it
    /// is enabled) and hands the stream to the engine, with any frames the client pipelined
    /// behind its request.
    private func open(_ acceptance: ServerHandshakeAcceptance) {
        loop.cancel(handshakeTimer)
        handshakeTimer = nil
        if let watch { loop.unwatch(watch) }
        watch = nil
        handshake = acceptance.handshake
        let engine = ConnectionEngine(
            loop: loop, stream: stream, connection: acceptance.connection, readBuffer: scratch,
            highWaterMark: options.outgoingHighWaterMark, heartbeat: nil, preamble: acceptance.response,
            delegate: self)
        phase = .open(engine)
        server?.connectionDidOpen(self)
        guard case .open = phase else { return }
        engine.start(earlyInput: acceptance.leftover)
    }

    private func refuse(_ error: ServerHandshakeError) {
        loop.cancel(handshakeTimer)
        handshakeTimer = nil
        phase = .rejecting
        refusalOutput = error.rejectionResponseBytes
        // Bounds the whole refusal: writing it, and waiting for the client to hang up.
        lingerTimer = loop.schedule(after: 2) { [weak self] in self?.finishQuietly() }
        server?.connectionDidFailHandshake(self, failure: .rejected(error))
        writeRefusal()
    }

    private func writeRefusal() {
        do throws(TransportError) {
            while !refusalOutput.isEmpty {
                let result = try refusalOutput.withBytes { (raw) throws(TransportError) in try stream.write(raw) }
                guard case let .bytes(n) = result else {
                    setInterest([.readable, .writable])
                    return
                }
                refusalOutput.removeFirst(n)
            }
        } catch {
            finishQuietly()
            return
        }
        // Everything is written: say so with a FIN, and read until the client hangs up, so the
        // kernel does not answer its unread request bytes with a reset that could destroy
        // our answer before the client reads it.
        stream.shutdownWrite()
        setInterest(.readable)
    }

    private func drainAfterRefusal() {
        for _ in 0..<16 {
            switch scratch.fill(from: stream) {
            case .success(.bytes):
                continue
            case .success(.endOfStream), .failure:
                finishQuietly()
                return
            case .success(.wouldBlock):
                return
            }
        }
    }

    private func failHandshake(_ failure: HandshakeFailure) {
        switch phase {
        case .securing, .handshaking: break
        case .rejecting, .open, .finished: return
        }
        server?.connectionDidFailHandshake(self, failure: failure)
        finishQuietly()
    }

    // MARK: - ConnectionEngineDelegate

    func engine(_ engine: ConnectionEngine, didReceive event: WebSocketEvent) {
        // How the connection ended is reported once, by `didFinish`.
        guard event.isMessage else { return }
        server?.connection(self, didReceive: event)
    }

    func engine(_ engine: ConnectionEngine, didReceive events: inout ReceivedEvents) {
        // The weak reference is loaded once per read, not once per message (each load takes the
        // runtime's slow path for weak references). Without a server the events are dropped
        // one by one (the engine hands over what is left untaken).
        guard let server else { return }
        server.connection(self, didReceive: &events)
    }

    func engineCanAcceptMoreOutput(_ engine: ConnectionEngine) {
        server?.connectionCanAcceptMoreOutput(self)
    }

    func engine(_ engine: ConnectionEngine, didFinish outcome: ConnectionOutcome) {
        phase = .finished
        loop.cancel(lingerTimer)
        // The server drops its reference here; stay alive until this call returns.
        withExtendedLifetime(self) {
            server?.connection(self, didFinish: outcome)
        }
    }

    // MARK: - Ending

    /// Ends a connection that never opened (its failure was already reported).
    private func finishQuietly() {
        switch phase {
        case .securing, .handshaking, .rejecting:
            phase = .finished
            if let watch { loop.unwatch(watch) }
            watch = nil
            loop.cancel(handshakeTimer)
            loop.cancel(lingerTimer)
            stream.close()
            withExtendedLifetime(self) {
                server?.connectionDidEnd(self)
            }
        case let .open(engine):
            engine.abort(.abnormalClosure(.aborted(.connectionDropped)))
        case .finished:
            break
        }
    }
}

/// The read buffer the server's connections share: the loop runs one handler at a time, and
/// every read is consumed (copied into events or the request) before the handler returns.
final class ReadScratch {
    @exclusivity(unchecked) var bytes = [UInt8](repeating: 0, count: 256 * 1024)

    /// One non-blocking read from `stream` into `bytes`; a failed read is the `.failure`, so
    /// callers handle it beside the other results in one switch.
    func fill(from stream: ByteStream) -> Result<StreamResult, TransportError> {
        do throws(TransportError) {
            return .success(try bytes.withMutableBytes { (raw) throws(TransportError) in try stream.read(into: raw) })
        } catch {
            return .failure(error)
        }
    }
}

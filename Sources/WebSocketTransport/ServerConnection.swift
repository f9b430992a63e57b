import WebSocketCore

/// Why an accepted TCP connection never became a WebSocket.
public enum HandshakeFailure: Equatable, Sendable, CustomStringConvertible {
    /// The request broke RFC 6455 4.2.1; the client was sent `rejectionResponseBytes`.
    case rejected(ServerHandshakeError)
    /// No complete request arrived within the handshake timeout.
    case timedOut(Double)
    /// The client hung up (or the socket failed) before its request was complete.
    case disconnected(String)

    public var description: String {
        switch self {
        case let .rejected(error):
            return "rejected with \(error.statusCode): \(error.reason)"
        case let .timedOut(seconds):
            return "no complete upgrade request within \(formatSeconds(seconds)); dropped"
        case let .disconnected(reason):
            return reason
        }
    }
}

/// One client of a `WebSocketServer`: reads the upgrade request, answers it (101, or a 400/426
/// with the reason), then moves frames for a `WebSocketConnection(role: .server)` until the
/// close handshake ends. Driven by the server's poll loop; never blocks it.
public final class ServerConnection {
    private enum Phase {
        case handshaking
        /// Writing a refusal; then the write side is shut and the rest of the request drained.
        case rejecting
        case open
        case finished
    }

    /// 1 for the first connection the server accepted, then 2, 3, …
    public let id: Int
    /// The client's address and port.
    public let peer: SocketEndpoint
    /// The accepted request, once the handshake succeeded.
    public private(set) var handshake: ServerHandshake?

    private let loop: EventLoop
    private let stream: TCPStream
    private let options: ServerOptions
    private let scratch: ReadScratch
    private weak var server: WebSocketServer?

    private var phase: Phase = .handshaking
    private var watch: WatchID?
    private var handshakeTimer: TimerID?
    private var closeTimer: TimerID?
    private var lingerTimer: TimerID?
    private var connection: WebSocketConnection
    /// Request bytes received so far, and any frames that followed them.
    private var handshakeInput: [UInt8] = []
    /// The 101 answer or the refusal, not yet written.
    private var handshakeOutput: [UInt8] = []
    private var events: [WebSocketEvent] = []
    private var pendingOutcome: ConnectionOutcome?
    private var throttled = false
    private var readingPaused = false

    init(id: Int, peer: SocketEndpoint, fd: Int32, loop: EventLoop, options: ServerOptions,
         scratch: ReadScratch, server: WebSocketServer) {
        self.id = id
        self.peer = peer
        self.stream = TCPStream(connectedSocket: fd)
        self.loop = loop
        self.options = options
        self.scratch = scratch
        self.server = server
        self.connection = WebSocketConnection(role: .server, configuration: options.configuration)
    }

    func start() {
        let timeout = options.handshakeTimeout
        handshakeTimer = loop.schedule(after: timeout) { [weak self] in
            guard let self, case .handshaking = self.phase else { return }
            self.failHandshake(.timedOut(timeout))
        }
        watch = loop.watch(stream.fileDescriptor, for: .readable) { [unowned self] readiness in
            self.handleReadiness(readiness)
        }
    }

    // MARK: - Public API

    public var isOpen: Bool {
        if case .open = phase, connection.state == .open { return true }
        return false
    }

    /// Bytes accepted by `send…` but not yet written to the socket.
    public var bufferedAmount: Int { connection.pendingOutgoingCount + handshakeOutput.count }

    /// Whether the caller should stop producing messages for this client until the server's
    /// delegate hears `connectionCanAcceptMoreOutput`.
    public var isAboveHighWaterMark: Bool { bufferedAmount >= options.outgoingHighWaterMark }

    public func sendText(_ utf8: UnsafeRawBufferPointer) throws(SendError) {
        guard case .open = phase else { throw .connectionClosed }
        try connection.sendText(utf8)
        scheduleFlush()
    }

    public func sendBinary(_ bytes: UnsafeRawBufferPointer) throws(SendError) {
        guard case .open = phase else { throw .connectionClosed }
        try connection.sendBinary(bytes)
        scheduleFlush()
    }

    public func sendPing(_ payload: [UInt8]) throws(SendError) {
        guard case .open = phase else { throw .connectionClosed }
        try connection.sendPing(payload)
        flush()
    }

    /// Writes once the loop has finished its current round: a chunk of stdin lines, or a
    /// burst of echoes, then leaves in one write instead of one system call per message.
    private func scheduleFlush() {
        // Noted now, not at the flush: the caller may pause on `isAboveHighWaterMark` at once,
        // and the flush may then drain everything in one write; it must still hear that it can go on.
        if isAboveHighWaterMark { throttled = true }
        guard case .open = phase, let watch, !loop.interest(of: watch).contains(.writable) else { return }
        loop.update(watch, interest: readingPaused ? .writable : [.readable, .writable])
    }

    /// Stops reading this client's messages (its echo would not fit in the outgoing buffer);
    /// TCP flow control then slows the client down.
    public func pauseReading() {
        readingPaused = true
        settleWatch()
    }

    public func resumeReading() {
        guard readingPaused else { return }
        readingPaused = false
        settleWatch()
    }

    /// Starts the close handshake; `didFinish` follows when the client answers, or with
    /// `.closeTimeout` after `timeout` seconds. A connection still in its handshake is dropped.
    public func close(code: UInt16 = 1000, reason: String = "", timeout: Double) {
        switch phase {
        case .open:
            guard connection.state == .open else { return }
            do {
                try connection.close(code: code, reason: reason)
            } catch {
                return
            }
            // The client's close frame must still be read, even if its echo was paused.
            readingPaused = false
            closeTimer = loop.schedule(after: timeout) { [weak self] in
                self?.finish(.closeTimeout(timeout))
            }
            flush()
        case .handshaking, .rejecting:
            finishQuietly()
        case .finished:
            break
        }
    }

    /// Drops the connection at once, without a close handshake.
    public func abort(_ outcome: ConnectionOutcome) {
        switch phase {
        case .open: finish(outcome)
        case .handshaking, .rejecting: finishQuietly()
        case .finished: break
        }
    }

    // MARK: - Readiness

    private func handleReadiness(_ readiness: IOReadiness) {
        switch phase {
        case .handshaking:
            readRequest()
        case .rejecting:
            if readiness.contains(.writable) { writeRefusal() }
            if readiness.contains(.readable), case .rejecting = phase { drainAfterRefusal() }
        case .open:
            if readiness.contains(.readable) && !readingPaused { readOpen() }
            if case .open = phase { flush() }
        case .finished:
            break
        }
    }

    private func setInterest(_ interest: IOInterest) {
        if let watch { loop.update(watch, interest: interest) }
    }

    // MARK: - Handshake

    private func readRequest() {
        let result: StreamResult
        do throws(TransportError) {
            result = try scratch.bytes.withMutableBytes { (raw) throws(TransportError) in try stream.read(into: raw) }
        } catch {
            failHandshake(.disconnected(error.description))
            return
        }
        switch result {
        case let .bytes(n):
            handshakeInput.append(contentsOf: scratch.bytes[0..<n])
        case .endOfStream:
            failHandshake(.disconnected(handshakeInput.isEmpty
                ? "closed the connection without sending a request"
                : "closed the connection before the upgrade request was complete"))
            return
        case .wouldBlock:
            return
        }
        let parsed: (HTTPRequestHead, consumed: Int)?
        do throws(ServerHandshakeError) {
            parsed = try handshakeInput.withBytes { (raw) throws(ServerHandshakeError) in try HTTPHeadParser.parseRequest(raw) }
        } catch {
            refuse(error)
            return
        }
        guard let (head, consumed) = parsed else { return }
        handshakeInput.removeFirst(consumed)
        let accepted: ServerHandshake
        do throws(ServerHandshakeError) {
            accepted = try ServerHandshake(request: head, supportedSubprotocols: options.subprotocols)
        } catch {
            refuse(error)
            return
        }
        open(accepted)
    }

    private func open(_ accepted: ServerHandshake) {
        loop.cancel(handshakeTimer)
        handshakeTimer = nil
        handshake = accepted
        let deflate = options.perMessageDeflate?.negotiate(accepted.offeredExtensions)
        handshakeOutput = accepted.responseBytes(extensions: deflate.map { [$0.response] } ?? [])
        connection.handshakeCompleted(perMessageDeflate: deflate?.parameters)
        phase = .open
        server?.connectionDidOpen(self)
        // A client may pipeline frames right behind its request.
        if case .open = phase, !handshakeInput.isEmpty {
            let early = handshakeInput
            handshakeInput.removeAll()
            early.withUnsafeBytes { process($0) }
        }
        if case .open = phase { flush() }
    }

    private func refuse(_ error: ServerHandshakeError) {
        loop.cancel(handshakeTimer)
        handshakeTimer = nil
        phase = .rejecting
        handshakeInput.removeAll()
        handshakeOutput = error.rejectionResponseBytes
        // Bounds the whole refusal: writing it, and waiting for the client to hang up.
        lingerTimer = loop.schedule(after: 2) { [weak self] in self?.finishQuietly() }
        server?.connectionDidFailHandshake(self, failure: .rejected(error))
        writeRefusal()
    }

    private func writeRefusal() {
        do throws(TransportError) {
            while !handshakeOutput.isEmpty {
                let result = try handshakeOutput.withBytes { (raw) throws(TransportError) in try stream.write(raw) }
                guard case let .bytes(n) = result else {
                    setInterest([.readable, .writable])
                    return
                }
                handshakeOutput.removeFirst(n)
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
            let result: StreamResult
            do throws(TransportError) {
                result = try scratch.bytes.withMutableBytes { (raw) throws(TransportError) in try stream.read(into: raw) }
            } catch {
                finishQuietly()
                return
            }
            switch result {
            case .bytes:
                continue
            case .endOfStream:
                finishQuietly()
                return
            case .wouldBlock:
                return
            }
        }
    }

    private func failHandshake(_ failure: HandshakeFailure) {
        guard case .handshaking = phase else { return }
        server?.connectionDidFailHandshake(self, failure: failure)
        finishQuietly()
    }

    // MARK: - Open connection

    private func readOpen() {
        var rounds = 0
        while rounds < 64 {
            rounds += 1
            let result: StreamResult
            do throws(TransportError) {
                result = try scratch.bytes.withMutableBytes { (raw) throws(TransportError) in try stream.read(into: raw) }
            } catch {
                endOfStream(.transportFailed(error))
                return
            }
            switch result {
            case let .bytes(n):
                scratch.bytes.withUnsafeBytes { raw in process(UnsafeRawBufferPointer(rebasing: raw[0..<n])) }
                guard case .open = phase, !readingPaused else { return }
            case .endOfStream:
                endOfStream(.peerEndedStream)
                return
            case .wouldBlock:
                return
            }
        }
        // Still more to read: let stdin, other clients and timers have a turn first.
        loop.schedule(after: 0) { [weak self] in
            guard let self, case .open = self.phase, !self.readingPaused else { return }
            self.readOpen()
            if case .open = self.phase { self.flush() }
        }
    }

    /// Feeds received bytes to the connection one event at a time, so that what the delegate
    /// sends in answer to a message (an echo) is queued before anything a later frame of the
    /// same read causes: the reply to a close frame that arrived together with the client's
    /// last messages, or the close frame of a protocol violation.
    private func process(_ bytes: UnsafeRawBufferPointer) {
        var offset = 0
        repeat {
            events.removeAll(keepingCapacity: true)
            offset += connection.receive(UnsafeRawBufferPointer(rebasing: bytes[offset...]), into: &events,
                                         stoppingAfterEvent: true)
            dispatchEvents()
            if case .finished = phase { return }
        } while offset < bytes.count
    }

    private func endOfStream(_ cause: AbnormalClosure) {
        events.removeAll(keepingCapacity: true)
        connection.receiveEndOfStream(into: &events)
        dispatchEvents()
        if case .finished = phase { return }
        finish(pendingOutcome ?? .abnormalClosure(cause))
    }

    private func dispatchEvents() {
        // Delegate calls may send on this connection, so work on a copy of the list.
        let batch = events
        for event in batch {
            switch event {
            case .text, .binary, .ping, .pong:
                server?.connection(self, didReceive: event)
            case let .closed(code, reason, initiatedByPeer):
                loop.cancel(closeTimer)
                pendingOutcome = .closed(code: code, reason: reason, initiatedByPeer: initiatedByPeer)
            case let .protocolViolation(violation):
                pendingOutcome = .protocolViolation(violation)
                // Give the close frame a bounded chance to reach the client.
                loop.cancel(closeTimer)
                closeTimer = loop.schedule(after: 1) { [weak self] in
                    self?.finish(.protocolViolation(violation))
                }
            case .abnormalClosure:
                // Only end of stream reports it, and endOfStream(_:) finishes with its cause.
                break
            }
            if case .finished = phase { return }
        }
    }

    /// Writes the 101 answer and as much of the outgoing frames as the socket takes, then
    /// settles the watch; closes the socket once the close handshake is over and written.
    private func flush() {
        guard case .open = phase else { return }
        var blocked = false
        do throws(TransportError) {
            while !handshakeOutput.isEmpty {
                let result = try handshakeOutput.withBytes { (raw) throws(TransportError) in try stream.write(raw) }
                guard case let .bytes(n) = result else {
                    blocked = true
                    break
                }
                handshakeOutput.removeFirst(n)
            }
        } catch {
            finish(pendingOutcome ?? .abnormalClosure(.transportFailed(error)))
            return
        }
        while !blocked && connection.pendingOutgoingCount > 0 {
            let result: Result<StreamResult, TransportError> = connection.withPendingOutgoing { raw in
                do throws(TransportError) { return .success(try stream.write(raw)) } catch { return .failure(error) }
            }
            switch result {
            case let .success(.bytes(n)):
                connection.consumeOutgoing(n)
            case .success(.wouldBlock), .success(.endOfStream):
                blocked = true
            case let .failure(error):
                finish(pendingOutcome ?? .abnormalClosure(.transportFailed(error)))
                return
            }
        }
        if bufferedAmount == 0 && connection.state == .closed {
            // The server closes the TCP connection first (RFC 6455 7.1.1).
            finish(pendingOutcome ?? .closed(code: nil, reason: "", initiatedByPeer: false))
            return
        }
        settleWatch()
        if isAboveHighWaterMark {
            throttled = true
        } else if throttled && bufferedAmount <= options.outgoingHighWaterMark / 2 {
            throttled = false
            server?.connectionCanAcceptMoreOutput(self)
        }
    }

    private func settleWatch() {
        guard case .open = phase else { return }
        var interest: IOInterest = readingPaused ? [] : .readable
        if bufferedAmount > 0 { interest.insert(.writable) }
        setInterest(interest)
    }

    // MARK: - Ending

    private func closeSocket() {
        if let watch { loop.unwatch(watch) }
        watch = nil
        loop.cancel(handshakeTimer)
        loop.cancel(closeTimer)
        loop.cancel(lingerTimer)
        stream.close()
    }

    /// Ends an opened connection and reports how.
    private func finish(_ outcome: ConnectionOutcome) {
        guard case .open = phase else { return }
        phase = .finished
        closeSocket()
        // The server drops its reference here; stay alive until this call returns.
        withExtendedLifetime(self) {
            server?.connection(self, didFinish: outcome)
        }
    }

    /// Ends a connection that never opened (its failure was already reported).
    private func finishQuietly() {
        switch phase {
        case .handshaking, .rejecting:
            phase = .finished
            closeSocket()
            withExtendedLifetime(self) {
                server?.connectionDidEnd(self)
            }
        case .open:
            finish(.abnormalClosure(.aborted("connection dropped")))
        case .finished:
            break
        }
    }
}

/// The read buffer the server's connections share: the loop runs one handler at a time, and
/// every read is consumed (copied into events or the request) before the handler returns.
final class ReadScratch {
    var bytes = [UInt8](repeating: 0, count: 256 * 1024)
}

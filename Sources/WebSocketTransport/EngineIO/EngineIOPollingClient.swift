import WebSocketCore
import SocketIO

/// Engine.IO v4 over HTTP long-polling, upgraded to WebSocket when the server offers it: a
/// `MessageChannel` whose messages are Engine.IO packets, text or binary, exactly as they
/// travel in WebSocket messages, so the Socket.IO layer above is the same on both transports.
///
/// The protocol's decisions (what to GET, POST and probe, when to upgrade) are the pure
/// `EngineIOPollingSession`'s; this class performs them: one keep-alive connection for the
/// outstanding GET, one for the POSTs (both through `StreamConnector`: TCP, proxy, TLS), and a
/// `WebSocketClient` for the probe, which becomes the transport after the upgrade. Cookies the
/// server sets (sticky sessions behind load balancers) go back with every request, the probe
/// included. With `upgrades`, a server that refuses polling with 400 gets a WebSocket at once.
public final class EngineIOPollingClient: MessageChannel, MessageChannelDelegate {
    public private(set) var url: WebSocketURL
    private let loop: EventLoop
    private let options: ConnectionOptions
    private let tlsContext: TLSContext?
    private unowned let delegate: any MessageChannelDelegate
    private var session: EngineIOPollingSession
    private let poller: KeepAliveHTTPConnection
    private let poster: KeepAliveHTTPConnection
    /// The upgrade probe, until it is answered or fails.
    private var probe: WebSocketClient?
    /// The transport after the upgrade (or the fallback when polling is refused).
    private var webSocket: WebSocketClient?
    /// Makes `bytesWritten` continue across the upgrade: the WebSocket counts its own bytes.
    private var webSocketBase = 0
    /// The server refused polling: `webSocket` is a plain Engine.IO WebSocket connection.
    private var fellBack = false
    private var cookies: [(name: String, value: String)] = []
    private var opened = false
    private var finished = false
    private var closing = false
    private var throttled = false
    private var connectTimer: TimerID?
    private var readingPaused = false
    /// The next GET, waiting for `resumeReading()`.
    private var heldPoll: String?
    private var pollingStatistics = ConnectionStatistics()
    private var handshakeSentAt: Double = 0
    private var pollingHandshakeRoundTrip: Double?
    /// When the last HTTP answer arrived.
    private var pollingLastReadTime: Double = 0
    private var probeTimer: TimerID?
    private var closeTimer: TimerID?

    public init(loop: EventLoop, options: ConnectionOptions, polling: EngineIOPollingOptions, tlsContext: TLSContext?,
                delegate: any MessageChannelDelegate) {
        self.loop = loop
        self.options = options
        self.tlsContext = tlsContext
        self.delegate = delegate
        self.url = options.url
        self.session = EngineIOPollingSession(pollingResource: options.url.resource,
                                              webSocketResource: polling.webSocketResource, upgrades: polling.upgrades)
        let bodyLimit = options.configuration.maxMessageSize * 2 + 64 * 1024
        self.poller = KeepAliveHTTPConnection(loop: loop, options: options, tlsContext: tlsContext, maxBodySize: bodyLimit)
        self.poster = KeepAliveHTTPConnection(loop: loop, options: options, tlsContext: tlsContext, maxBodySize: bodyLimit)
    }

    // MARK: - MessageChannel

    public var isOpen: Bool {
        guard opened, !finished, !closing else { return false }
        return webSocket?.isOpen ?? true
    }

    public var bufferedAmount: Int {
        webSocket?.bufferedAmount ?? session.pendingBytes
    }

    public var bytesWritten: Int {
        if let webSocket { return webSocketBase + webSocket.bytesWritten }
        return session.confirmedBytes
    }

    public var retryAfter: Double? { webSocket?.retryAfter }

    /// The polling part's counts (packets as messages, no frame bytes), plus the WebSocket's
    /// after the upgrade or the fallback; one connection either way.
    public var statistics: ConnectionStatistics {
        var total = pollingStatistics
        if let webSocket {
            let upgraded = webSocket.statistics
            total.add(upgraded)
            if opened, !fellBack { total.connections -= upgraded.connections }
        }
        return total
    }

    public var handshakeRoundTrip: Double? {
        fellBack ? webSocket?.handshakeRoundTrip : pollingHandshakeRoundTrip
    }

    public var lastReadTime: Double {
        max(pollingLastReadTime, webSocket?.lastReadTime ?? 0)
    }

    public var isAboveHighWaterMark: Bool {
        let above = bufferedAmount >= options.outgoingHighWaterMark
        if above { throttled = true }
        return above
    }

    public func connect() {
        pollingStatistics.timings.started = MonotonicClock.now()
        let timeout = options.connectTimeout
        let host = url.host
        connectTimer = loop.schedule(after: timeout) { [weak self] in
            self?.finish(.failed(.connectTimeout(host: host, seconds: timeout)))
        }
        perform(session.start())
    }

    public func sendText(_ utf8: UnsafeRawBufferPointer) throws(SendError) {
        if fellBack, let webSocket { return try webSocket.sendText(utf8) }
        guard isOpen else { throw .connectionClosed }
        guard let text = String(validating: utf8, as: UTF8.self) else { throw .invalidUTF8 }
        countSent(utf8.count)
        perform(session.send(.text(text)))
    }

    public func sendBinary(_ bytes: UnsafeRawBufferPointer) throws(SendError) {
        if fellBack, let webSocket { return try webSocket.sendBinary(bytes) }
        guard isOpen else { throw .connectionClosed }
        countSent(bytes.count)
        perform(session.send(.binary(Array(bytes))))
    }

    /// A message sent over polling (after the upgrade the WebSocket counts its own).
    private func countSent(_ bytes: Int) {
        guard webSocket == nil else { return }
        pollingStatistics.messagesSent += 1
        pollingStatistics.payloadBytesSent += bytes
    }

    /// WebSocket pings exist only after the upgrade; Engine.IO's own heartbeat is data.
    public func sendPing(_ payload: [UInt8]) throws(SendError) {
        guard let webSocket else { throw .connectionClosed }
        try webSocket.sendPing(payload)
    }

    public func sendPong(_ payload: [UInt8]) throws(SendError) {
        guard let webSocket else { throw .connectionClosed }
        try webSocket.sendPong(payload)
    }

    /// Over polling, the next GET waits (the server keeps its packets meanwhile); after the
    /// upgrade, the WebSocket stops reading.
    public func pauseReading() {
        readingPaused = true
        webSocket?.pauseReading()
        probe?.pauseReading()
    }

    public func resumeReading() {
        readingPaused = false
        webSocket?.resumeReading()
        probe?.resumeReading()
        if let target = heldPoll {
            heldPoll = nil
            poll(target)
        }
    }

    /// Over WebSocket: its close handshake. Over polling: the Engine.IO close packet, POSTed
    /// after whatever is still queued; done when the server has taken it.
    public func close(code: UInt16, reason: String, timeout: Double) {
        guard !finished, !closing else { return }
        if let webSocket {
            webSocket.close(code: code, reason: reason, timeout: timeout)
            return
        }
        guard opened else {
            finish(.closed(code: nil, reason: "", initiatedByPeer: false))
            return
        }
        perform(session.send(.text(EngineIOPacket.close.encoded)))
        closing = true
        closeTimer = loop.schedule(after: timeout) { [weak self] in self?.finish(.closeTimeout(timeout)) }
        finishIfClosed()
    }

    public func abort(_ outcome: ConnectionOutcome) {
        finish(outcome)
    }

    // MARK: - Performing the session's actions

    private func perform(_ actions: [EngineIOPollingSession.Action]) {
        for action in actions {
            guard !finished else { return }
            switch action {
            case let .get(target):
                poll(target)
            case let .post(target, body):
                poster.send(request("POST", target, body: body)) { [weak self] result in self?.posted(result) }
            case let .probe(target):
                startProbe(target)
            case let .upgrade(flush):
                completeUpgrade(flushing: flush)
            case let .webSocket(item):
                sendOverWebSocket(item)
            }
        }
    }

    /// The GET that waits for the server's packets; held while reading is paused.
    private func poll(_ target: String) {
        guard !readingPaused else {
            heldPoll = target
            return
        }
        let bytes = request("GET", target, body: nil)
        if !opened {
            // The handshake request, for a trace like a WebSocket upgrade request.
            let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\r\n").map(String.init)
            delegate.source(self, willSendHandshake: lines)
            handshakeSentAt = MonotonicClock.now()
        }
        poller.send(bytes) { [weak self] result in self?.polled(result) }
    }

    private func request(_ method: String, _ target: String, body: [UInt8]?) -> [UInt8] {
        var headers: [(String, String)] = [("Accept", "*/*")]
        if let origin = options.origin { headers.append(("Origin", origin)) }
        if let credentials = options.credentials ?? url.credentials {
            headers.append(("Authorization", credentials.authorizationHeaderValue))
        }
        headers += requestHeaders().map { ($0.name, $0.value) }
        if body != nil { headers.append(("Content-Type", "text/plain;charset=UTF-8")) }
        return HTTPRequestEncoder.encode(method: method, target: target, host: url.hostHeader, headers: headers, body: body)
    }

    /// The user's headers, with the server's cookies added to (or as) the `Cookie` header.
    private func requestHeaders() -> HTTPHeaders {
        var headers = options.headers
        guard !cookies.isEmpty else { return headers }
        let jar = cookies.map { $0.name + "=" + $0.value }.joined(separator: "; ")
        // One Cookie field (RFC 6265 5.4): the user's cookies, then the server's.
        let given = headers.values(for: "Cookie")
        headers.removeAll(named: "Cookie")
        headers.append(name: "Cookie", value: (given + [jar]).joined(separator: "; "))
        return headers
    }

    /// `Set-Cookie: io=abc; Path=/; HttpOnly` → `io=abc`, replacing an earlier value.
    private func keepCookies(from head: HTTPResponseHead) {
        for value in head.headers.values(for: "Set-Cookie") {
            let pair = value.split(separator: ";", maxSplits: 1)[0]
            guard let equals = pair.firstIndex(of: "=") else { continue }
            let name = String(pair[..<equals]).trimmingCharacters(in: " ")
            let content = String(pair[pair.index(after: equals)...]).trimmingCharacters(in: " ")
            guard !name.isEmpty, !content.utf8.contains(where: { $0 < 0x20 }) else { continue }
            cookies.removeAll { $0.name == name }
            cookies.append((name, content))
        }
    }

    private func polled(_ result: Result<HTTPResponseReader.Response, TransportError>) {
        guard let response = accepted(result) else { return }
        let packets: [EngineIOPayload.Item]
        let actions: [EngineIOPollingSession.Action]
        do {
            (packets, actions) = try session.getCompleted(body: response.body)
        } catch {
            if !opened, session.upgrades {
                fallBackToWebSocket(refusal: .notEngineIO(error))
                return
            }
            lose(.aborted(.pollAnswerNotEngineIO(error)), beforeOpen: .failed(.io("not an Engine.IO server: \(error)")))
            return
        }
        if !opened {
            opened = true
            pollingStatistics.timings.opened = pollingLastReadTime
            pollingStatistics.connections = 1
            loop.cancel(connectTimer)
            connectTimer = nil
            delegate.channelDidOpen(self, result: HandshakeResult(subprotocol: nil, extensions: [], headers: response.head.headers))
            delegate.channel(self, didReport: .engineIO(.polling(probingUpgrade: session.phase == .probing)))
        }
        // The next GET, or the upgrade, first: what the packets make the layer above send
        // must find the transport it is due on (after the upgrade: the WebSocket, after `5`).
        perform(actions)
        for packet in packets {
            guard !finished else { return }
            if pollingStatistics.timings.firstMessage == nil { pollingStatistics.timings.firstMessage = pollingLastReadTime }
            pollingStatistics.messagesReceived += 1
            switch packet {
            case let .text(text):
                pollingStatistics.payloadBytesReceived += text.utf8.count
                delegate.source(self, didReceive: .text(Array(text.utf8)))
            case let .binary(bytes):
                pollingStatistics.payloadBytesReceived += bytes.count
                delegate.source(self, didReceive: .binary(bytes))
            }
        }
        if session.phase == .closed, !finished {
            finish(.closed(code: nil, reason: "", initiatedByPeer: true))
        }
    }

    private func posted(_ result: Result<HTTPResponseReader.Response, TransportError>) {
        guard accepted(result) != nil else { return }
        perform(session.postCompleted())
        if finishIfClosed() { return }
        if throttled, bufferedAmount < options.outgoingHighWaterMark / 2 {
            throttled = false
            delegate.sourceCanAcceptMoreOutput(self)
        }
    }

    /// The response, when it is a 200; otherwise the connection ends (or, for a refused first
    /// GET with `upgrades`, goes over WebSocket instead: the server may allow only that).
    private func accepted(_ result: Result<HTTPResponseReader.Response, TransportError>) -> HTTPResponseReader.Response? {
        guard !finished else { return nil }
        switch result {
        case let .failure(error):
            lose(.transportFailed(error), beforeOpen: .failed(error))
            return nil
        case let .success(response):
            pollingLastReadTime = MonotonicClock.now()
            if !opened {
                pollingHandshakeRoundTrip = pollingLastReadTime - handshakeSentAt
                delegate.source(self, didReceiveHandshake: response.head)
            }
            keepCookies(from: response.head)
            if response.head.statusCode == 200 { return response }
            let excerpt = String(decoding: response.body.prefix(200), as: UTF8.self)
            if !opened, session.upgrades {
                fallBackToWebSocket(refusal: .status(statusLine: response.head.statusLine, bodyExcerpt: excerpt))
                return nil
            }
            let rejection = HandshakeError.unexpectedStatus(statusLine: response.head.statusLine, location: response.head.location,
                                                            bodyExcerpt: excerpt)
            lose(.aborted(.pollRejected(statusLine: response.head.statusLine)),
                 beforeOpen: .failed(.handshakeRejected(rejection)))
            return nil
        }
    }

    /// After a close packet went out: finished once the server has taken everything.
    @discardableResult
    private func finishIfClosed() -> Bool {
        guard closing, webSocket == nil, session.isDrained else { return false }
        finish(.closed(code: nil, reason: "", initiatedByPeer: false))
        return true
    }

    // MARK: - Upgrade

    private func webSocketOptions(resource: String) -> ConnectionOptions {
        var probeOptions = options
        probeOptions.url.resource = resource
        probeOptions.headers = requestHeaders()
        return probeOptions
    }

    private func startProbe(_ target: String) {
        let client = WebSocketClient(loop: loop, options: webSocketOptions(resource: target), tlsContext: tlsContext, delegate: self)
        probe = client
        if readingPaused { client.pauseReading() }
        let timeout = options.connectTimeout
        probeTimer = loop.schedule(after: timeout) { [weak self] in
            self?.probeFailed(.timedOut(seconds: timeout))
        }
        client.connect()
    }

    private func probeFailed(_ failure: EngineIOProbeFailure) {
        guard let client = probe else { return }
        probe = nil
        loop.cancel(probeTimer)
        probeTimer = nil
        client.abort(.abnormalClosure(.aborted(.upgradeProbeFailed)))
        guard !finished else { return }
        delegate.channel(self, didReport: .engineIO(.upgradeFailed(failure)))
        perform(session.probeFailed())
    }

    private func completeUpgrade(flushing flush: [EngineIOPayload.Item]) {
        guard let client = probe else { return }
        probe = nil
        loop.cancel(probeTimer)
        probeTimer = nil
        webSocket = client
        poller.close()
        poster.close()
        sendOverWebSocket(.text(EngineIOPacket.upgrade.encoded))
        for item in flush { sendOverWebSocket(item) }
        webSocketBase = session.confirmedBytes - (client.bytesWritten + client.bufferedAmount)
        url = client.url
        delegate.channel(self, didReport: .engineIO(.upgraded))
    }

    private func fallBackToWebSocket(refusal: EngineIOPollingRefusal) {
        loop.cancel(connectTimer)
        connectTimer = nil
        poller.close()
        poster.close()
        delegate.channel(self, didReport: .engineIO(.pollingRefused(refusal)))
        let client = WebSocketClient(loop: loop, options: webSocketOptions(resource: session.webSocketResource),
                                     tlsContext: tlsContext, delegate: self)
        webSocket = client
        fellBack = true
        if readingPaused { client.pauseReading() }
        client.connect()
    }

    private func sendOverWebSocket(_ item: EngineIOPayload.Item) {
        guard let webSocket else { return }
        do throws(SendError) {
            switch item {
            case let .text(text): try Array(text.utf8).withBytes { (raw) throws(SendError) in try webSocket.sendText(raw) }
            case let .binary(bytes): try bytes.withBytes { (raw) throws(SendError) in try webSocket.sendBinary(raw) }
            }
        } catch {
            return   // the WebSocket is ending: its didFinish reports why
        }
    }

    // MARK: - MessageChannelDelegate (the probe, then the upgraded or fallback transport)

    public func channelDidOpen(_ channel: MessageChannel, result: HandshakeResult) {
        if channel === probe, let probe {
            sendProbe(probe)
        } else if channel === webSocket, let webSocket, !opened {
            opened = true
            url = webSocket.url
            delegate.channelDidOpen(self, result: result)
        }
    }

    private func sendProbe(_ client: WebSocketClient) {
        do throws(SendError) {
            try Array(EngineIOPacket.ping("probe").encoded.utf8).withBytes { (raw) throws(SendError) in try client.sendText(raw) }
        } catch {
            probeFailed(.notSent(error))
        }
    }

    public func source(_ channel: MessageChannel, didReceive event: WebSocketEvent) {
        if channel === probe {
            if case let .text(payload) = event, payload == Array(EngineIOPacket.pong("probe").encoded.utf8) {
                perform(session.probeSucceeded())
            }
            return
        }
        guard channel === webSocket else { return }
        delegate.source(self, didReceive: event)
    }

    public func sourceCanAcceptMoreOutput(_ channel: MessageChannel) {
        guard channel === webSocket else { return }
        delegate.sourceCanAcceptMoreOutput(self)
    }

    public func channel(_ channel: MessageChannel, didReport event: ChannelEvent) {
        delegate.channel(self, didReport: event)
    }

    public func source(_ channel: MessageChannel, didFinish outcome: ConnectionOutcome) {
        if channel === probe {
            probeFailed(.ended(outcome))
        } else if channel === webSocket {
            finish(outcome)
        }
    }

    public func source(_ channel: MessageChannel, willSendHandshake request: [String]) {
        delegate.source(self, willSendHandshake: request)
    }

    public func source(_ channel: MessageChannel, didReceiveHandshake response: HTTPResponseHead) {
        delegate.source(self, didReceiveHandshake: response)
    }

    // MARK: - The end

    /// The connection is lost: as `lost` once open, as `beforeOpen` while connecting.
    private func lose(_ lost: AbnormalClosure, beforeOpen: ConnectionOutcome) {
        finish(opened ? .abnormalClosure(lost) : beforeOpen)
    }

    private func finish(_ outcome: ConnectionOutcome) {
        guard !finished else { return }
        finished = true
        for timer in [connectTimer, probeTimer, closeTimer] { loop.cancel(timer) }
        poller.close()
        poster.close()
        probe?.abort(.abnormalClosure(.aborted(.engineIOSessionEnded)))
        probe = nil
        if let webSocket, webSocket.isOpen { webSocket.abort(outcome) }
        delegate.source(self, didFinish: outcome)
    }
}

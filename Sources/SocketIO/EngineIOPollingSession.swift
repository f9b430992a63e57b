/// The Engine.IO v4 client over HTTP long-polling, and its upgrade to WebSocket, without I/O:
/// told what happened (a GET or POST answered, the probe answered), it says what to send next.
///
/// Polling: a GET without `sid` opens the session (the answer's first packet is the open
/// packet); then one GET is always outstanding (the server answers it when it has packets, or
/// with a ping), and the packets to send leave in one POST at a time, those queued meanwhile
/// together in the next. Upgrade (when asked for and the server offers `websocket`): a
/// WebSocket opens with the sid and sends `2probe`; once `3probe` is back, polling pauses (no
/// new GET or POST; the server ends the outstanding GET with a noop), and when nothing is in
/// flight the `5` upgrade packet goes over the WebSocket, followed by what was queued meanwhile.
/// From then on every packet goes over the WebSocket, so none is lost or sent twice.
public struct EngineIOPollingSession: Sendable {
    public enum Phase: Sendable, Equatable {
        /// The first GET, without a sid, is out.
        case handshaking
        /// Open over polling.
        case polling
        /// Polling, and a WebSocket probe is under way.
        case probing
        /// The probe was answered: waiting for the GET and POST in flight to end.
        case pausing
        /// Everything goes over the WebSocket.
        case upgraded
        /// The server closed the session (a `1` packet).
        case closed
    }

    public enum Action: Sendable, Equatable {
        case get(target: String)
        case post(target: String, body: [UInt8])
        /// Open a WebSocket at `target` and send `2probe` on it.
        case probe(target: String)
        /// Polling is over: send `5` on the WebSocket, then these packets, held while pausing.
        case upgrade(flush: [EngineIOPayload.Item])
        /// Send this packet on the WebSocket (after the upgrade).
        case webSocket(EngineIOPayload.Item)
    }

    public private(set) var phase = Phase.handshaking
    public private(set) var handshake: EngineIOHandshake?
    /// Bytes of packets (as encoded in a payload) the server has taken: their POST was answered.
    public private(set) var confirmedBytes = 0
    private let pollingResource: String
    /// Where the upgrade probe goes (with the sid), and a client that falls back to WebSocket.
    public let webSocketResource: String
    /// Whether the session probes and upgrades to WebSocket when the server offers it.
    public let upgrades: Bool
    private var getInFlight = false
    /// The bytes of the POST in flight, if one is.
    private var postInFlight: Int?
    private var queue: [EngineIOPayload.Item] = []
    private var queuedBytes = 0

    /// - Parameters:
    ///   - pollingResource: `<path>?EIO=4&transport=polling[&…]`, the target of the first GET.
    ///   - webSocketResource: `<path>?EIO=4&transport=websocket[&…]`, for the probe.
    ///   - upgrades: probe and upgrade to WebSocket when the server offers it.
    public init(pollingResource: String, webSocketResource: String, upgrades: Bool) {
        self.pollingResource = pollingResource
        self.webSocketResource = webSocketResource
        self.upgrades = upgrades
    }

    /// Bytes of packets accepted by `send` and not yet taken by the server (queued, or in a
    /// POST not answered yet).
    public var pendingBytes: Int { queuedBytes + (postInFlight ?? 0) }

    /// Nothing waits to be sent and no POST is in flight.
    public var isDrained: Bool { queue.isEmpty && postInFlight == nil }

    public mutating func start() -> [Action] {
        getInFlight = true
        return [.get(target: pollingResource)]
    }

    /// A GET was answered with this body (status 200): its packets, in order, and what to do.
    public mutating func getCompleted(body: [UInt8]) throws(EngineIOError) -> (packets: [EngineIOPayload.Item], actions: [Action]) {
        getInFlight = false
        let items = try EngineIOPayload.decode(body)
        var actions: [Action] = []
        if phase == .handshaking {
            guard case let .text(first)? = items.first, case let .open(handshake) = try EngineIOPacket(parsing: first) else {
                throw .invalidOpenPacket("the answer to the first GET does not start with an open packet")
            }
            self.handshake = handshake
            phase = .polling
            if upgrades, handshake.upgrades.contains("websocket") {
                phase = .probing
                actions.append(.probe(target: webSocketResource + "&sid=" + handshake.sid))
            }
            actions += flushPost()
        }
        if items.contains(.text("1")) { phase = .closed }
        switch phase {
        case .polling, .probing:
            getInFlight = true
            actions.append(.get(target: sessionTarget))
        case .pausing:
            actions += upgradeIfQuiet()
        case .handshaking, .upgraded, .closed:
            break
        }
        return (items, actions)
    }

    /// A packet to send.
    public mutating func send(_ item: EngineIOPayload.Item) -> [Action] {
        switch phase {
        case .upgraded:
            return [.webSocket(item)]
        case .closed:
            return []
        case .handshaking, .polling, .probing, .pausing:
            queue.append(item)
            queuedBytes += item.encoded.count
            return phase == .pausing ? [] : flushPost()
        }
    }

    /// The POST in flight was answered (status 200).
    public mutating func postCompleted() -> [Action] {
        confirmedBytes += postInFlight ?? 0
        postInFlight = nil
        if phase == .pausing { return upgradeIfQuiet() }
        return flushPost()
    }

    /// `3probe` came back on the WebSocket.
    public mutating func probeSucceeded() -> [Action] {
        guard phase == .probing else { return [] }
        phase = .pausing
        return upgradeIfQuiet()
    }

    /// The WebSocket could not be opened or did not answer the probe: polling goes on.
    public mutating func probeFailed() -> [Action] {
        guard phase == .probing || phase == .pausing else { return [] }
        phase = .polling
        var actions = flushPost()
        if !getInFlight {
            getInFlight = true
            actions.append(.get(target: sessionTarget))
        }
        return actions
    }

    private var sessionTarget: String {
        pollingResource + "&sid=" + (handshake?.sid ?? "")
    }

    /// The queued packets in one POST, as many as fit in the server's `maxPayload` (at least one:
    /// a larger packet is the server's to refuse).
    private mutating func flushPost() -> [Action] {
        guard postInFlight == nil, !queue.isEmpty, let handshake, phase != .pausing else { return [] }
        let limit = handshake.maxPayload ?? Int.max
        var count = 0
        var size = 0
        var bytes = 0
        for item in queue {
            let length = item.encoded.count
            if count > 0, size + 1 + length > limit { break }
            size += (count > 0 ? 1 : 0) + length
            bytes += length
            count += 1
        }
        let body = EngineIOPayload.encode(Array(queue[0..<count]))
        postInFlight = bytes
        queue.removeFirst(count)
        queuedBytes -= bytes
        return [.post(target: sessionTarget, body: body)]
    }

    private mutating func upgradeIfQuiet() -> [Action] {
        guard !getInFlight, postInFlight == nil else { return [] }
        phase = .upgraded
        let flush = queue
        confirmedBytes += queuedBytes
        queue = []
        queuedBytes = 0
        return [.upgrade(flush: flush)]
    }
}

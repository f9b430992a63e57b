import Glibc
import WebSocketCore

/// How a `WebSocketServer` listens and what it accepts.
public struct ServerOptions: Sendable {
    /// The address to bind: a numeric IPv4 or IPv6 address, or a name resolved once.
    public var host = "127.0.0.1"
    /// 0 lets the system choose a free port (see `WebSocketServer.endpoint`).
    public var port: UInt16 = 0
    /// Listen on this Unix domain socket instead of `host` and `port` (mode 0600, removed on stop).
    public var unixSocketPath: String?
    /// Subprotocols this server speaks; a client's offer of one of them is accepted.
    public var subprotocols: [String] = []
    public var configuration = WebSocketConfiguration()
    /// How permessage-deflate offers are answered (RFC 7692); nil declines every offer.
    public var perMessageDeflate: PerMessageDeflateServerNegotiation? = PerMessageDeflateServerNegotiation()
    /// A client that has not sent a complete upgrade request by then is dropped.
    public var handshakeTimeout: Double = 10
    /// When a client's outgoing buffer holds more than this, its sender should pause.
    public var outgoingHighWaterMark = 4 << 20

    public init(host: String = "127.0.0.1", port: UInt16 = 0) {
        self.host = host
        self.port = port
    }
}

/// Receives what happens on a `WebSocketServer`, on the loop's thread.
public protocol WebSocketServerDelegate: AnyObject {
    /// A client's upgrade succeeded (`connection.handshake` holds its request); messages may be sent.
    func server(_ server: WebSocketServer, didOpen connection: ServerConnection)
    /// A data or control message arrived from a client (pings are already answered).
    func server(_ server: WebSocketServer, connection: ServerConnection, didReceive event: WebSocketEvent)
    /// The events of one read from a client, to be taken with `next()` until it returns nil (see
    /// `ReceivedEvents`), the client's close frame (`.closed`) too. By default each message goes
    /// to `server(_:connection:didReceive:)` for one event; what is left untaken arrives there
    /// one by one.
    func server(_ server: WebSocketServer, connection: ServerConnection, didReceive events: inout ReceivedEvents)
    /// A client's outgoing buffer fell below half the high-water mark.
    func server(_ server: WebSocketServer, connectionCanAcceptMoreOutput connection: ServerConnection)
    /// An opened connection ended; the server forgets it.
    func server(_ server: WebSocketServer, connection: ServerConnection, didFinish outcome: ConnectionOutcome)
    /// An accepted TCP connection never became a WebSocket (bad request, timeout, hang-up).
    func server(_ server: WebSocketServer, connection: ServerConnection, didFailHandshake failure: HandshakeFailure)
    /// Something worth a status line that concerns no single client (an accept error).
    func server(_ server: WebSocketServer, didReport event: ServerEvent)
}

extension WebSocketServerDelegate {
    public func server(_ server: WebSocketServer, connection: ServerConnection, didReceive events: inout ReceivedEvents) {
        // How the connection ended is reported once, by `didFinish`.
        while let event = events.next() {
            if event.isMessage { self.server(server, connection: connection, didReceive: event) }
        }
    }

    public func server(_ server: WebSocketServer, connectionCanAcceptMoreOutput connection: ServerConnection) {}
    public func server(_ server: WebSocketServer, connection: ServerConnection, didFailHandshake failure: HandshakeFailure) {}
    public func server(_ server: WebSocketServer, didReport event: ServerEvent) {}
}

/// A WebSocket server on the same single-threaded `EventLoop` as everything else: a
/// non-blocking listening socket, and one `ServerConnection` per accepted client.
///
/// It serves any path; the listen mode prints what clients send and the demo echoes it.
public final class WebSocketServer {
    private let loop: EventLoop
    private let options: ServerOptions
    /// Set for a wss:// server: every accepted connection starts with a TLS handshake.
    private let tls: TLSContext?
    private weak var delegate: WebSocketServerDelegate?
    private var listener: StreamListener?
    private var listenWatch: WatchID?
    private var resumeTimer: TimerID?
    private var connections: [Int: ServerConnection] = [:]
    private var nextID = 1
    private let scratch = ReadScratch()

    /// `tls`: a `.server` context to serve wss:// (nil: plain ws://).
    public init(loop: EventLoop, options: ServerOptions, tls: TLSContext? = nil, delegate: WebSocketServerDelegate) {
        precondition(tls?.role != .client, "a server needs a TLS context made for the server role")
        self.loop = loop
        self.options = options
        self.tls = tls
        self.delegate = delegate
    }

    /// Where the server listens, once `start()` succeeded.
    public var endpoint: SocketEndpoint? { listener?.endpoint }

    /// The URL clients connect to (ws:// or wss://), once `start()` succeeded.
    public var url: String? {
        endpoint.map { tls == nil ? $0.webSocketURL : $0.secureWebSocketURL }
    }

    /// Whether new clients are being accepted.
    public var isListening: Bool { listener != nil }

    /// Open WebSocket connections, in the order they were accepted.
    public var openConnections: [ServerConnection] {
        allConnections().filter { $0.isOpen }
    }

    /// Every connection not yet finished: open, closing, or still in its handshake.
    public var activeConnectionCount: Int { connections.count }

    private func allConnections() -> [ServerConnection] {
        connections.keys.sorted().compactMap { connections[$0] }
    }

    /// Binds and starts accepting on the loop.
    public func start() throws(ListenError) {
        guard listener == nil else { return }
        let listener: StreamListener
        if let path = options.unixSocketPath {
            listener = try StreamListener(unixSocketPath: path)
        } else {
            listener = try StreamListener(host: options.host, port: options.port)
        }
        self.listener = listener
        listenWatch = loop.watch(listener.fileDescriptor, for: .readable) { [unowned self] _ in
            self.acceptPending()
        }
    }

    /// Closes the listening socket; connections already accepted carry on.
    public func stopAccepting() {
        if let listenWatch { loop.unwatch(listenWatch) }
        listenWatch = nil
        loop.cancel(resumeTimer)
        listener?.close()
        listener = nil
    }

    /// Stops accepting and starts the close handshake with every client (`code` 1001, going
    /// away, by default); connections still in their handshake are dropped. Each connection
    /// reports `didFinish` when its client answers, or after `timeout` seconds.
    public func shutDown(code: UInt16 = 1001, reason: String = "server shutting down", timeout: Double) {
        stopAccepting()
        // Closing may finish a connection at once, which removes it from the table.
        for connection in allConnections() {
            connection.close(code: code, reason: reason, timeout: timeout)
        }
    }

    /// Drops every connection at once, without close handshakes.
    public func abortAll(_ outcome: ConnectionOutcome) {
        stopAccepting()
        for connection in allConnections() {
            connection.abort(outcome)
        }
    }

    // MARK: - Accepting

    private func acceptPending() {
        guard let listener else { return }
        // A bounded batch per wake-up, so a flood of connects cannot starve the clients.
        for _ in 0..<64 {
            switch listener.accept() {
            case let .connection(fd, peer):
                let id = nextID
                nextID += 1
                let connection = ServerConnection(id: id, peer: peer, fd: fd, loop: loop, options: options,
                                                  tls: tls, scratch: scratch, server: self)
                connections[id] = connection
                connection.start()
            case .wouldBlock:
                return
            case let .failed(code, message):
                delegate?.server(self, didReport: .acceptFailed(errno: code, reason: message))
                if code == EMFILE || code == ENFILE || code == ENOBUFS || code == ENOMEM {
                    // The pending connection stays queued, so poll would wake us at once again:
                    // pause accepting for a moment instead of spinning.
                    pauseAccepting(for: 1)
                }
                return
            }
        }
    }

    private func pauseAccepting(for seconds: Double) {
        guard let listenWatch else { return }
        loop.update(listenWatch, interest: [])
        loop.cancel(resumeTimer)
        resumeTimer = loop.schedule(after: seconds) { [weak self] in
            guard let self, let watch = self.listenWatch else { return }
            self.loop.update(watch, interest: .readable)
        }
    }

    // MARK: - From the connections

    func connectionDidOpen(_ connection: ServerConnection) {
        delegate?.server(self, didOpen: connection)
    }

    func connection(_ connection: ServerConnection, didReceive event: WebSocketEvent) {
        delegate?.server(self, connection: connection, didReceive: event)
    }

    func connection(_ connection: ServerConnection, didReceive events: inout ReceivedEvents) {
        // Loaded once per read (see `ServerConnection`'s forwarding of the same call).
        guard let delegate else { return }
        delegate.server(self, connection: connection, didReceive: &events)
    }

    func connectionCanAcceptMoreOutput(_ connection: ServerConnection) {
        delegate?.server(self, connectionCanAcceptMoreOutput: connection)
    }

    func connection(_ connection: ServerConnection, didFinish outcome: ConnectionOutcome) {
        connections[connection.id] = nil
        delegate?.server(self, connection: connection, didFinish: outcome)
    }

    func connectionDidFailHandshake(_ connection: ServerConnection, failure: HandshakeFailure) {
        delegate?.server(self, connection: connection, didFailHandshake: failure)
    }

    /// A connection that never opened is gone.
    func connectionDidEnd(_ connection: ServerConnection) {
        connections[connection.id] = nil
    }
}

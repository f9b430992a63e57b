import WebSocketCore
import SocketIO
import WebSocketTransport

/// Socket.IO v5 over Engine.IO v4 on a `RecordingConnection`, for any session (pipe, one-shot,
/// interactive). It sits between the connection and the session:
///
/// - the session's core forwards `didOpen` (→ `connectionOpened()`), `didReceive`
///   (→ `receive(_:)`) and `didFinish` (→ `connectionFinished()`);
/// - the adapter answers Engine.IO pings, joins the namespace on every new connection, watches
///   for a silent server, and reports events, ack replies and the end through its delegate;
/// - the session sends a user's line with `emit(line:)` once `socketIODidJoin` was called, and
///   calls `disconnect()` before closing the connection.
///
/// Messages the user emitted that had not left when a connection was lost are held by the
/// connection until the namespace is joined again, then sent (Socket.IO servers drop packets
/// that come before CONNECT). Answers to the server's ack requests belong to the connection
/// that asked: they are never kept for another.
///
/// Binary attachments: a BINARY_EVENT or BINARY_ACK is reported once its attachments (the
/// binary messages after it) are in, each shown in place of its placeholder; an emit whose
/// arguments hold binary markers (`{"$binary":…}`) goes out as a BINARY_EVENT plus attachments.
final class SocketIOAdapter {
    private enum Phase {
        /// Waiting for Engine.IO's open packet.
        case opening
        /// CONNECT sent, waiting for the namespace's answer.
        case joining
        case joined
        /// Disconnected, refused, or the connection is down.
        case idle
    }

    private let settings: SocketIOSettings
    private let loop: EventLoop
    /// Every packet sent through it is recorded (`--jsonl`, `--transcript`) as it went out.
    private unowned let connection: RecordingConnection
    private weak var delegate: SocketIOAdapterDelegate?
    private var phase = Phase.idle
    private var joins = 0
    private var nextAckID = 1
    private var deadline: TimerID?
    private var handshake: EngineIOHandshake?
    private var assembler = SocketIOPacketAssembler()
    /// The server's requests for an acknowledgement on this connection, not answered yet.
    private var serverRequests: Set<Int> = []
    private var explainedAnswers = false

    init(settings: SocketIOSettings, loop: EventLoop, connection: RecordingConnection, delegate: SocketIOAdapterDelegate) {
        self.settings = settings
        self.loop = loop
        self.connection = connection
        self.delegate = delegate
        connection.holdUntilReleased()
    }

    /// True once the namespace is joined on the current connection.
    var isJoined: Bool { phase == .joined }

    /// The acknowledgements asked for (`--ack`) and not answered yet.
    private(set) var pendingAcks: Set<Int> = []

    // MARK: - Called by the session

    /// A WebSocket connection opened: expect Engine.IO's open packet.
    func connectionOpened() {
        phase = .opening
        handshake = nil
        assembler.reset()
        serverRequests = []
        let seconds = settings.handshakeTimeout
        arm(after: seconds, "no Engine.IO open packet within \(formatSeconds(seconds)): is this a Socket.IO server? (see --socketio-path)")
    }

    /// The connection ended (for good, or until a reconnect).
    func connectionFinished() {
        phase = .idle
        loop.cancel(deadline)
        deadline = nil
    }

    /// A message from the server.
    func receive(_ event: WebSocketEvent) {
        switch event {
        case let .text(payload):
            receive(text: String(decoding: payload, as: UTF8.self))
        case let .binary(payload):
            receive(attachment: payload)
        case .ping, .pong, .closed, .protocolViolation, .abnormalClosure:
            break
        }
    }

    /// Emits what the user wrote (see `SocketIOLineFormat` for the format), or answers the
    /// server's request when the line is `ack ID JSON...`. With `--ack`, an emit asks for an
    /// acknowledgement; its id is returned. `repeatsOnReconnect`: a preamble line (`-x` with
    /// `-r`), emitted again by the session after each reconnect, never replayed.
    @discardableResult
    func emit(line: String, repeatsOnReconnect: Bool = false) throws(SocketIOEmitError) -> Int? {
        let answer: SocketIOLineFormat.Answer?
        do {
            answer = try SocketIOLineFormat.parseAnswer(line)
        } catch {
            throw .invalidLine(error.description)
        }
        if let answer {
            try self.answer(answer.id, answer.arguments)
            return nil
        }
        let emit: SocketIOLineFormat.Emit
        do {
            emit = try SocketIOLineFormat.parse(line)
        } catch {
            throw .invalidLine(error.description)
        }
        let id = settings.requestsAcks ? nextAckID : nil
        try send(.event, id: id, [.string(emit.event)] + emit.arguments, kept: true, repeatsOnReconnect: repeatsOnReconnect)
        if let id {
            nextAckID += 1
            pendingAcks.insert(id)
        }
        return id
    }

    /// Answers the server's request `id` (an event shown with `[ack ID]`) on this connection.
    private func answer(_ id: Int, _ arguments: [JSONValue]) throws(SocketIOEmitError) {
        guard serverRequests.contains(id) else { throw .unknownRequest(id) }
        try send(.ack, id: id, arguments, kept: false, repeatsOnReconnect: false)
        serverRequests.remove(id)
    }

    /// Sends an EVENT (`elements`: the name and the arguments) or an ACK (the answer's
    /// arguments); when the arguments hold binary markers, as a BINARY_EVENT or BINARY_ACK
    /// followed by the attachments. `kept`: the connection keeps it for a replay after a
    /// reconnect (an emit); else it belongs to this connection only (an answer).
    private func send(_ type: SocketIOPacket.PacketType, id: Int?, _ elements: [JSONValue], kept: Bool,
                      repeatsOnReconnect: Bool) throws(SocketIOEmitError) {
        let data: JSONValue
        let attachments: [[UInt8]]
        do {
            (data, attachments) = try SocketIOAttachments.extract(.array(elements), bytes: SocketIOLineFormat.attachmentBytes)
        } catch {
            throw .invalidLine(error.description)
        }
        let binaryType: SocketIOPacket.PacketType = type == .ack ? .binaryAck : .binaryEvent
        let packet = SocketIOPacket(type: attachments.isEmpty ? type : binaryType, namespace: settings.namespace,
                                    id: id, data: data, attachments: attachments.count)
        let text = EngineIOPacket.message(packet.encoded).encoded
        do throws(SendError) {
            if kept {
                try connection.send(Array(text.utf8), binary: false, repeatsOnReconnect: repeatsOnReconnect).get()
                for attachment in attachments {
                    try connection.send(attachment, binary: true, repeatsOnReconnect: repeatsOnReconnect).get()
                }
            } else {
                try connection.sendOnThisConnection(text: text)
                for attachment in attachments { try connection.sendOnThisConnection(binary: attachment) }
            }
        } catch {
            throw .cannotSend(error)
        }
    }

    /// Leaves the namespace politely (Socket.IO DISCONNECT) before the session closes the connection.
    func disconnect() {
        guard phase == .joined || phase == .joining else { return }
        sendControl(EngineIOPacket.message(SocketIOPacket(type: .disconnect, namespace: settings.namespace).encoded))
        connectionFinished()
    }

    // MARK: - Engine.IO

    private func receive(text: String) {
        let packet: EngineIOPacket
        do {
            packet = try EngineIOPacket(parsing: text)
        } catch {
            delegate?.socketIO(self, warning: "ignored a message: \(error): \(Self.excerpt(text))")
            return
        }
        switch packet {
        case let .open(handshake):
            guard phase == .opening else {
                delegate?.socketIO(self, warning: "engine.io: ignored a second open packet")
                return
            }
            self.handshake = handshake
            delegate?.socketIO(self, status: "engine.io: session \(handshake.sid) open (server pings every "
                + "\(formatSeconds(Double(handshake.pingInterval) / 1000)), timeout \(formatSeconds(Double(handshake.pingTimeout) / 1000)))")
            phase = .joining
            let connect = SocketIOPacket.connect(namespace: settings.namespace, auth: settings.auth)
            sendControl(EngineIOPacket.message(connect.encoded))
            armHeartbeat()
        case let .ping(data):
            sendControl(.pong(data))
            if handshake != nil { armHeartbeat() }
        case .pong, .noop, .upgrade:
            break
        case .close:
            end(.success, "engine.io: the server closed the session")
        case let .message(data):
            receive(socketIO: data)
        }
    }

    /// A packet of this connection's own conversation (CONNECT, pong, DISCONNECT): not kept for
    /// a replay; when it cannot be sent the connection is down and the next open starts afresh.
    private func sendControl(_ packet: EngineIOPacket) {
        let text = packet.encoded
        do {
            try connection.sendOnThisConnection(text: text)
        } catch {
            return
        }
    }

    /// A dead server sends no pings: allow pingInterval + pingTimeout between them.
    private func armHeartbeat() {
        guard let handshake else { return }
        let seconds = Double(handshake.pingInterval + handshake.pingTimeout) / 1000
        arm(after: seconds, "no Engine.IO ping within \(formatSeconds(seconds)) (pingInterval + pingTimeout): the server is presumed dead")
    }

    private func arm(after seconds: Double, _ message: String) {
        loop.cancel(deadline)
        deadline = loop.schedule(after: seconds) { [weak self] in
            guard let self else { return }
            self.deadline = nil
            // Lost already, and perhaps reconnecting: the next open re-arms.
            guard self.connection.isOpen else { return }
            self.phase = .idle
            self.connection.drop(.applicationTimeout(message))
        }
    }

    // MARK: - Socket.IO

    private func receive(socketIO text: String) {
        let packet: SocketIOPacket
        do {
            packet = try SocketIOPacket(parsing: text)
        } catch {
            delegate?.socketIO(self, warning: "socket.io: ignored a packet: \(error): \(Self.excerpt(text))")
            return
        }
        let (output, dropped) = assembler.receive(packet: packet)
        if let dropped { delegate?.socketIO(self, warning: "socket.io: ignored \(dropped)") }
        if case let .packet(packet, attachments) = output { receive(packet, attachments: attachments) }
    }

    private func receive(attachment bytes: [UInt8]) {
        do {
            if case let .packet(packet, attachments) = try assembler.receive(attachment: bytes) {
                receive(packet, attachments: attachments)
            }
        } catch {
            delegate?.socketIO(self, warning: "socket.io: ignored \(error) (\(bytes.count) bytes)")
        }
    }

    /// A whole packet, with its attachments if it is a binary one.
    private func receive(_ received: SocketIOPacket, attachments: [[UInt8]]) {
        var packet = received
        if packet.type == .binaryEvent || packet.type == .binaryAck, let data = packet.data {
            let form = settings.binaryForm
            do {
                packet.data = try SocketIOAttachments.fill(data, with: attachments) { SocketIOLineFormat.binary($0, form: form) }
            } catch {
                delegate?.socketIO(self, warning: "socket.io: ignored a \(packet.type): \(error)")
                return
            }
        }
        guard packet.namespace == settings.namespace else {
            delegate?.socketIO(self, warning: "socket.io: ignored a \(packet.type) packet for namespace \(packet.namespace)")
            return
        }
        let style = settings.style
        switch packet.type {
        case .connect:
            guard phase == .joining else { return }
            phase = .joined
            joins += 1
            let sid = packet.data?["sid"]?.stringValue.map { " (sid \($0))" } ?? ""
            delegate?.socketIO(self, status: "socket.io: joined namespace \(settings.namespace)\(sid)")
            connection.releaseHeldMessages()
            delegate?.socketIODidJoin(self, reconnected: joins > 1)
        case .connectError:
            let reason = packet.errorMessage ?? "no reason given"
            end(.handshakeRejected, "socket.io: namespace \(settings.namespace) refused the connection: \(reason)")
        case .disconnect:
            end(.success, "socket.io: the server disconnected us from namespace \(settings.namespace)")
        case .event, .binaryEvent:
            delegate?.socketIO(self, output: SocketIOLineFormat.event(packet.eventName ?? "", packet.arguments,
                                                                      ackID: packet.id, style: style))
            if let id = packet.id { requested(id) }
        case .ack, .binaryAck:
            guard let id = packet.id else { return }
            pendingAcks.remove(id)
            delegate?.socketIO(self, output: SocketIOLineFormat.ack(id: id, packet.arguments, style: style))
        }
    }

    /// The server asks for an acknowledgement: answered at once with `--auto-ack`, else by the
    /// user's `ack ID` line.
    private func requested(_ id: Int) {
        serverRequests.insert(id)
        if settings.autoAcks {
            do throws(SocketIOEmitError) {
                try answer(id, [])
            } catch {
                delegate?.socketIO(self, warning: "socket.io: cannot answer ack \(id): \(error)")
            }
        } else if !explainedAnswers {
            explainedAnswers = true
            delegate?.socketIO(self, status: "socket.io: the server asks for an acknowledgement: "
                + "answer with 'ack \(id) JSON...' (or run with --auto-ack)")
        }
    }

    private func end(_ status: ExitStatus, _ message: String) {
        connectionFinished()
        delegate?.socketIO(self, didEnd: status, message: message)
    }

    private static func excerpt(_ text: String) -> String {
        text.count > 80 ? String(text.prefix(80)) + "…" : text
    }
}

/// Why a line could not be emitted.
enum SocketIOEmitError: Error, CustomStringConvertible {
    case invalidLine(String)
    /// `ack ID` for a request the server has not made on this connection (or one answered).
    case unknownRequest(Int)
    case cannotSend(SendError)

    /// How a session that cannot go on ends.
    var exitStatus: ExitStatus {
        switch self {
        case .invalidLine, .unknownRequest: return .invalidInput
        case .cannotSend: return .abnormalClose
        }
    }

    var description: String {
        switch self {
        case let .invalidLine(reason): return reason
        case let .unknownRequest(id):
            return "ack \(id): the server has not asked for acknowledgement \(id) on this connection, or it was answered"
        case let .cannotSend(error): return "cannot send: \(error)"
        }
    }
}

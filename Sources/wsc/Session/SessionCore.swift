import WebSocketCore
import WebSocketTransport

/// What every client session does the same way, whatever its front end (pipe and one-shot,
/// the prompt): it owns the connection (through `RecordingConnection`, so every message in and
/// out is recorded), the Socket.IO adapter, the `-v` trace, the status lines of connecting and
/// reconnecting, the close, the escalation of Ctrl-C, and how the session ends. What is left to
/// the front end (`SessionFrontEnd`) is where messages come from and where they are shown.
final class SessionCore: ManagedConnectionDelegate {
    /// Where and how to connect: the connection's options, its TLS context, `-r`'s schedule.
    struct Target {
        var options: ConnectionOptions
        var tlsContext: TLSContext?
        var reconnect: ReconnectSchedule?
    }

    struct Settings {
        var target: Target
        /// `--jsonl` and/or `--transcript`.
        var recorder: MessageRecorder?
        /// `--socketio`: speak Socket.IO over the connection (see `SocketIOAdapter`).
        var socketIO: SocketIOSettings?
        /// `-v`: the handshake heads go to the front end's trace.
        var verbose: Bool
        /// How long our close waits for the server's answer.
        var closeTimeout: Double
        /// Added to the first "connected to" line (the prompt's "/help for commands").
        var connectHint: String? = nil
    }

    let loop: EventLoop
    private let settings: Settings
    private let signals: SignalChannel
    private unowned let frontEnd: SessionFrontEnd
    /// Known once, so the per-message path reads two stored flags instead of lazy properties.
    private let speaksSocketIO: Bool
    private let records: Bool

    /// The connection every message goes through (and is recorded by).
    private(set) lazy var connection = RecordingConnection(
        ManagedConnection(loop: loop, options: settings.target.options, tlsContext: settings.target.tlsContext,
                          reconnect: settings.target.reconnect, delegate: self),
        recorder: settings.recorder)
    /// `--socketio`: messages are Engine.IO/Socket.IO packets, lines are events.
    private(set) lazy var socketIO: SocketIOAdapter? = settings.socketIO.map {
        SocketIOAdapter(settings: $0, loop: loop, connection: connection, delegate: self)
    }

    /// Set by `endStatus`: the session, not the connection, decided how it ends.
    private var exitOverride: (ExitStatus, String)?
    /// How the connection ended, as the front end amended it (nil until then).
    private(set) var result: OutcomeReport?
    private(set) var lastOutcome: ConnectionOutcome?
    private var interrupts = 0
    private var aborted = false
    /// After `stopDelivering()`: received messages are neither recorded nor handed on.
    private var delivers = true

    /// `signals`: the front end's (which signals it takes differs); the core watches and closes it.
    init(settings: Settings, signals: SignalChannel, loop: EventLoop, frontEnd: SessionFrontEnd) {
        self.settings = settings
        self.signals = signals
        self.loop = loop
        self.frontEnd = frontEnd
        self.speaksSocketIO = settings.socketIO != nil
        self.records = settings.recorder != nil
    }

    /// Connects, runs the loop until the session ends, and says how it ended. `onSignal`: the
    /// front end's answer to each signal (see `interrupt`).
    func run(onSignal: @escaping (SignalChannel.Signal) -> Void) -> OutcomeReport {
        _ = socketIO   // the adapter holds the connection's messages from its first open on
        loop.beforeSleeping { [unowned self] in
            self.frontEnd.flushOutput()
            self.settings.recorder?.flush()
        }
        _ = loop.watch(signals.fileDescriptor, for: .readable) { [unowned self] _ in
            for signal in self.signals.drain() { onSignal(signal) }
        }
        connection.start()
        loop.run()
        frontEnd.flushOutput()
        frontEnd.sessionLoopDidEnd()
        settings.recorder?.finish()
        signals.close()
        return OutcomeReport.session(outcome: result, override: exitOverride,
                                     outputFailure: frontEnd.outputFailure ?? settings.recorder?.failure)
    }

    var statistics: ConnectionStatistics { connection.statistics }

    /// A close was asked for, or the connection aborted: nothing more is sent.
    var isClosing: Bool { connection.closeRequested || aborted }

    /// The session ends with `status` and `message` whatever the connection does (the first
    /// call wins).
    func endStatus(_ status: ExitStatus, _ message: String) {
        if exitOverride == nil { exitOverride = (status, message) }
    }

    /// True when the session's end was decided by `endStatus`.
    var hasEndStatus: Bool { exitOverride != nil }

    /// Our close; with --socketio the namespace is left first.
    func close(code: UInt16 = CloseCode.normalClosure, reason: String = "") {
        socketIO?.disconnect()
        connection.close(code: code, reason: reason, timeout: settings.closeTimeout)
    }

    /// A signal that ends the session (Ctrl-C, SIGTERM, SIGHUP): the first one closes
    /// politely and the session exits with 130 (`message` says why); a further one, or one
    /// while a close is already under way (or the connection is not open), stops at once.
    func interrupt(_ message: String) {
        interrupts += 1
        endStatus(.interrupted, message)
        if interrupts == 1 && !isClosing && connection.isOpen {
            close()
        } else {
            aborted = true
            connection.abort(.abnormalClosure(.aborted(.interrupted)))
        }
    }

    /// The session has all it wants (`--count`): what still arrives is neither shown nor recorded.
    func stopDelivering() {
        delivers = false
    }

    // MARK: - ManagedConnectionDelegate

    func connection(_ connection: ManagedConnection, didOpen result: HandshakeResult, url: WebSocketURL, reconnected: Bool) {
        var line = (reconnected ? "reconnected to " : "connected to ") + url.description
        if let subprotocol = result.subprotocol { line += " (subprotocol \(subprotocol))" }
        if !reconnected, let hint = settings.connectHint { line += "; " + hint }
        frontEnd.showStatus(line)
        frontEnd.sessionDidConnect(reconnected: reconnected)
        if let socketIO {
            // Messages wait for the namespace: `socketIODidJoin`.
            socketIO.connectionOpened()
            return
        }
        frontEnd.sessionIsReady(reconnected: reconnected)
    }

    func source(_ connection: ManagedConnection, didReceive event: WebSocketEvent) {
        receive(event, frontEnd: frontEnd)
    }

    func source(_ connection: ManagedConnection, didReceive events: inout ReceivedEvents) {
        // The front end is loaded once per read: each load of the unowned reference is a
        // strong retain and release, and a read can hold thousands of messages.
        let frontEnd = self.frontEnd
        while let event = events.next() { receive(event, frontEnd: frontEnd) }
    }

    private func receive(_ event: WebSocketEvent, frontEnd: SessionFrontEnd) {
        // The common case, a data message with nothing to record or translate, goes straight
        // to the front end: every message takes this path, so every check here is paid per message.
        if !speaksSocketIO && !records && delivers, event.isData {
            frontEnd.sessionDidReceive(event)
            return
        }
        switch event {
        case .text, .binary:
            if !delivers { return }
        case .ping, .pong, .closed, .protocolViolation, .abnormalClosure:
            break
        }
        self.connection.received(event)
        switch event {
        case .text where speaksSocketIO, .binary where speaksSocketIO:
            socketIO?.receive(event)
        case .text, .binary, .ping, .pong:
            frontEnd.sessionDidReceive(event)
        case .closed, .protocolViolation, .abnormalClosure:
            break
        }
    }

    func sourceCanAcceptMoreOutput(_ connection: ManagedConnection) {
        frontEnd.sessionCanSendMore()
    }

    func connectionWillReplay(_ connection: ManagedConnection) {
        frontEnd.sessionWillReplay()
    }

    func connection(_ connection: ManagedConnection, didReport event: ConnectionEvent) {
        TransportEventWording.lines(event).forEach(frontEnd.showStatus)
    }

    func source(_ connection: ManagedConnection, willSendHandshake request: [String]) {
        if settings.verbose { frontEnd.showTrace(HandshakeTrace.lines(request, prefix: "> ")) }
    }

    func source(_ connection: ManagedConnection, didReceiveHandshake response: HTTPResponseHead) {
        guard settings.verbose else { return }
        let lines = [response.statusLine] + response.headers.map { $0.name + ": " + $0.value }
        frontEnd.showTrace(HandshakeTrace.lines(lines, prefix: "< "))
    }

    func source(_ connection: ManagedConnection, didFinish outcome: ConnectionOutcome) {
        lastOutcome = outcome
        socketIO?.connectionFinished()
        let report = OutcomeReport(outcome, gaveUpAfterAttempts: connection.gaveUpAfterAttempts,
                                   closingWhileReconnecting: settings.target.reconnect != nil && self.connection.closeRequested)
        result = frontEnd.sessionDidFinish(outcome, report: report)
    }
}

// MARK: - Socket.IO

extension SessionCore: SocketIOAdapterDelegate {
    func socketIO(_ adapter: SocketIOAdapter, output line: String) {
        if delivers { frontEnd.sessionDidReceive(socketIOLine: line) }
    }

    func socketIO(_ adapter: SocketIOAdapter, status: String) {
        frontEnd.showStatus(status)
    }

    func socketIO(_ adapter: SocketIOAdapter, warning: String) {
        frontEnd.showWarning(warning)
    }

    func socketIODidJoin(_ adapter: SocketIOAdapter, reconnected: Bool) {
        frontEnd.sessionIsReady(reconnected: reconnected)
    }

    func socketIO(_ adapter: SocketIOAdapter, didEnd status: ExitStatus, message: String) {
        if status == .success {
            frontEnd.showStatus(message)
        } else {
            endStatus(status, message)
        }
        frontEnd.sessionSocketIODidEnd(status, message: message)
        close()
    }
}

import Glibc
import WebSocketCore
import WebSocketTransport

/// The interactive session: a `> ` prompt (libedit, through `LineEditor`) on the same poll
/// loop as the connection. Each entered line is a text message (or a slash command); what
/// arrives is printed above the prompt without disturbing the line being typed.
///
/// Keys and signals: Ctrl-D on an empty line (or `/quit`) closes with 1000 and exits 0;
/// Ctrl-C clears the line, and on an empty line closes and exits with 130 like Ctrl-C in the
/// other modes (a further Ctrl-C while closing stops at once); SIGTERM and SIGHUP close and
/// exit with 130; a resize redraws the prompt; Ctrl-Z stops wsc with the terminal restored.
/// The terminal is restored whichever way the session ends.
///
/// The connection is a `ManagedConnection`, so `-r` and `--ping-interval` behave as in pipe
/// mode; the prompt and the typed text stay on screen across reconnects, and lines entered
/// while reconnecting are sent once the connection is back.
final class InteractiveSession: ManagedConnectionDelegate, WscSession {
    private let loop: EventLoop
    private let signals = SignalChannel(signals: [SIGINT, SIGTERM, SIGHUP, SIGWINCH, SIGTSTP, SIGCONT])
    private let settings: InteractiveSettings
    private let formatter: IncomingMessageFormatter
    private var connection: ManagedConnection!
    /// `--socketio`: lines become events once the namespace is joined; events print as lines.
    private var socketIO: SocketIOAdapter?
    private var editor: LineEditor?
    private var output: PromptOutput?

    private var terminalWatch: WatchID?
    /// Messages entered before the first connection opened, sent when it does.
    private var waitingForOpen: [(bytes: [UInt8], binary: Bool)] = []
    private var hasOpened = false
    /// A close was asked for (Ctrl-D, /quit, /close, a signal): nothing more is sent.
    private var closing = false
    private var interrupts = 0
    private var pings = PingTracker()
    private var exitOverride: (ExitStatus, String)?
    private var result: OutcomeReport?

    init(options: ConnectionOptions, tlsContext: TLSContext?, reconnect: ReconnectSchedule?,
         settings: InteractiveSettings, loop: EventLoop = EventLoop()) {
        self.loop = loop
        self.settings = settings
        self.formatter = IncomingMessageFormatter(pretty: settings.pretty, style: settings.outputStyle,
                                                  binaryFormat: settings.binaryFormat)
        self.connection = ManagedConnection(loop: loop, options: options, tlsContext: tlsContext,
                                            reconnect: reconnect, delegate: self)
        if let socketIOSettings = settings.socketIO {
            socketIO = SocketIOAdapter(settings: socketIOSettings, loop: loop, connection: connection, delegate: self)
        }
    }

    func run() -> OutcomeReport {
        let editor: LineEditor
        do {
            editor = try LineEditor(prompt: "> ", history: settings.history)
        } catch {
            signals.close()
            return OutcomeReport(status: .failure, message: error.description)
        }
        self.editor = editor
        let output = PromptOutput(editor: editor)
        self.output = output
        if let problem = editor.historyProblem { warning("\(problem); the history is not saved") }

        loop.beforeSleeping { [settings] in
            output.flush()
            settings.recorder?.flush()
        }
        _ = loop.watch(signals.fileDescriptor, for: .readable) { [unowned self] _ in
            for signal in self.signals.drain() { self.handle(signal) }
        }
        terminalWatch = loop.watch(editor.fileDescriptor, for: .readable) { [unowned self] _ in
            self.readTerminal()
        }
        connection.start()
        loop.run()

        // Restore the terminal before the signals are unblocked (a pending SIGINT then ends
        // the process at once) and before the closing line is printed.
        output.flush()
        editor.shutdown()
        settings.recorder?.finish()
        signals.close()
        return OutcomeReport.session(outcome: result, override: exitOverride,
                                     outputFailure: settings.recorder?.failure)
    }

    // MARK: - ManagedConnectionDelegate

    func connection(_ connection: ManagedConnection, didOpen result: HandshakeResult, url: WebSocketURL, reconnected: Bool) {
        var line = (reconnected ? "reconnected to " : "connected to ") + url.description
        if let subprotocol = result.subprotocol { line += " (subprotocol \(subprotocol))" }
        if !reconnected && settings.slashCommands { line += "; /help for commands" }
        status(line)
        pings.reset()
        if let socketIO {
            socketIO.connectionOpened()   // lines wait for the namespace: `socketIODidJoin`
            return
        }
        sendWaitingLines()
    }

    /// The first connection (with --socketio: the first join) is ready: send what was typed before.
    private func sendWaitingLines() {
        if !hasOpened {
            hasOpened = true
            let waiting = waitingForOpen
            waitingForOpen = []
            for message in waiting { send(message.bytes, binary: message.binary) }
        }
    }

    func connection(_ connection: ManagedConnection, didReceive event: WebSocketEvent) {
        let stamp = settings.timestamps ? Timestamp.now() : nil
        settings.recorder?.recordIncoming(event)
        switch event {
        case .text where socketIO != nil, .binary where socketIO != nil:
            socketIO?.receive(event)
        case let .text(payload):
            output?.append(formatter.text(payload, timestamp: stamp), to: .standardOutput)
        case let .binary(payload):
            output?.append(formatter.binary(payload, timestamp: stamp), to: .standardOutput)
        case let .ping(payload):
            if settings.showPingPong {
                output?.append(formatter.control("ping" + HexFormatting.suffix(payload), timestamp: stamp), to: .standardError)
            }
            // The connection answers every ping with a pong carrying the same data.
            if connection.isOpen { settings.recorder?.record(.outgoing, .pong, payload) }
        case let .pong(payload):
            if let roundTrip = pings.pongReceived(payload, at: MonotonicClock.now()) {
                let text = "pong" + HexFormatting.suffix(payload) + " (round trip \(Self.milliseconds(roundTrip)))"
                output?.append(formatter.control(text, timestamp: stamp), to: .standardError)
            } else if settings.showPingPong {
                output?.append(formatter.control("pong" + HexFormatting.suffix(payload), timestamp: stamp), to: .standardError)
            }
        case .closed, .protocolViolation, .abnormalClosure:
            return
        }
    }

    func connectionCanAcceptMoreOutput(_ connection: ManagedConnection) {}

    func connection(_ connection: ManagedConnection, didReport event: ConnectionEvent) {
        TransportEventWording.lines(event).forEach(status)
    }

    func connection(_ connection: ManagedConnection, willSendHandshake request: [String]) {
        if settings.verbose {
            output?.append(StatusLine.render(HandshakeTrace.lines(request, prefix: "> "), .trace, style: settings.statusStyle),
                           to: .standardError)
        }
    }

    func connection(_ connection: ManagedConnection, didReceiveHandshake response: HTTPResponseHead) {
        guard settings.verbose else { return }
        let lines = [response.statusLine] + response.headers.map { $0.name + ": " + $0.value }
        output?.append(StatusLine.render(HandshakeTrace.lines(lines, prefix: "< "), .trace, style: settings.statusStyle),
                       to: .standardError)
    }

    private(set) var lastOutcome: ConnectionOutcome?
    var statistics: ConnectionStatistics { connection.statistics }

    func connection(_ connection: ManagedConnection, didFinish outcome: ConnectionOutcome) {
        lastOutcome = outcome
        socketIO?.connectionFinished()
        result = OutcomeReport(outcome, gaveUpAfterAttempts: connection.gaveUpAfterAttempts)
        loop.stop()
    }

    // MARK: - The prompt

    private func readTerminal() {
        guard let editor else { return }
        output?.flush()
        for event in editor.handleReadable() {
            switch event {
            case let .line(text):
                perform(InputAction(line: text, slashCommands: settings.slashCommands))
            case .endOfInput:
                // Ctrl-D on an empty line, or the terminal hung up.
                endInput()
                close(code: CloseCode.normalClosure, reason: "")
            case let .pasteTooLong(bytes):
                warning("not pasted: a message composed at the prompt may be up to \(LineEditor.maximumLineBytes) "
                        + "bytes, and the paste would make \(bytes) (--file sends a file of any size)")
            }
        }
    }

    private func perform(_ action: InputAction) {
        switch action {
        case .ignore:
            return
        case let .sendText(text):
            send(Array(text.utf8), binary: settings.sendBinary)
        case let .reject(hint):
            warning(hint)
        case let .run(command):
            run(command)
        }
    }

    private func run(_ command: SlashCommand) {
        switch command {
        case let .ping(payload):
            guard checkOpen("/ping") else { return }
            do {
                try connection.sendPing(payload)
                settings.recorder?.record(.outgoing, .ping, payload)
                pings.sent(payload, at: MonotonicClock.now())
            } catch {
                failure("cannot send the ping: \(error)")
            }
        case let .pong(payload):
            guard checkOpen("/pong") else { return }
            do {
                try connection.sendPong(payload)
                settings.recorder?.record(.outgoing, .pong, payload)
            } catch {
                failure("cannot send the pong: \(error)")
            }
        case let .close(code, reason):
            endInput()
            close(code: code, reason: reason)
        case .binary where socketIO != nil:
            failure(#"/binary: with --socketio, write binary arguments as {"$binary":"base64"} or {"$hex":"0a0b"} in an event line"#)
        case let .binary(.bytes(bytes)):
            send(bytes, binary: true)
        case let .binary(.file(path)):
            do {
                send(try FileContents.read(path, limit: settings.maxFileSize), binary: true)
            } catch {
                failure("/binary: \(error)")
            }
        case .help:
            output?.append(SlashCommand.helpText, to: .standardError)
        case .quit:
            endInput()
            close(code: CloseCode.normalClosure, reason: "")
        }
    }

    /// Control frames need an open connection (they are not kept for a reconnect).
    private func checkOpen(_ command: String) -> Bool {
        if connection.isOpen && !closing { return true }
        failure("\(command): not connected")
        return false
    }

    private func send(_ bytes: [UInt8], binary: Bool) {
        if closing {
            failure("not sent: the connection is closing")
            return
        }
        if !hasOpened {
            waitingForOpen.append((bytes, binary))
            status("not connected yet: the message is sent once the connection opens")
            return
        }
        if let socketIO {
            emit(String(decoding: bytes, as: UTF8.self), through: socketIO)
            return
        }
        let sent = connection.send(bytes, binary: binary)
        switch sent {
        case .success:
            settings.recorder?.record(.outgoing, binary ? .binary : .text, bytes)
            if !connection.isOpen { status("not connected: the message is sent after the reconnect") }
        case .failure(.invalidUTF8):
            failure("not sent: the line is not valid UTF-8")
        case .failure(.connectionClosed):
            failure("not sent: not connected")
        case let .failure(error):
            failure("not sent: \(error)")
        }
    }

    /// No more input: the prompt goes away and the terminal gets its settings back.
    private func endInput() {
        if let terminalWatch { loop.unwatch(terminalWatch) }
        terminalWatch = nil
        output?.flush()
        editor?.shutdown()
    }

    private func close(code: UInt16, reason: String) {
        if connection.isOpen && !closing {
            settings.recorder?.record(.outgoing, .close, Array(reason.utf8), code: code)
        }
        closing = true
        socketIO?.disconnect()
        connection.close(code: code, reason: reason, timeout: settings.closeTimeout)
    }

    // MARK: - Signals

    private func handle(_ signal: SignalChannel.Signal) {
        output?.flush()
        switch signal {
        case .interrupt:
            if !closing, let editor, !editor.interrupt() { return }   // a line was cleared
            stop(.interrupted, "interrupted")
        case .terminate:
            stop(.interrupted, "terminated")
        case .hangup:
            stop(.interrupted, "the terminal hung up")
        case .windowChanged:
            editor?.terminalResized()
        case .other(SIGTSTP):
            stopProcess()
        case .other(SIGCONT):
            editor?.resume()
        case .other:
            break
        }
    }

    /// The first time: close politely, exit with `status`. While a close is under way already
    /// (a second signal, or one after Ctrl-D): stop at once.
    private func stop(_ status: ExitStatus, _ message: String) {
        interrupts += 1
        if exitOverride == nil { exitOverride = (status, message) }
        endInput()
        if interrupts == 1 && !closing && connection.isOpen {
            close(code: CloseCode.normalClosure, reason: "")
        } else {
            closing = true
            connection.abort(.abnormalClosure(.aborted(message)))
        }
    }

    /// Ctrl-Z: SIGTSTP arrives through the signal channel (blocked), so the process stops only
    /// when it lets the signal through, after the prompt is erased and the terminal restored.
    /// SIGCONT (`fg`) brings the prompt back (``handle(_:)``).
    private func stopProcess() {
        editor?.suspend()
        var stopSignal = sigset_t()
        sigemptyset(&stopSignal)
        sigaddset(&stopSignal, SIGTSTP)
        _ = kill(getpid(), SIGTSTP)                          // pending while blocked
        sigprocmask(SIG_UNBLOCK, &stopSignal, nil)           // delivered: stops here
        sigprocmask(SIG_BLOCK, &stopSignal, nil)
    }

    // MARK: - Status lines

    private func status(_ text: String) {
        guard !settings.quiet else { return }
        output?.append(StatusLine.render(text, .status, style: settings.statusStyle), to: .standardError)
    }

    private func warning(_ text: String) {
        output?.append(StatusLine.render(text, .warning, style: settings.statusStyle), to: .standardError)
    }

    private func failure(_ text: String) {
        output?.append(StatusLine.render(text, .error, style: settings.statusStyle), to: .standardError)
    }

    /// "0.42 ms", "12.3 ms", "1234 ms".
    static func milliseconds(_ seconds: Double) -> String {
        let value = seconds * 1000
        if value < 1 { return "\((value * 100).rounded() / 100) ms" }
        if value < 100 { return "\((value * 10).rounded() / 10) ms" }
        return "\(Int(value.rounded())) ms"
    }
}

// MARK: - Socket.IO

extension InteractiveSession: SocketIOAdapterDelegate {
    /// A typed line as an event (`event JSON...`, or a bare line to `message`).
    private func emit(_ line: String, through socketIO: SocketIOAdapter) {
        do {
            let id = try socketIO.emit(line: line)
            if !connection.isOpen { status("not connected: the event is sent after the reconnect") }
            if let id { status("sent with ack id \(id)") }
        } catch {
            failure("not sent: \(error)")
        }
    }

    func socketIO(_ adapter: SocketIOAdapter, output line: String) {
        let stamp = settings.timestamps ? Timestamp.now() : nil
        output?.append(formatter.control(line, timestamp: stamp), to: .standardOutput)
    }

    func socketIO(_ adapter: SocketIOAdapter, didSend packet: String) {
        settings.recorder?.record(.outgoing, .text, Array(packet.utf8))
    }

    func socketIO(_ adapter: SocketIOAdapter, didSendAttachment bytes: [UInt8]) {
        settings.recorder?.record(.outgoing, .binary, bytes)
    }

    func socketIO(_ adapter: SocketIOAdapter, status text: String) {
        status(text)
    }

    func socketIO(_ adapter: SocketIOAdapter, warning text: String) {
        warning(text)
    }

    func socketIODidJoin(_ adapter: SocketIOAdapter, reconnected: Bool) {
        sendWaitingLines()
    }

    func socketIO(_ adapter: SocketIOAdapter, didEnd status: ExitStatus, message: String) {
        if status == .success {
            self.status(message)
        } else {
            if exitOverride == nil { exitOverride = (status, message) }
        }
        endInput()
        close(code: CloseCode.normalClosure, reason: "")
    }
}

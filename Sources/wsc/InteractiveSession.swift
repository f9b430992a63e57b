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
/// The front end of a `SessionCore`, as the pipe is: `-r`, `--ping-interval`, `--transcript`,
/// `-v` and `--socketio` behave as in pipe mode; the prompt and the typed text stay on screen
/// across reconnects, and lines entered while reconnecting are sent once the connection is back.
final class InteractiveSession: SessionFrontEnd, WscSession {
    private let loop: EventLoop
    private let signals = SignalChannel(signals: [SIGINT, SIGTERM, SIGHUP, SIGWINCH, SIGTSTP, SIGCONT])
    private let settings: InteractiveSettings
    private let formatter: IncomingMessageFormatter
    private let coreSettings: SessionCore.Settings
    private(set) lazy var core = SessionCore(settings: coreSettings, signals: signals, loop: loop, frontEnd: self)
    private var connection: RecordingConnection { core.connection }
    private var editor: LineEditor?
    private var output: PromptOutput?

    private var terminalWatch: WatchID?
    /// Messages entered before the first connection opened, sent when it does.
    private var waitingForOpen: [(bytes: [UInt8], binary: Bool)] = []
    private var hasOpened = false
    private var pings = PingTracker()

    init(core coreSettings: SessionCore.Settings, settings: InteractiveSettings,
         loop: EventLoop = EventLoop()) {
        self.loop = loop
        self.coreSettings = coreSettings
        self.settings = settings
        self.formatter = IncomingMessageFormatter(pretty: settings.pretty, style: settings.outputStyle,
                                                  binaryFormat: settings.binaryFormat)
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
        output = PromptOutput(editor: editor)
        if let problem = editor.historyProblem { showWarning("\(problem); the history is not saved") }
        terminalWatch = loop.watch(editor.fileDescriptor, for: .readable) { [unowned self] _ in
            self.readTerminal()
        }
        return core.run { [unowned self] signal in self.handle(signal) }
    }

    // MARK: - SessionFrontEnd

    func showStatus(_ text: String) {
        guard !settings.quiet else { return }
        output?.append(StatusLine.render(text, .status, style: settings.statusStyle), to: .standardError)
    }

    func showWarning(_ text: String) {
        output?.append(StatusLine.render(text, .warning, style: settings.statusStyle), to: .standardError)
    }

    func showTrace(_ lines: String) {
        output?.append(StatusLine.render(lines, .trace, style: settings.statusStyle), to: .standardError)
    }

    private func showFailure(_ text: String) {
        output?.append(StatusLine.render(text, .error, style: settings.statusStyle), to: .standardError)
    }

    func flushOutput() { output?.flush() }

    /// Restore the terminal before the signals are unblocked (a pending SIGINT then ends the
    /// process at once) and before the closing line is printed.
    func sessionLoopDidEnd() { editor?.shutdown() }

    /// The transcript's failure is the core's to report; the terminal's writes do not fail.
    var outputFailure: String? { nil }

    func sessionDidConnect(reconnected: Bool) {
        pings.reset()
    }

    /// The first connection (with --socketio: the first join) is ready: send what was typed before.
    func sessionIsReady(reconnected: Bool) {
        guard !hasOpened else { return }
        hasOpened = true
        let waiting = waitingForOpen
        waitingForOpen = []
        for message in waiting { send(message.bytes, binary: message.binary) }
    }

    func sessionDidReceive(_ event: WebSocketEvent) {
        let stamp = settings.timestamps ? Timestamp.now() : nil
        switch event {
        case let .text(payload):
            output?.append(formatter.text(payload, timestamp: stamp), to: .standardOutput)
        case let .binary(payload):
            output?.append(formatter.binary(payload, timestamp: stamp), to: .standardOutput)
        case let .ping(payload):
            if settings.showPingPong {
                output?.append(formatter.control("ping" + HexFormatting.suffix(payload), timestamp: stamp), to: .standardError)
            }
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

    func sessionDidReceive(socketIOLine line: String) {
        let stamp = settings.timestamps ? Timestamp.now() : nil
        output?.append(formatter.control(line, timestamp: stamp), to: .standardOutput)
    }

    func sessionCanSendMore() {}

    func sessionSocketIODidEnd(_ status: ExitStatus, message: String) {
        endInput()
    }

    func sessionDidFinish(_ outcome: ConnectionOutcome, report: OutcomeReport) -> OutcomeReport {
        loop.stop()
        return report
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
                core.close()
            case let .pasteTooLong(bytes):
                showWarning("not pasted: a message composed at the prompt may be up to \(LineEditor.maximumLineBytes) "
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
            showWarning(hint)
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
                pings.sent(payload, at: MonotonicClock.now())
            } catch {
                showFailure("cannot send the ping: \(error)")
            }
        case let .pong(payload):
            guard checkOpen("/pong") else { return }
            do {
                try connection.sendPong(payload)
            } catch {
                showFailure("cannot send the pong: \(error)")
            }
        case let .close(code, reason):
            endInput()
            core.close(code: code, reason: reason)
        case .binary where core.socketIO != nil:
            showFailure(#"/binary: with --socketio, write binary arguments as {"$binary":"base64"} or {"$hex":"0a0b"} in an event line"#)
        case let .binary(.bytes(bytes)):
            send(bytes, binary: true)
        case let .binary(.file(path)):
            do {
                send(try FileContents.read(path, limit: settings.maxFileSize), binary: true)
            } catch {
                showFailure("/binary: \(error)")
            }
        case .help:
            output?.append(SlashCommand.helpText, to: .standardError)
        case .quit:
            endInput()
            core.close()
        }
    }

    /// Control frames need an open connection (they are not kept for a reconnect).
    private func checkOpen(_ command: String) -> Bool {
        if connection.isOpen && !core.isClosing { return true }
        showFailure("\(command): not connected")
        return false
    }

    private func send(_ bytes: [UInt8], binary: Bool) {
        if core.isClosing {
            showFailure("not sent: the connection is closing")
            return
        }
        if !hasOpened {
            waitingForOpen.append((bytes, binary))
            showStatus("not connected yet: the message is sent once the connection opens")
            return
        }
        if let socketIO = core.socketIO {
            emit(String(decoding: bytes, as: UTF8.self), through: socketIO)
            return
        }
        switch connection.send(bytes, binary: binary) {
        case .success:
            if !connection.isOpen { showStatus("not connected: the message is sent after the reconnect") }
        case .failure(.invalidUTF8):
            showFailure("not sent: the line is not valid UTF-8")
        case .failure(.connectionClosed):
            showFailure("not sent: not connected")
        case let .failure(error):
            showFailure("not sent: \(error)")
        }
    }

    /// A typed line as a Socket.IO event (`event JSON...`, or a bare line to `message`).
    private func emit(_ line: String, through socketIO: SocketIOAdapter) {
        do {
            let id = try socketIO.emit(line: line)
            if !connection.isOpen { showStatus("not connected: the event is sent after the reconnect") }
            if let id { showStatus("sent with ack id \(id)") }
        } catch {
            showFailure("not sent: \(error)")
        }
    }

    /// No more input: the prompt goes away and the terminal gets its settings back.
    private func endInput() {
        if let terminalWatch { loop.unwatch(terminalWatch) }
        terminalWatch = nil
        output?.flush()
        editor?.shutdown()
    }

    // MARK: - Signals

    private func handle(_ signal: SignalChannel.Signal) {
        output?.flush()
        switch signal {
        case .interrupt:
            if !core.isClosing, let editor, !editor.interrupt() { return }   // a line was cleared
            stop("interrupted")
        case .terminate:
            stop("terminated")
        case .hangup:
            stop("the terminal hung up")
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

    /// The prompt goes away; the core closes politely, or stops at once the second time.
    private func stop(_ message: String) {
        endInput()
        core.interrupt(message)
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

    /// "0.42 ms", "12.3 ms", "1234 ms".
    static func milliseconds(_ seconds: Double) -> String {
        let value = seconds * 1000
        if value < 1 { return "\((value * 100).rounded() / 100) ms" }
        if value < 100 { return "\((value * 10).rounded() / 10) ms" }
        return "\(Int(value.rounded())) ms"
    }
}

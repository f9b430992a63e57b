import Glibc
import WebSocketCore
import WebSocketTransport

/// What a client session sends, and when it ends.
enum SessionInput {
    /// Pipe mode: every stdin line is a message; the session closes after end of input.
    case standardInput
    /// One-shot: these messages (`-x`), in order, right after the connection opens.
    case messages([OutgoingMessage])
    /// `--replay`: a transcript's outgoing messages, at `speed` times the original pace (0: at once).
    case replay([ReplayMessage], speed: Double)
    /// `--echo` without `-x`: send nothing of our own, run until the server closes.
    case nothing
    /// `--exec`: this shell command is the other end (see `CommandBridge`).
    case command(String)
}

/// What pipe and one-shot mode need beyond the connection and its core (`SessionCore.Settings`:
/// the recorder, Socket.IO, `-v`, the close timeout).
struct SessionSettings {
    var input: SessionInput
    /// Seconds to keep receiving after the last message was sent; nil: the end-of-input rule
    /// (`ReplyWait`).
    var wait: Double?
    /// `--count N`/`-1`: close and exit 0 once this many messages have been received.
    var messageCount: Int? = nil
    var sendBinary: Bool
    var showPingPong: Bool
    var binaryDisplay: BinaryDisplay
    /// `--echo`: send every received message back.
    var echo = false
    /// False with `--jsonl`: stdout carries the records instead of the messages.
    var printsMessages = true
    /// `-x` with `-r` (and no `--no-resend`): the messages are sent again after each reconnect.
    var resendsPreamble = false
}

/// A non-interactive client session (pipe and one-shot modes) on one poll loop: the front end
/// over `SessionCore` that reads stdin (or sends -x, --replay, a command's lines) and prints
/// what arrives on stdout.
///
/// stdin is read only while the connection is open and its outgoing buffer is below the
/// high-water mark, so a slow server slows the reading instead of growing memory.
final class ClientSession: SessionFrontEnd {
    private let settings: SessionSettings
    private let reporter: StatusReporter
    private let stdout: OutputBuffer
    private let printer: MessagePrinter
    private let signals = SignalChannel()
    private let loop: EventLoop
    private let coreSettings: SessionCore.Settings
    /// `--socketio`: lines are events (read once here, not through the core's lazy adapter per line).
    private let speaksSocketIO: Bool
    private(set) lazy var core = SessionCore(settings: coreSettings, signals: signals, loop: loop, frontEnd: self)
    /// The core's connection, kept here: every stdin line reaches it through this property.
    private lazy var connection: RecordingConnection = core.connection

    private lazy var standardInput = StandardInputReader(loop: loop, keepsCarriageReturn: settings.sendBinary, consumer: self)
    private var inputEnded = false
    private var waitTimer: TimerID?
    private var interrupts = 0
    private var replayTimer: TimerID?
    /// Without `-w`: the end-of-input rule, from the moment the last message was sent.
    private var replyWait: ReplyWait?
    /// `stdout.secondsFull` when the probe was sent.
    private var stdoutFullAtProbe = 0.0
    /// The user's messages sent, and replies received: the end-of-input rule waits longer
    /// while fewer replies than messages have arrived.
    private var sentCount = 0
    private var receivedCount = 0
    /// Messages received as `--count` counts them (with --socketio: events and acks).
    private var deliveredCount = 0
    private var countReached = false
    /// `--exec`: the running command, and how it ended.
    private var bridge: CommandBridge?
    private var commandEnd: CommandProcess.Termination?
    /// The connection has ended for good (the session may still wait for the command).
    private var connectionEnded = false

    /// `loop` may already carry other work: the demo's in-process server runs on it.
    init(core coreSettings: SessionCore.Settings, settings: SessionSettings,
         reporter: StatusReporter, stdout: OutputBuffer, loop: EventLoop = EventLoop()) {
        self.loop = loop
        self.coreSettings = coreSettings
        self.speaksSocketIO = coreSettings.socketIO != nil
        self.settings = settings
        self.reporter = reporter
        self.stdout = stdout
        self.printer = MessagePrinter(out: stdout, binaryDisplay: settings.binaryDisplay)
    }

    /// Connects, runs until the connection ends and its output is written, and returns how it ended.
    func run() -> OutcomeReport {
        // stdout never blocks the loop: while it is full the socket is not read (back-pressure
        // to the server), and the first failed write ends the session.
        stdout.attach(to: loop)
        reporter.attach(to: loop)
        stdout.onDrained = { [unowned self] in
            self.connection.resumeReading(for: .output)
            if self.replyWait != nil { self.checkReplyWait() }
        }
        stdout.onFailure = { [unowned self] message in self.outputFailed(message) }
        let report = core.run { [unowned self] signal in self.handle(signal) }
        if let commandEnd, !core.hasEndStatus {
            return report.endedBy(command: commandEnd)
        }
        return report
    }

    // MARK: - SessionFrontEnd

    func showStatus(_ text: String) { reporter.status(text) }
    func showWarning(_ text: String) { reporter.warning(text) }
    func showTrace(_ lines: String) { reporter.trace(lines) }
    func flushOutput() { stdout.flush() }
    var outputFailure: String? { stdout.failure }

    /// The connection (with --socketio: the namespace) is ready for the first time: input starts.
    func sessionIsReady(reconnected: Bool) {
        guard !reconnected, !standardInput.isReading, !inputEnded else { return }
        switch settings.input {
        case .standardInput:
            standardInput.start()
        case let .messages(messages):
            for message in messages {
                guard sendMessage(message.payload, binary: message.binary, preamble: true) else { return }
            }
            inputFinished()
        case let .replay(messages, speed):
            replay(messages[...], speed: speed, previousTime: nil)
        case .nothing:
            break
        case let .command(command):
            startCommand(command)
        }
    }

    /// Sends one whole message (-x, --replay); false (and the session ends) when it cannot.
    /// `preamble`: a -x message, sent again after every reconnect unless --no-resend.
    private func sendMessage(_ payload: [UInt8], binary: Bool, preamble: Bool = false) -> Bool {
        let repeats = preamble && settings.resendsPreamble
        if let socketIO = core.socketIO {
            let line = String(decoding: payload, as: UTF8.self)
            do {
                try socketIO.emit(line: line, repeatsOnReconnect: repeats)
                sentCount += 1
                return true
            } catch {
                fail(error.exitStatus, "-x \(line.debugDescription): \(error)")
                return false
            }
        }
        switch connection.send(payload, binary: binary, repeatsOnReconnect: repeats) {
        case .success:
            sentCount += 1
            return true
        case .failure(.invalidUTF8):
            fail(.invalidInput, "a message is not valid UTF-8 (use -b to send it as binary)")
        case let .failure(error):
            fail(.failure, "cannot send: \(error)")
        }
        return false
    }

    /// `--replay`: sends the messages in order; with a speed, each one after the original gap
    /// to the one before, divided by the speed. `due`: the first message's wait is over.
    private func replay(_ messages: ArraySlice<ReplayMessage>, speed: Double, previousTime: Double?, due: Bool = false) {
        var remaining = messages
        var previous = previousTime
        var waited = due
        while let message = remaining.first {
            if !waited, speed > 0, let last = previous, let time = message.time, time > last {
                replayTimer = loop.schedule(after: (time - last) / speed) { [unowned self] in
                    self.replayTimer = nil
                    self.replay(remaining, speed: speed, previousTime: last, due: true)
                }
                return
            }
            waited = false
            guard sendMessage(message.payload, binary: message.binary) else { return }
            previous = message.time ?? previous
            remaining = remaining.dropFirst()
        }
        inputFinished()
    }

    func sessionDidReceive(_ event: WebSocketEvent) {
        let prints = settings.printsMessages
        switch event {
        case let .text(payload), let .binary(payload):
            let binary: Bool
            if case .binary = event { binary = true } else { binary = false }
            replyArrived()
            if let bridge {
                bridge.deliver(payload)
            } else if prints {
                if binary { printer.printBinary(payload) } else { printer.printText(payload) }
            }
            if settings.echo { echo(payload, binary: binary) }
            messageDelivered()
        case let .ping(payload):
            if settings.showPingPong && prints { reporter.event("< ping" + HexFormatting.suffix(payload)) }
        case let .pong(payload):
            if replyWait != nil && payload == ReplyWait.probePayload {
                // The answer to wsc's own end-of-input probe: not the user's, so not shown.
                probeAnswered()
                return
            }
            if settings.showPingPong && prints { reporter.event("< pong" + HexFormatting.suffix(payload)) }
        case .closed, .protocolViolation, .abnormalClosure:
            return
        }
        if stdout.isFull { connection.pauseReading(for: .output) }
    }

    func sessionDidReceive(socketIOLine line: String) {
        replyArrived()
        // With --jsonl the records (the Engine.IO packets) are the output.
        if settings.printsMessages { printer.printText(Array(line.utf8)) }
        messageDelivered()
        if stdout.isFull { connection.pauseReading(for: .output) }
    }

    func sessionWillReplay() {
        guard settings.resendsPreamble, case let .messages(messages) = settings.input else { return }
        for message in messages {
            guard sendMessage(message.payload, binary: message.binary, preamble: true) else { return }
        }
    }

    func sessionCanSendMore() {
        if !inputEnded { standardInput.settle() }
        bridge?.connectionCanAcceptMoreOutput()
    }

    func sessionSocketIODidEnd(_ status: ExitStatus, message: String) {
        if status == .success, case .standardInput = settings.input, !inputEnded, standardInput.unsentInputRemains() {
            core.endStatus(.abnormalClose, message + " before all of stdin was sent (stopped at line \(standardInput.nextLineNumber))")
        }
        stopInput()
    }

    func sessionDidFinish(_ outcome: ConnectionOutcome, report: OutcomeReport) -> OutcomeReport {
        connectionEnded = true
        var report = report
        if case .standardInput = settings.input, !inputEnded, report.status == .success,
           case .closed(_, _, true) = outcome, standardInput.unsentInputRemains() {
            report.status = .abnormalClose
            report.message = (report.message ?? "server closed the connection")
                + " before all of stdin was sent (stopped at line \(standardInput.nextLineNumber))"
        }
        if countReached, report.status != .success {
            // The messages asked for were received: how the close went does not change that.
            report = OutcomeReport(status: .success, message: "received \(deliveredCount) message(s); "
                + (report.message ?? "connection ended"))
        }
        if let bridge, !bridge.hasEnded {
            // The command gets end of file on its stdin; the session ends when it exits.
            bridge.connectionDidEnd(grace: coreSettings.closeTimeout)
            return report
        }
        // What was received is written before wsc exits; a signal stops the waiting.
        stdout.whenEmpty { [unowned self] in self.loop.stop() }
        return report
    }

    // MARK: - Input

    private func send(line: UnsafeRawBufferPointer, number: Int) -> Bool {
        if speaksSocketIO, let socketIO = core.socketIO {
            guard UTF8Validator.isValid(line) else {
                fail(.invalidInput, "stdin line \(number) is not valid UTF-8")
                return false
            }
            do {
                try socketIO.emit(line: String(decoding: line, as: UTF8.self))
                sentCount += 1
                return true
            } catch {
                fail(error.exitStatus, "stdin line \(number): \(error)")
                return false
            }
        }
        do {
            // The connection checks the UTF-8 itself, once; we only add the line number.
            try connection.send(line, binary: settings.sendBinary)
            sentCount += 1
            return true
        } catch .invalidUTF8 {
            fail(.invalidInput, "stdin line \(number) is not valid UTF-8 (use -b to send lines as binary)")
            return false
        } catch {
            fail(.abnormalClose, "cannot send: \(error)")
            return false
        }
    }

    /// `--echo`: send a received message straight back, of the same type.
    private func echo(_ payload: [UInt8], binary: Bool) {
        guard connection.isOpen else { return }
        if case let .failure(error) = connection.send(payload, binary: binary) {
            fail(.failure, "cannot echo: \(error)")
        }
    }

    /// Everything is queued: keep receiving for `-w`, or as the end-of-input rule says, then close.
    private func inputFinished() {
        inputEnded = true
        standardInput.stop()
        if let wait = settings.wait {
            if wait > 0 {
                waitTimer = loop.schedule(after: wait) { [unowned self] in self.core.close() }
            } else {
                core.close()
            }
            return
        }
        // --count without -w: the messages decide the end (or the server, by closing).
        if settings.messageCount != nil { return }
        let now = MonotonicClock.now()
        // The probe; a connection that cannot send it (down, between reconnects) never gets a
        // pong, and the rule falls back to a quiet period of its own.
        connection.sendProbe(ReplyWait.probePayload)
        replyWait = ReplyWait(handshakeRoundTrip: connection.handshakeRoundTrip, probeSentAt: now)
        stdoutFullAtProbe = stdout.secondsFull(at: now)
        checkReplyWait()
    }

    private func probeAnswered() {
        guard replyWait?.probeRoundTrip == nil else { return }
        // A pong that waited in the socket while stdout was full is late by wsc's doing: the
        // round trip leaves that time out (else a paused reader stretches every quiet period).
        let now = MonotonicClock.now()
        replyWait?.pongReceived(at: now - (stdout.secondsFull(at: now) - stdoutFullAtProbe))
        checkReplyWait()
    }

    /// Closes once the end-of-input rule's quiet period has passed, else checks again when it
    /// would have. Arrivals are not timed one by one: the connection notes when bytes last came,
    /// so a flood of messages costs nothing here.
    private func checkReplyWait() {
        guard let replyWait, !connection.closeRequested else { return }
        loop.cancel(waitTimer)
        waitTimer = nil
        // While stdout is full the socket is not read: the server is not quiet, wsc is not
        // listening. The check resumes when stdout drains (`onDrained`).
        if stdout.isFull { return }
        let due = replyWait.closeTime(lastArrival: connection.lastReadTime, sent: sentCount, received: receivedCount)
        let remaining = due - MonotonicClock.now()
        if remaining <= 0 {
            core.close()
        } else {
            waitTimer = loop.schedule(after: remaining) { [unowned self] in
                self.waitTimer = nil
                self.checkReplyWait()
            }
        }
    }

    /// One more reply for the end-of-input rule; with as many replies as messages its shorter
    /// quiet period applies from now.
    private func replyArrived() {
        receivedCount += 1
        if receivedCount == sentCount, replyWait != nil { checkReplyWait() }
    }

    /// `--count`: one more message received; at the count, close (and exit 0).
    private func messageDelivered() {
        deliveredCount += 1
        guard let limit = settings.messageCount, deliveredCount >= limit, !countReached else { return }
        countReached = true
        // The session is closing, and shows (and records) nothing more.
        core.stopDelivering()
        stopInput()
        core.close()
    }

    /// stdout cannot be written (a full disk, the reader gone with SIGPIPE ignored): reading on
    /// would only discard what arrives, so the session ends at the first failed write.
    private func outputFailed(_ message: String) {
        connection.resumeReading(for: .output)   // the close handshake needs the server's answer
        fail(.failure, message, closeCode: CloseCode.goingAway)
    }

    /// Ends the session with `status`: close cleanly so the server sees why, but exit non-zero.
    private func fail(_ status: ExitStatus, _ message: String, closeCode: UInt16 = CloseCode.normalClosure) {
        core.endStatus(status, message)
        stopInput()
        core.close(code: closeCode)
    }

    /// No more input is read or sent, and no wait is pending: the session is closing.
    private func stopInput() {
        standardInput.stop()
        loop.cancel(replayTimer)
        replayTimer = nil
        loop.cancel(waitTimer)
        waitTimer = nil
        inputEnded = true
    }

    private func handle(_ signal: SignalChannel.Signal) {
        switch signal {
        case .interrupt, .terminate, .hangup:
            interrupts += 1
            // The command has a process group of its own, which the terminal's Ctrl-C misses.
            bridge?.forward(signal: interrupts == 1 ? Self.signalNumber(signal) : SIGKILL)
            // Output nobody reads must not hold the exit: write what fits, drop what would wait.
            stdout.stopWaiting()
            connection.resumeReading(for: .output)
            stopInput()
            core.interrupt("interrupted")
        case .windowChanged, .other:
            break
        }
    }

    private static func signalNumber(_ signal: SignalChannel.Signal) -> Int32 {
        switch signal {
        case .interrupt: return SIGINT
        case .terminate: return SIGTERM
        case .hangup: return SIGHUP
        case .windowChanged: return SIGWINCH
        case let .other(number): return number
        }
    }
}

// MARK: - stdin

extension ClientSession: StandardInputConsumer {
    var canTakeMoreInput: Bool { !connection.isAboveHighWaterMark }

    func standardInput(line: UnsafeRawBufferPointer, number: Int) -> Bool {
        send(line: line, number: number)
    }

    func standardInputEnded(_ ending: StandardInputEnding) {
        switch ending {
        case .endOfInput: inputFinished()
        case let .readFailed(reason): fail(.failure, "cannot read stdin: \(reason)")
        }
    }
}

// MARK: - --exec

extension ClientSession: CommandBridgeDelegate {
    /// Starts the command once the connection is open; its lines are the input from then on.
    private func startCommand(_ command: String) {
        do {
            let process = try CommandProcess.spawn(command)
            let bridge = CommandBridge(process: process, connection: connection, sendsBinary: settings.sendBinary,
                                       loop: loop, delegate: self)
            self.bridge = bridge
            bridge.start()
        } catch {
            fail(.failure, "--exec: \(CommandBridge.describe(error))")
        }
    }

    func commandBridge(_ bridge: CommandBridge, didEnd termination: CommandProcess.Termination) {
        commandEnd = termination
        if connectionEnded {
            // The connection ended first and was waiting for the command.
            stdout.whenEmpty { [unowned self] in self.loop.stop() }
        } else {
            inputEnded = true
            core.close()
        }
    }

    func commandBridge(_ bridge: CommandBridge, cannotSendLine line: Int, error: SendError) {
        if case .invalidUTF8 = error {
            fail(.invalidInput, "--exec output line \(line) is not valid UTF-8 (use -b to send lines as binary)")
        } else {
            fail(.abnormalClose, "cannot send: \(error)")
        }
    }
}

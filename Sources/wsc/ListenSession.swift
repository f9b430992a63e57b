import Glibc
import WebSocketCore
import WebSocketTransport

/// What listen mode (`-l PORT`) does beyond accepting connections.
struct ListenSettings {
    var server: ServerOptions
    /// `--echo`: send every data message back to its sender.
    var echo: Bool
    /// `-b`: stdin lines go out as binary messages.
    var sendBinary: Bool
    var showPingPong: Bool
    var binaryDisplay: BinaryDisplay
    /// `--timestamps`, `--pretty`: as in the interactive session, on every labelled line.
    var timestamps: Bool
    var pretty: Bool
    /// `--jsonl` (stdout) and `--transcript`: records with a `client` field.
    var recorder: MessageRecorder?
    /// False with --jsonl: stdout carries the records instead.
    var printsMessages: Bool
    /// How long Ctrl-C waits for the clients' close frames.
    var closeTimeout: Double
    /// `--exec`: the command run for each client.
    var command: String? = nil
}

/// Listen mode: a WebSocket server on one poll loop.
///
/// Messages from every client go to stdout, one per line as in client mode; status lines
/// (listening, client N connected/disconnected, refused requests) go to stderr. Each stdin
/// line is sent to every open client. stdin is read only while at least one client is open
/// and none is above the outgoing high-water mark, so piped lines wait for a client instead
/// of being dropped, and a slow client slows the reading instead of growing memory. The end
/// of stdin does not end the server: it keeps serving (and echoing) until Ctrl-C or SIGTERM,
/// which close every connection with 1001 (going away), wait up to --close-timeout for the
/// answers, and exit 0. A second Ctrl-C drops the connections at once and exits 130.
final class ListenSession: WebSocketServerDelegate {
    private let loop = EventLoop()
    private let signals = SignalChannel()
    private let settings: ListenSettings
    private let reporter: StatusReporter
    private let stdout: OutputBuffer
    private let printer: LabelledMessagePrinter
    private let tls: TLSContext?
    private lazy var server = WebSocketServer(loop: loop, options: settings.server, tls: tls, delegate: self)

    /// Every open client, by number: what it sends and what it is sent is recorded through it.
    private var connections: [Int: RecordingServerConnection] = [:]
    /// Open clients in the order they connected: where stdin lines go (none with --exec).
    private var clients: [RecordingServerConnection] = []
    /// Read only when a line has somewhere to go and room to wait in.
    private lazy var standardInput = StandardInputReader(loop: loop, keepsCarriageReturn: settings.sendBinary, consumer: self)
    private var stopping = false
    private var stopTimer: TimerID?
    private var interrupts = 0
    private var exitStatus: ExitStatus = .success
    /// `--exec`: the clients' commands; stdin is not read then.
    private var commands: ClientCommands?

    /// `tls`: a server context (--cert/--key, --ca for client certificates) to serve wss://.
    init(settings: ListenSettings, tls: TLSContext?, reporter: StatusReporter, stdout: OutputBuffer) {
        self.settings = settings
        self.reporter = reporter
        self.stdout = stdout
        self.printer = LabelledMessagePrinter(out: stdout, binaryDisplay: settings.binaryDisplay,
                                              timestamps: settings.timestamps, pretty: settings.pretty)
        self.tls = tls
        if let command = settings.command {
            commands = ClientCommands(command: command, sendsBinary: settings.sendBinary, grace: settings.closeTimeout,
                                      loop: loop, reporter: reporter)
            commands?.onIdle = { [unowned self] in self.stopIfDone() }
        }
    }

    /// Serves until stopped by a signal; returns the exit status and the last line to print.
    func run() -> OutcomeReport {
        do {
            try server.start()
        } catch {
            signals.close()
            return OutcomeReport(status: .connectionFailed, message: error.description)
        }
        if let url = server.url {
            reporter.status("listening on \(url)")
        }
        // stdout never blocks the loop: while it is full no client is read (TCP holds them
        // back), and the first failed write stops the server as Ctrl-C does, exiting 1.
        stdout.attach(to: loop)
        reporter.attach(to: loop)
        stdout.onDrained = { [unowned self] in self.resumeReadingClients() }
        stdout.onFailure = { [unowned self] _ in
            self.resumeReadingClients()
            if !self.stopping { self.stop() }
        }
        loop.beforeSleeping { [unowned self] in
            self.settings.recorder?.flush()
            self.stdout.flush()
        }
        _ = loop.watch(signals.fileDescriptor, for: .readable) { [unowned self] _ in
            for signal in self.signals.drain() { self.handle(signal) }
        }
        if commands == nil {
            standardInput.start()
        }
        loop.run()
        settings.recorder?.finish()
        stdout.flush()
        signals.close()
        if exitStatus == .success, let failure = stdout.failure {
            return OutcomeReport(status: .failure, message: failure)
        }
        return OutcomeReport(status: exitStatus, message: exitStatus == .success ? "stopped" : "interrupted")
    }

    // MARK: - WebSocketServerDelegate

    func server(_ server: WebSocketServer, didOpen connection: ServerConnection) {
        let client = RecordingServerConnection(connection, recorder: settings.recorder)
        connections[connection.id] = client
        var line = "client \(connection.id) connected from \(connection.peer)"
        if let handshake = connection.handshake {
            if handshake.request.target != "/" { line += " to \(handshake.request.target)" }
            if let subprotocol = handshake.subprotocol { line += " (subprotocol \(subprotocol))" }
        }
        // The client's own words (a certificate subject can hold anything): StatusLine neutralises them.
        if let subject = connection.clientCertificateSubject { line += " (certificate \(subject))" }
        reporter.status(line)
        // With --exec, stdout still carries --jsonl's records: a full stdout holds every client back.
        if stdout.isFull { connection.pauseReading(for: .output) }
        if let commands {
            commands.clientOpened(client)
            return
        }
        clients.append(client)
        standardInput.settle()
    }

    func server(_ server: WebSocketServer, connection: ServerConnection, didReceive event: WebSocketEvent) {
        guard let client = connections[connection.id] else { return }
        receive(event, from: client, on: connection)
    }

    func server(_ server: WebSocketServer, connection: ServerConnection, didReceive events: inout ReceivedEvents) {
        // The client is looked up once per read, not once per message.
        guard let client = connections[connection.id] else { return }
        while let event = events.next() { receive(event, from: client, on: connection) }
    }

    private func receive(_ event: WebSocketEvent, from client: RecordingServerConnection, on connection: ServerConnection) {
        // How the connection ended is reported once, by `didFinish`.
        guard event.isMessage else { return }
        client.received(event)
        switch event {
        case let .text(payload) where commands != nil, let .binary(payload) where commands != nil:
            commands?.deliver(payload, from: client)
            pauseReadingIfOutputIsFull()
            return
        case let .text(payload):
            if settings.printsMessages { printer.printText(payload, client: connection.id) }
        case let .binary(payload):
            if settings.printsMessages { printer.printBinary(payload, client: connection.id) }
        case let .ping(payload):
            if settings.showPingPong { reporter.event("< ping from client \(connection.id)" + HexFormatting.suffix(payload)) }
            return
        case let .pong(payload):
            if settings.showPingPong { reporter.event("< pong from client \(connection.id)" + HexFormatting.suffix(payload)) }
            return
        case .closed, .protocolViolation, .abnormalClosure:
            return
        }
        pauseReadingIfOutputIsFull()
        guard settings.echo, !stopping else { return }
        if let error = client.echo(event) {
            reporter.warning("cannot echo to client \(connection.id): \(error)")
        }
        if connection.isAboveHighWaterMark {
            // Its echoes are not being read: stop reading what it sends until they drain.
            connection.pauseReading(for: .echo)
        }
    }

    func server(_ server: WebSocketServer, connectionCanAcceptMoreOutput connection: ServerConnection) {
        if let commands {
            // Reading this client is the command's to pause and resume (its stdin).
            if let client = connections[connection.id] { commands.canAcceptMoreOutput(client) }
            return
        }
        connection.resumeReading(for: .echo)
        standardInput.settle()
    }

    /// stdout is full (messages, or --jsonl's records, with --exec too): no client is read.
    private func pauseReadingIfOutputIsFull() {
        guard stdout.isFull else { return }
        for client in connections.values { client.pauseReading(for: .output) }
    }

    /// stdout has room again: read every client (but those whose echoes or command are behind:
    /// those reasons stay until they are not).
    private func resumeReadingClients() {
        for client in connections.values { client.resumeReading(for: .output) }
    }

    func server(_ server: WebSocketServer, connection: ServerConnection, didFinish outcome: ConnectionOutcome) {
        clients.removeAll { $0.id == connection.id }
        let client = connections.removeValue(forKey: connection.id)
        client?.finished(outcome)
        reporter.status(Self.describe(outcome, client: connection.id))
        if let client { commands?.clientFinished(client) }
        standardInput.settle()
        stopIfDone()
    }

    func server(_ server: WebSocketServer, connection: ServerConnection, didFailHandshake failure: HandshakeFailure) {
        reporter.status("client \(connection.id) from \(connection.peer): \(TransportEventWording.describe(failure))")
        stopIfDone()
    }

    func server(_ server: WebSocketServer, didReport event: ServerEvent) {
        reporter.warning(TransportEventWording.line(event))
    }

    // MARK: - Input

    /// Sends one stdin line to every open client. Always returns true: a line that cannot be
    /// sent is reported and skipped, as the server's life is not tied to its input.
    private func broadcast(line: UnsafeRawBufferPointer, number: Int) -> Bool {
        if !settings.sendBinary {
            var validator = UTF8Validator()
            guard validator.feed(line), validator.isAtCharacterBoundary else {
                reporter.warning("stdin line \(number) is not valid UTF-8 and was not sent (use -b to send lines as binary)")
                return true
            }
        }
        for client in clients where client.isOpen {
            do {
                try client.send(line, binary: settings.sendBinary)
            } catch {
                reporter.warning("cannot send stdin line \(number) to client \(client.id): \(error)")
            }
        }
        return true
    }

    // MARK: - Stopping

    private func handle(_ signal: SignalChannel.Signal) {
        switch signal {
        case .interrupt, .terminate, .hangup:
            interrupts += 1
            // Output nobody reads must not hold the exit: write what fits, drop what would wait;
            // the clients are read again so their close answers arrive.
            stdout.stopWaiting()
            resumeReadingClients()
            if interrupts == 1 {
                stop()
            } else {
                // Second Ctrl-C: do not wait for anyone.
                exitStatus = .interrupted
                server.abortAll(.abnormalClosure(.aborted(.interrupted)))
                commands?.killAll()
                loop.stop()
            }
        case .windowChanged, .other:
            break
        }
    }

    /// Stops accepting, closes every client with 1001 and waits (bounded) for their answers.
    private func stop() {
        stopping = true
        standardInput.stop()
        // With --exec the clients are the commands' (`clients` holds those stdin goes to).
        let count = commands == nil ? clients.count : server.activeConnectionCount
        reporter.status(count == 0 ? "shutting down" : "shutting down: closing \(count) connection\(count == 1 ? "" : "s")")
        let timeout = settings.closeTimeout
        // The open clients through their recording connections, then any still in its handshake.
        for id in connections.keys.sorted() {
            connections[id]?.close(code: CloseCode.goingAway, reason: Self.shutdownReason, timeout: timeout)
        }
        server.shutDown(code: CloseCode.goingAway, reason: Self.shutdownReason, timeout: timeout)
        // Each connection has its own close timeout; this one bounds the whole shutdown. With
        // --exec the commands get twice that (end of input, SIGTERM, SIGKILL).
        stopTimer = loop.schedule(after: (commands == nil ? timeout : 2 * timeout) + 0.5) { [unowned self] in
            self.server.abortAll(.closeTimeout(timeout))
            self.commands?.killAll()
            self.loop.stop()
        }
        stopIfDone()
    }

    private func stopIfDone() {
        guard stopping, server.activeConnectionCount == 0, commands?.isEmpty ?? true else { return }
        loop.cancel(stopTimer)
        loop.stop()
    }

    // MARK: - Formatting

    /// The reason of the 1001 close every client gets when the server stops.
    static let shutdownReason = "server shutting down"

    static func describe(_ outcome: ConnectionOutcome, client id: Int) -> String {
        switch outcome {
        case let .closed(code, reason, initiatedByPeer):
            let detail = CloseCode.describe(code, reason: reason)
            return initiatedByPeer ? "client \(id) closed the connection (\(detail))" : "closed client \(id) (\(detail))"
        case let .protocolViolation(violation):
            return "client \(id) broke the protocol: \(violation); closed with \(violation.closeCode)"
        case let .abnormalClosure(cause):
            if case .transportFailed = cause {
                // The failure's own words do not say whose connection it was.
                return "client \(id): " + OutcomeReport.describe(cause, peer: "client \(id)")
            }
            return OutcomeReport.describe(cause, peer: "client \(id)")
        case let .closeTimeout(seconds):
            return "client \(id) did not answer the close frame within \(formatSeconds(seconds)); dropped"
        case let .pingTimeout(seconds):
            return "client \(id) answered no ping within \(formatSeconds(seconds)); dropped"
        case let .applicationTimeout(detail):
            return "client \(id): \(detail); dropped"
        case let .failed(error):
            return "client \(id): \(error)"
        }
    }
}

extension ListenSession: StandardInputConsumer {
    var canTakeMoreInput: Bool { !clients.isEmpty && !clients.contains { $0.isAboveHighWaterMark } }

    func standardInput(line: UnsafeRawBufferPointer, number: Int) -> Bool {
        broadcast(line: line, number: number)
    }

    func standardInputEnded(_ ending: StandardInputEnding) {
        switch ending {
        case .endOfInput: reporter.status("end of stdin; still serving (Ctrl-C stops)")
        case let .readFailed(reason): reporter.warning("cannot read stdin: \(reason); still serving")
        }
    }
}

import Glibc
import WebSocketCore
import SocketIO
import WebSocketTransport

/// A problem with what the user asked for, found before connecting.
struct SetupError: Error, CustomStringConvertible {
    var status: ExitStatus
    var description: String
}

/// Turns the parsed command line into connection options and a session.
struct SessionSetup {
    let connection: ConnectionOptions
    let tlsContext: TLSContext?
    let reconnect: ReconnectSchedule?
    let settings: SessionSettings
    /// What every client session's core needs (`SessionCore`), whichever front end runs it.
    let core: SessionCore.Settings
    let reporter: StatusReporter
    let stdout: OutputBuffer
    /// Set when stdin and stdout are terminals and there is no -x: the interactive session.
    let interactive: InteractiveSettings?

    /// `urlText`: the URL given, or the demo server's. `arguments`: the raw command line, for the
    /// order of -x and --file (see `OutgoingSource`).
    init(options: CommandLineOptions, mode: SessionMode, url urlText: String, environment: [String: String],
         arguments: [String] = Array(CommandLine.arguments.dropFirst())) throws(SetupError) {
        let url: WebSocketURL
        do {
            url = try WebSocketURL(commandLine: urlText)
        } catch {
            throw SetupError(status: .usage, description: "invalid URL '\(urlText)': \(error)")
        }
        var socketIO: SocketIOSettings?
        var connectionURL = url
        var engineIOPolling: EngineIOPollingOptions?
        let socketIOOptions = options.socketIO
        if socketIOOptions.socketIO {
            let endpoint = SocketIOEndpoint(url: url, path: socketIOOptions.socketIOPath,
                                            namespace: socketIOOptions.namespace)
            switch socketIOOptions.socketIOTransport {
            case .websocket:
                connectionURL = endpoint.url
            case .polling, .auto:
                connectionURL = endpoint.pollingURL
                engineIOPolling = EngineIOPollingOptions(webSocketResource: endpoint.url.resource,
                                                         upgrades: socketIOOptions.socketIOTransport == .auto)
            }
            socketIO = SocketIOSettings(
                namespace: endpoint.namespace,
                auth: socketIOOptions.socketIOAuth?.value,
                requestsAcks: socketIOOptions.ack,
                autoAcks: socketIOOptions.autoAck,
                binaryForm: options.output.binaryFormat == .base64 ? .base64 : .hex,
                style: .plain,
                handshakeTimeout: options.connection.connectTimeout.value)
        }
        let connectionArguments = options.connection
        var connection = ConnectionOptions(url: connectionURL)
        connection.engineIOPolling = engineIOPolling
        connection.origin = connectionArguments.origin
        connection.subprotocols = connectionArguments.subprotocols
        connection.protocolVersion = connectionArguments.protocolVersion
        connection.headers = HTTPHeaders(connectionArguments.headers.map { ($0.name, $0.value) })
        if let auth = connectionArguments.auth {
            do {
                connection.credentials = try BasicCredentials(parsing: auth)
            } catch {
                throw SetupError(status: .usage, description: "invalid --auth: \(error)")
            }
        }
        let tls = options.tls
        connection.tls = TLSOptions(caFile: tls.caFile, certificateFile: tls.certificateFile,
                                    keyFile: tls.keyFile, passphrase: nil,
                                    skipVerification: tls.noCheck)
        connection.proxy = ProxyConfiguration(explicit: connectionArguments.proxy, environment: environment)
        connection.unixSocketPath = connectionArguments.unixSocket
        if url.unixSocketPath != nil && (connectionArguments.unixSocket != nil || connectionArguments.proxy != nil) {
            throw SetupError(status: .usage, description: """
                a ws+unix: URL names its socket already; it takes neither --unix-socket nor --proxy
                """)
        }
        connection.connectTimeout = connectionArguments.connectTimeout.value
        if connectionArguments.followRedirects {
            connection.redirects = RedirectPolicy(maxRedirects: connectionArguments.maxRedirects,
                                                  allowsInsecureRedirect: connectionArguments.allowInsecureRedirect)
        }
        connection.configuration = connectionArguments.webSocketConfiguration
        connection.pingInterval = connectionArguments.pingInterval?.value
        connection.pingTimeout = connectionArguments.pingTimeout?.value
        if connectionArguments.noCompression { connection.perMessageDeflate = nil }
        reconnect = options.reconnect.schedule
        reporter = options.reporter(environment: environment)

        // Loading the trust store costs milliseconds: only when wss is possible.
        if url.isSecure || connectionArguments.followRedirects {
            connection.tls.passphrase = try Self.passphrase(tls)
            do {
                tlsContext = try TLSContext(options: connection.tls)
            } catch {
                throw SetupError(status: .tlsFailed, description: TransportErrorMessage.describe(error))
            }
            if tls.noCheck {
                reporter.warning("-n: the server's certificate and host name are not checked")
            }
        } else {
            tlsContext = nil
        }
        self.connection = connection

        let binary = options.output.binary
        guard let sources = OutgoingSource.inOrder(execute: options.scripting.execute, files: options.scripting.files,
                                                   arguments: arguments) else {
            throw SetupError(status: .usage, description: """
                cannot tell the order of -x and --file on this command line: give each as its own argument \
                (-x MESSAGE, --file PATH)
                """)
        }
        var messages: [OutgoingMessage] = []
        for source in sources {
            switch source {
            case let .argument(text): messages.append(try OutgoingMessage(argument: text, binary: binary))
            case let .file(path): messages.append(try OutgoingMessage(file: path, binary: binary))
            }
        }
        let input: SessionInput
        if let command = options.scripting.exec {
            input = .command(command)
        } else if let path = options.recording.replay {
            input = .replay(try Self.readTranscript(path), speed: options.recording.replaySpeed)
        } else if !messages.isEmpty {
            input = .messages(messages)
        } else {
            input = options.scripting.echo ? .nothing : .standardInput
        }
        stdout = OutputBuffer(fd: 1)
        let recorder = try options.recording.recorder(stdout: stdout, includesControlFrames: options.output.showPingPong)
        settings = SessionSettings(
            input: input,
            wait: options.scripting.wait?.value,
            messageCount: options.scripting.messageCount,
            sendBinary: binary,
            showPingPong: options.output.showPingPong,
            binaryDisplay: options.binaryDisplay,
            echo: options.scripting.echo,
            printsMessages: !options.recording.jsonl,
            resendsPreamble: options.reconnect.reconnect && !options.reconnect.noResend
        )
        var core = SessionCore.Settings(
            target: SessionCore.Target(options: connection, tlsContext: tlsContext, reconnect: reconnect),
            recorder: recorder, socketIO: socketIO, verbose: options.output.verbose,
            closeTimeout: connectionArguments.closeTimeout.value)
        if mode == .interactive {
            interactive = Self.interactiveSettings(options: options, environment: environment,
                                                   maxMessageSize: connection.configuration.maxMessageSize)
            // Events are shown above the prompt as `< event: JSON`.
            core.socketIO?.style = .prompt
            if options.interactive.slash { core.connectHint = "/help for commands" }
        } else {
            interactive = nil
        }
        self.core = core
    }

    /// The passphrase of --key: as given, or typed on the terminal for `--passphrase` alone
    /// (nil without the option). The client and a TLS server (-l) both ask it this way.
    static func passphrase(_ tls: TLSArguments) throws(SetupError) -> String? {
        switch tls.passphrase {
        case let .given(text): return text
        case .prompt: return try askPassphrase(key: tls.keyFile ?? tls.certificateFile ?? "")
        case nil: return nil
        }
    }

    /// `--passphrase` without a value: the answer typed on the terminal.
    private static func askPassphrase(key path: String) throws(SetupError) -> String {
        do throws(PassphrasePrompt.Failure) {
            return try PassphrasePrompt.ask("Passphrase for \(path): ")
        } catch {
            switch error {
            case .noTerminal:
                throw SetupError(status: .usage, description: """
                    --passphrase without a value asks on the terminal, and there is none: give it as --passphrase=VALUE
                    """)
            case .cancelled:
                throw SetupError(status: .interrupted, description: "--passphrase: cancelled")
            }
        }
    }

    /// The outgoing messages of a `--replay` transcript.
    private static func readTranscript(_ path: String) throws(SetupError) -> [ReplayMessage] {
        let bytes: [UInt8]
        do {
            bytes = try FileContents.read(path, limit: 1 << 30)
        } catch {
            // Missing or unreadable is as bad a --replay file as a malformed one (exit 9).
            throw SetupError(status: .invalidInput, description: "--replay: \(error)")
        }
        do {
            return try TranscriptReader.outgoingMessages(in: String(decoding: bytes, as: UTF8.self))
        } catch {
            throw SetupError(status: .invalidInput, description: "--replay \(path): \(error)")
        }
    }

    /// The session for this command line, on `loop` (the demo shares its loop with its server).
    func makeSession(loop: EventLoop = EventLoop()) -> any WscSession {
        if let interactive {
            return InteractiveSession(core: core, settings: interactive, loop: loop)
        }
        return ClientSession(core: core, settings: settings, reporter: reporter, stdout: stdout, loop: loop)
    }

    /// The interactive session's settings (`SessionMode` decides whether it is the mode).
    private static func interactiveSettings(options: CommandLineOptions, environment: [String: String],
                                            maxMessageSize: Int) -> InteractiveSettings {
        let history = options.interactive.noHistory
            ? nil : HistoryFile.defaultPath(environment: environment).map { HistoryFile(path: $0) }
        return InteractiveSettings(
            sendBinary: options.output.binary,
            showPingPong: options.output.showPingPong,
            slashCommands: options.interactive.slash,
            history: history,
            timestamps: options.output.timestamps,
            pretty: options.output.pretty,
            quiet: options.output.quiet,
            maxFileSize: maxMessageSize,
            binaryFormat: options.output.binaryFormat ?? .hex,
            outputStyle: TerminalStyle(fd: 1, noColorFlag: options.output.noColor, environment: environment),
            statusStyle: TerminalStyle(fd: 2, noColorFlag: options.output.noColor, environment: environment))
    }
}

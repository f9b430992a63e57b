#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
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
    let reporter: StatusReporter
    let stdout: OutputBuffer
    /// Set when stdin and stdout are terminals and there is no -x: the interactive session.
    let interactive: InteractiveSettings?

    /// `arguments`: the raw command line, for the order of -x and --file (see `OutgoingSource`).
    init(options: CommandLineOptions, environment: [String: String],
         arguments: [String] = Array(CommandLine.arguments.dropFirst())) throws(SetupError) {
        let urlText = options.url ?? options.connect ?? ""
        let url: WebSocketURL
        do {
            url = try WebSocketURL(parsing: urlText)
        } catch {
            throw SetupError(status: .usage, description: "invalid URL '\(urlText)': \(error)")
        }
        var socketIO: SocketIOSettings?
        var connectionURL = url
        var engineIOPolling: EngineIOPollingOptions?
        if options.socketIO {
            let endpoint = SocketIOEndpoint(url: url, path: options.socketIOPath, namespace: options.namespace)
            switch options.socketIOTransport {
            case .websocket:
                connectionURL = endpoint.url
            case .polling, .auto:
                connectionURL = endpoint.pollingURL
                engineIOPolling = EngineIOPollingOptions(webSocketResource: endpoint.url.resource,
                                                         upgrades: options.socketIOTransport == .auto)
            }
            socketIO = SocketIOSettings(
                namespace: endpoint.namespace,
                auth: options.socketIOAuth.flatMap { try? JSONParser.parse($0) },   // checked in validate()
                requestsAcks: options.ack,
                autoAcks: options.autoAck,
                binaryForm: options.binaryFormat == .base64 ? .base64 : .hex,
                style: .plain,
                handshakeTimeout: options.connectTimeout)
        }
        var connection = ConnectionOptions(url: connectionURL)
        connection.engineIOPolling = engineIOPolling
        connection.origin = options.origin
        connection.subprotocols = options.subprotocols
        for header in options.headers {
            guard let field = HTTPHeaderField(parsing: header) else {
                throw SetupError(status: .usage, description: "invalid header '\(header)' (expected 'Name: value')")
            }
            connection.headers.append(field)
        }
        if let auth = options.auth {
            do {
                connection.credentials = try BasicCredentials(parsing: auth)
            } catch {
                throw SetupError(status: .usage, description: "invalid --auth: \(error)")
            }
        }
        connection.tls = TLSOptions(caFile: options.caFile, certificateFile: options.certificateFile,
                                    keyFile: options.keyFile, passphrase: options.passphrase,
                                    skipVerification: options.noCheck)
        connection.proxy = ProxyConfiguration(explicit: options.proxy, environment: environment)
        connection.unixSocketPath = options.unixSocket
        if url.unixSocketPath != nil && (options.unixSocket != nil || options.proxy != nil) {
            throw SetupError(status: .usage, description: """
                a ws+unix: URL names its socket already; it takes neither --unix-socket nor --proxy
                """)
        }
        connection.connectTimeout = options.connectTimeout
        if options.followRedirects {
            connection.redirects = RedirectPolicy(maxRedirects: options.maxRedirects,
                                                  allowsInsecureRedirect: options.allowInsecureRedirect)
        }
        connection.configuration.limitMessages(to: options.messageSizeLimit)
        connection.pingInterval = options.pingInterval
        connection.pingTimeout = options.pingTimeout
        if options.noCompression { connection.perMessageDeflate = nil }
        self.connection = connection
        reconnect = options.reconnect
            ? ReconnectSchedule(
                policy: BackoffPolicy(initial: options.reconnectDelay, factor: 2, maximum: options.reconnectMaxDelay),
                maxAttempts: options.reconnectAttempts)
            : nil

        let errorStyle = TerminalStyle(fd: 2, noColorFlag: options.noColor, environment: environment)
        reporter = StatusReporter(style: errorStyle, quiet: options.quiet)

        // Loading the trust store costs milliseconds: only when wss is possible.
        if url.isSecure || options.followRedirects {
            do {
                tlsContext = try TLSContext(options: connection.tls)
            } catch {
                throw SetupError(status: .tlsFailed, description: TransportErrorMessage.describe(error))
            }
            if options.noCheck {
                reporter.warning("-n: the server's certificate and host name are not checked")
            }
        } else {
            tlsContext = nil
        }

        let stdoutIsTerminal = isatty(1) == 1
        let binaryDisplay = BinaryDisplay(format: options.binaryFormat, binaryFlag: options.binary,
                                          terminal: stdoutIsTerminal)
        guard let sources = OutgoingSource.inOrder(execute: options.execute, files: options.scripting.files,
                                                   arguments: arguments) else {
            throw SetupError(status: .usage, description: """
                cannot tell the order of -x and --file on this command line: give each as its own argument \
                (-x MESSAGE, --file PATH)
                """)
        }
        var messages: [OutgoingMessage] = []
        for source in sources {
            switch source {
            case let .argument(text): messages.append(try OutgoingMessage(argument: text, binary: options.binary))
            case let .file(path): messages.append(try OutgoingMessage(file: path, binary: options.binary))
            }
        }
        let input: SessionInput
        if let path = options.replay {
            input = .replay(try Self.readTranscript(path), speed: options.replaySpeed)
        } else if !messages.isEmpty {
            input = .messages(messages)
        } else {
            input = options.echo ? .nothing : .standardInput
        }
        stdout = OutputBuffer(fd: 1)
        let recorder = MessageRecorder(includesControlFrames: options.showPingPong)
        if options.jsonl { recorder.addOutput(stdout) }
        if let transcript = options.transcript { try recorder.addFile(transcript) }
        settings = SessionSettings(
            input: input,
            wait: options.wait,
            messageCount: options.messageCount,
            closeTimeout: options.closeTimeout,
            sendBinary: options.binary,
            showPingPong: options.showPingPong,
            binaryDisplay: binaryDisplay,
            echo: options.echo,
            recorder: recorder.isEmpty ? nil : recorder,
            printsMessages: !options.jsonl,
            resendsPreamble: options.reconnect && !options.noResend,
            verbose: options.verbose,
            socketIO: socketIO
        )
        var interactive = Self.interactiveSettings(options: options, environment: environment,
                                                   maxMessageSize: connection.configuration.maxMessageSize,
                                                   recorder: settings.recorder)
        interactive?.socketIO = socketIO.map { settings in
            var prompt = settings
            prompt.style = .prompt
            return prompt
        }
        self.interactive = interactive
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
            return InteractiveSession(options: connection, tlsContext: tlsContext, reconnect: reconnect,
                                      settings: interactive, loop: loop)
        }
        return ClientSession(options: connection, tlsContext: tlsContext, reconnect: reconnect,
                             settings: settings, reporter: reporter, stdout: stdout, loop: loop)
    }

    /// The interactive session's settings, or nil when it is not the mode: it needs a terminal
    /// on stdin and stdout, and -x always means one-shot.
    private static func interactiveSettings(options: CommandLineOptions, environment: [String: String],
                                            maxMessageSize: Int, recorder: MessageRecorder?) -> InteractiveSettings? {
        // --jsonl makes stdout a stream of records and --replay is the input: neither is a prompt.
        // --count ends the session by itself: the terminal is read as a pipe, line by line.
        guard options.execute.isEmpty, options.scripting.files.isEmpty, !options.jsonl, options.replay == nil, options.messageCount == nil,
              isatty(0) == 1, isatty(1) == 1 else { return nil }
        let history = options.noHistory
            ? nil : HistoryFile.defaultPath(environment: environment).map { HistoryFile(path: $0) }
        return InteractiveSettings(
            closeTimeout: options.closeTimeout,
            sendBinary: options.binary,
            showPingPong: options.showPingPong,
            slashCommands: options.slash,
            history: history,
            timestamps: options.timestamps,
            pretty: options.pretty,
            quiet: options.quiet,
            maxFileSize: maxMessageSize,
            binaryFormat: options.binaryFormat ?? .hex,
            recorder: recorder,
            verbose: options.verbose,
            outputStyle: TerminalStyle(fd: 1, noColorFlag: options.noColor, environment: environment),
            statusStyle: TerminalStyle(fd: 2, noColorFlag: options.noColor, environment: environment))
    }
}

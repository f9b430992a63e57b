import Glibc
import WebSocketCore
import WebSocketTransport

/// What this run of wsc is, decided once from the command line: a server (-l), or a client
/// session (against the URL, or against the in-process echo server of --demo). This is the
/// one place where options become settings.
enum Launch {
    case listen(ListenSession, reporter: StatusReporter)
    case client(SessionSetup, loop: EventLoop, demo: DemoServer?)

    init(options: CommandLineOptions, environment: [String: String]) throws(SetupError) {
        let mode = SessionMode(options: options)
        if let unused = options.unusedOption(in: mode) {
            throw SetupError(status: .usage, description: "\(unused) has no effect in \(mode.name); leave it out")
        }
        if let address = options.listen.listen {
            let reporter = options.reporter(environment: environment)
            // The certificate and key are loaded before listening: a bad file is a TLS setup error (exit 4).
            var tls: TLSContext?
            if let tlsOptions = options.tls.serverOptions(passphrase: try SessionSetup.passphrase(options.tls)) {
                do {
                    tls = try TLSContext(options: tlsOptions, role: .server)
                } catch {
                    throw SetupError(status: .tlsFailed, description: TransportErrorMessage.describe(error))
                }
            }
            let stdout = OutputBuffer(fd: 1)
            self = .listen(ListenSession(settings: try ListenSettings(options: options, address: address, stdout: stdout),
                                         tls: tls, reporter: reporter, stdout: stdout), reporter: reporter)
            return
        }
        let loop = EventLoop()
        guard options.listen.demo else {
            self = .client(try SessionSetup(options: options, mode: mode, url: options.urlText ?? "",
                                            environment: environment),
                           loop: loop, demo: nil)
            return
        }
        let server = DemoServer(loop: loop, configuration: options.connection.webSocketConfiguration)
        let url: String
        do {
            url = try server.start()
        } catch {
            throw SetupError(status: .connectionFailed, description: "--demo: \(error)")
        }
        // The demo server is on loopback in this process: a proxy from the environment must not apply.
        let direct = environment.filter { !["http_proxy", "https_proxy"].contains($0.key.lowercased()) }
        let setup = try SessionSetup(options: options, mode: mode, url: url, environment: direct)
        let typing = !options.scripting.hasMessages && options.scripting.exec == nil && isatty(0) == 1
        setup.reporter.status("demo: echo server on \(url) (in-process); "
            + (typing ? "type a line, it comes back" : "every message comes back"))
        self = .client(setup, loop: loop, demo: server)
    }
}

extension CommandLineOptions {
    /// Status lines and errors on stderr, as -q and --no-color ask.
    func reporter(environment: [String: String]) -> StatusReporter {
        StatusReporter(style: TerminalStyle(fd: 2, noColorFlag: output.noColor, environment: environment),
                       quiet: output.quiet)
    }

    /// How received binary messages are shown on this stdout.
    var binaryDisplay: BinaryDisplay {
        BinaryDisplay(format: output.binaryFormat, binaryFlag: output.binary, terminal: isatty(1) == 1)
    }
}

extension ConnectionArguments {
    /// The protocol limits every connection of this run uses, client or server.
    var webSocketConfiguration: WebSocketConfiguration {
        var configuration = WebSocketConfiguration()
        configuration.limitMessages(to: maxMessageSize.bytes)
        return configuration
    }
}

extension ListenSettings {
    init(options: CommandLineOptions, address: ListenAddress, stdout: OutputBuffer) throws(SetupError) {
        let recorder = try options.recording.recorder(stdout: stdout, includesControlFrames: options.output.showPingPong)
        var server = ServerOptions(host: options.listen.host ?? "127.0.0.1")
        switch address {
        case let .port(port): server.port = UInt16(port)   // checked: 0...65535
        case let .unixSocket(path): server.unixSocketPath = path
        }
        server.subprotocols = options.connection.subprotocols
        server.configuration = options.connection.webSocketConfiguration
        if options.connection.noCompression { server.perMessageDeflate = nil }
        self.init(server: server, echo: options.scripting.echo, sendBinary: options.output.binary,
                  showPingPong: options.output.showPingPong, binaryDisplay: options.binaryDisplay,
                  timestamps: options.output.timestamps, pretty: options.output.pretty, recorder: recorder,
                  printsMessages: !options.recording.jsonl, closeTimeout: options.connection.closeTimeout.value,
                  command: options.scripting.exec)
    }
}

import ArgumentParser
import WebSocketCore

/// wsc's command line. Flag names follow wscat's where wscat has the flag, so
/// existing habits and scripts carry over; the doc comments are the `--help` text.
struct CommandLineOptions: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wsc",
        abstract: "A WebSocket client for the terminal, for pipes and for scripts.",
        discussion: """
        Interactive: when stdin and stdout are a terminal (and no -x), wsc opens a "> " prompt where \
        each line is sent as a text message and received messages are printed above it as "< message"; \
        /help lists the slash commands, Ctrl-D closes (exit 0), Ctrl-C clears the line and, on an empty \
        line, closes and exits with 130. Alt-Enter (Esc Enter) inserts a line break into the message \
        being composed, and a paste of several lines becomes one message (the terminal's bracketed \
        paste mode); Enter sends it as one text message.

        Pipe: when stdin is not a terminal, every input line is sent as one text message, and wsc \
        closes cleanly once all of stdin is delivered.

        One-shot: with -x, wsc sends the given messages, prints what arrives, and exits.

        End of input (pipe and one-shot, without -w): after its last message wsc sends a ping, and \
        closes with 1000 once the pong is in (the server has read everything), as many replies as \
        messages have arrived, and nothing has arrived for the ping's round-trip time (0.5 ms to 0.5 s). \
        Until then it waits while anything arrives, and closes after 0.5 s of silence (4 handshake \
        round trips if longer), so a slow server or one that does not answer pings still gets its \
        replies through. When the server closes first, wsc exits at once.

        Listen: with -l PORT, wsc is a server. It prints what clients send, sends each stdin line to \
        every connected client (lines wait until one is), and keeps serving when stdin ends; --echo \
        sends every message back to its sender. Ctrl-C closes each connection with 1001 (going away) \
        and exits 0.

        Demo: with --demo, wsc starts an echo server inside itself on a free loopback port and \
        connects to it, so it can be tried without a server.

        Socket.IO: with --socketio, the URL is a Socket.IO server (http://host:3000). Each input line \
        'event JSON...' emits the event with one argument per JSON value; a line without a JSON part \
        emits 'message' with the line as a string. Incoming events print as 'event JSON...', one per \
        line; with --ack, replies print as 'ack ID: JSON...'. An event the server wants acknowledged \
        ends with '[ack ID]': the line 'ack ID JSON...' answers it (or --auto-ack does, at once). \
        Binary attachments print in place as {"$hex":"..."} (or {"$binary":"base64"} with \
        --binary-format base64), and either form in an input line is sent as a binary attachment.

        Received text goes to stdout, one message per line; status lines and errors go to stderr. \
        Binary messages are printed as a hex dump on a terminal, as one line of hex on a pipe, and \
        raw with -b (see --binary-format). --jsonl writes every message as a JSON line instead. \
        While stdout's reader lags, wsc stops reading the socket (at most 1 MiB of output waits); \
        if stdout cannot be written (a full disk, a closed pipe with SIGPIPE ignored), wsc closes with \
        1001 (going away), prints "cannot write output" and exits 1. Status lines are dropped \
        (and counted) while 256 KiB of them wait for stderr's reader; at exit wsc waits at most \
        1 s for stderr.

        Exit status:
        \(ExitStatus.helpTable)
        """,
        version: wscVersion
    )

    /// The server to connect to: ws://, wss://, http:// or https:// (read as ws/wss).
    @Argument(help: ArgumentHelp("The WebSocket URL, e.g. ws://localhost:8080/path.", valueName: "url"))
    var url: String?

    @OptionGroup(title: "Connection") var connection: ConnectionArguments
    @OptionGroup(title: "TLS") var tls: TLSArguments
    @OptionGroup(title: "Sending and scripting") var scripting: ScriptingOptions
    @OptionGroup(title: "Output") var output: OutputArguments
    @OptionGroup(title: "Interactive session") var interactive: InteractiveArguments
    @OptionGroup(title: "Reconnecting") var reconnect: ReconnectArguments
    @OptionGroup(title: "Listen mode and demo") var listen: ListenArguments
    @OptionGroup(title: "Socket.IO") var socketIO: SocketIOArguments
    @OptionGroup(title: "Recording and replay") var recording: RecordingArguments

    /// The URL as given, positionally or with -c.
    var urlText: String? { url ?? connection.connect }

    /// wscat's `-V`.
    @Flag(name: .customShort("V"), help: "Show the version (wscat's spelling of --version).")
    var showVersion = false

    /// Every rule: each group's own, then those across groups. Called once parsing has
    /// succeeded (not as swift-argument-parser's `validate()`, which runs before unknown options
    /// are reported), so `wsc --bogus` says what is wrong with --bogus, not that the URL is missing.
    func check() throws {
        try connection.check()
        try tls.check()
        try scripting.check()
        try reconnect.check()
        try listen.check()
        try socketIO.check()
        try recording.check()
        try validateSocketIO()
        try validateScripting()
        if listen.demo && scripting.echo {
            throw ValidationError("--demo already echoes; with --echo each message would bounce back and forth forever")
        }
        if listen.listen != nil || listen.demo {
            if url != nil || connection.connect != nil {
                throw ValidationError("\(listen.demo ? "--demo" : "-l/--listen") takes no URL")
            }
        } else {
            if url != nil && connection.connect != nil {
                throw ValidationError("give the URL once: either as an argument or with -c/--connect")
            }
            if url == nil && connection.connect == nil {
                throw ValidationError("missing the URL to connect to (e.g. wsc ws://localhost:8080, or wsc --demo)")
            }
        }
        if listen.listen != nil {
            // Options that shape an outgoing connection mean nothing to a server: say so
            // rather than ignore them.
            let clientOnly: [(String, Bool)] = [
                ("-x/--execute", !scripting.execute.isEmpty), ("-w/--wait", scripting.wait != nil),
                ("--count", scripting.count != nil), ("-1", scripting.one),
                ("-H/--header", !connection.headers.isEmpty),
                ("-o/--origin", connection.origin != nil), ("--auth", connection.auth != nil),
                ("-L/--location", connection.followRedirects),
                ("--allow-insecure-redirect", connection.allowInsecureRedirect),
                ("--proxy", connection.proxy != nil), ("--unix-socket", connection.unixSocket != nil),
                ("-n/--no-check", tls.noCheck),
                ("-r/--reconnect", reconnect.reconnect), ("--reconnect-attempts", reconnect.reconnectAttempts != nil),
                ("--ping-interval", connection.pingInterval != nil),
                ("-p/--protocol", connection.givenProtocolVersion != nil),
                ("--connect-timeout", connection.givenConnectTimeout != nil),
                ("--replay", recording.replay != nil), ("-v/--verbose", output.verbose),
            ]
            if let (name, _) = clientOnly.first(where: { $0.1 }) {
                throw ValidationError("\(name) is for connecting to a server; it does not apply to -l/--listen")
            }
            if tls.certificateFile == nil && (tls.caFile != nil || tls.passphrase != nil) {
                throw ValidationError("""
                    with -l, \(tls.caFile != nil ? "--ca (verifying client certificates)" : "--passphrase") \
                    needs the server's own --cert (and --key)
                    """)
            }
        }
        if recording.replay != nil {
            if !scripting.execute.isEmpty {
                throw ValidationError("--replay sends a transcript's messages; it cannot be combined with -x")
            }
            if scripting.echo { throw ValidationError("--replay cannot be combined with --echo") }
        }
    }

    /// Socket.IO's rules that involve other groups.
    private func validateSocketIO() throws {
        guard socketIO.socketIO else { return }
        let conflicting: [(String, Bool)] = [
            ("-l/--listen", listen.listen != nil), ("--demo", listen.demo), ("--echo", scripting.echo),
            ("-b/--binary", output.binary), ("--replay", recording.replay != nil),
        ]
        if let (name, _) = conflicting.first(where: { $0.1 }) {
            throw ValidationError("\(name) cannot be combined with --socketio")
        }
        if socketIO.socketIOTransport == .polling, connection.pingInterval != nil {
            throw ValidationError("""
                --ping-interval sends WebSocket pings, which HTTP long-polling does not have \
                (Engine.IO's own heartbeat is always watched)
                """)
        }
    }
}

let wscVersion = "0.1.0"

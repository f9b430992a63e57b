import ArgumentParser
import WebSocketCore
import SocketIO

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
        line, closes and exits with 130.

        Pipe: when stdin is not a terminal, every input line is sent as one text message, and wsc \
        closes cleanly once all of stdin is delivered.

        One-shot: with -x, wsc sends the given messages, prints what arrives, and exits.

        End of input (pipe and one-shot, without -w): after its last message wsc sends a ping, and \
        closes with 1000 once the pong is in (the server has read everything), as many replies as \
        messages have arrived, and nothing has arrived for the ping's round-trip time (2 ms to 0.5 s). \
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
        1001 (going away), prints "cannot write output" and exits 1.

        Exit status:
        \(ExitStatus.helpTable)
        """,
        version: wscVersion
    )

    /// The server to connect to: ws://, wss://, http:// or https:// (read as ws/wss).
    @Argument(help: ArgumentHelp("The WebSocket URL, e.g. ws://localhost:8080/path.", valueName: "url"))
    var url: String?

    @Option(name: [.customShort("c"), .customLong("connect")],
            help: ArgumentHelp("The WebSocket URL (wscat's spelling; same as the positional argument).", valueName: "url"))
    var connect: String?

    @Option(name: [.customShort("x"), .customLong("execute")],
            help: ArgumentHelp("""
                Send this text message after connecting, print replies, then close (repeatable, sent in order). \
                With -b it is sent as binary: its UTF-8 bytes, or hex:48656c6c6f / base64:SGVsbG8= for other bytes. \
                With -r the messages are sent again after every reconnect (see --no-resend).
                """, valueName: "message"))
    var execute: [String] = []

    @Option(name: [.customShort("w"), .customLong("wait")], parsing: .unconditional,
            help: ArgumentHelp("""
                After the last message is sent, keep receiving for up to this many seconds (ending early when the \
                server closes), then close. 0 closes at once. Default: the end-of-input rule ('End of input' in the description).
                """, valueName: "seconds"))
    var wait: Double?

    @Option(name: .customLong("count"),
            help: ArgumentHelp("""
                Exit 0 as soon as this many messages have been received (closing with 1000), whatever else is \
                still arriving or still to be sent. Without -w, wait for them however long they take. Pipe and \
                one-shot mode (with it, a terminal on stdin is read as a pipe).
                """, valueName: "n"))
    var count: Int?

    @Flag(name: .customShort("1"), help: "Same as --count 1: exit after the first message received.")
    var one = false

    /// `--count N` or `-1`.
    var messageCount: Int? { one ? 1 : count }

    @Option(name: [.customShort("H"), .customLong("header")],
            help: ArgumentHelp("Add a request header to the handshake (repeatable).", valueName: "name: value"))
    var headers: [String] = []

    @Option(name: [.customShort("o"), .customLong("origin")], help: "Send this Origin header.")
    var origin: String?

    @Option(name: [.customShort("s"), .customLong("subprotocol")],
            help: ArgumentHelp("Offer this subprotocol (repeatable, in order of preference); with -l, accept it.",
                               valueName: "protocol"))
    var subprotocols: [String] = []

    @Option(name: .customLong("auth"),
            help: ArgumentHelp("HTTP Basic credentials for the handshake (overrides user:pass in the URL).",
                               valueName: "user:pass"))
    var auth: String?

    @Flag(name: [.customShort("P"), .customLong("show-ping-pong")],
          help: """
            Print received pings and pongs (on stderr). These are WebSocket control frames: Engine.IO's \
            heartbeat (--socketio) is data, seen with --jsonl.
            """)
    var showPingPong = false

    @Flag(name: .customLong("no-color"), help: "Never colour the output (NO_COLOR in the environment does the same).")
    var noColor = false

    @Flag(name: [.customShort("L"), .customLong("location")],
          help: ArgumentHelp("""
            Follow redirects (3xx with Location) during the handshake. Authorization and Cookie \
            headers (-H), --auth and the URL's user:password are sent only where scheme, host and port \
            all match the URL given; a redirect from wss:// to ws:// is refused (exit 5) unless \
            --allow-insecure-redirect.
            """))
    var followRedirects = false

    @Option(name: .customLong("max-redirects"), parsing: .unconditional,
            help: ArgumentHelp("How many redirects -L follows at most.", valueName: "count"))
    var maxRedirects = 10

    @Flag(name: .customLong("allow-insecure-redirect"),
          help: "With -L: follow a redirect from wss:// to ws:// (refused by default: it would leave TLS).")
    var allowInsecureRedirect = false

    @Option(name: .customLong("proxy"),
            help: ArgumentHelp("""
                Connect through this proxy: http://host:port (a CONNECT tunnel), socks5://[user:password@]host:port \
                (SOCKS5; wsc resolves the server's name) or socks5h://... (the proxy resolves it). Without it, \
                https_proxy (wss), http_proxy (ws), all_proxy (either) and no_proxy from the environment apply.
                """, valueName: "url"))
    var proxy: String?

    @Option(name: .customLong("unix-socket"),
            help: ArgumentHelp("""
                Connect to this Unix domain socket instead of the URL's host and port; the URL still gives the Host \
                header and the path (and, with wss://, TLS's server name). A ws+unix:///path.sock:/resource URL does \
                the same.
                """, valueName: "path"))
    var unixSocket: String?

    @Option(name: .customLong("ca"), help: ArgumentHelp("Trust the CA certificates in this PEM file instead of the system store.", valueName: "file"))
    var caFile: String?

    @Option(name: .customLong("cert"), help: ArgumentHelp("Client certificate (PEM) for wss://.", valueName: "file"))
    var certificateFile: String?

    @Option(name: .customLong("key"), help: ArgumentHelp("Private key (PEM) of the client certificate.", valueName: "file"))
    var keyFile: String?

    @Option(name: .customLong("passphrase"), help: ArgumentHelp("Passphrase of an encrypted --key (without it such a key is an error, exit 4: wsc never prompts).", valueName: "passphrase"))
    var passphrase: String?

    @Flag(name: [.customShort("n"), .customLong("no-check")],
          help: "Do not verify the server's certificate or host name (prints a warning).")
    var noCheck = false

    @Option(name: .customLong("connect-timeout"), parsing: .unconditional,
            help: ArgumentHelp("""
                Give up when name resolution, connecting (a host's addresses are tried 250 ms apart, \
                Happy Eyeballs), TLS and the handshake take longer than this.
                """, valueName: "seconds"))
    var connectTimeout: Double = 10

    @Option(name: .customLong("close-timeout"), parsing: .unconditional,
            help: ArgumentHelp("After sending a close frame, wait this long for the server's.", valueName: "seconds"))
    var closeTimeout: Double = 5

    @Option(name: .customLong("max-message-size"),
            help: ArgumentHelp("""
                Largest incoming message accepted (e.g. 1048576, 512K, 64M); a larger one closes the connection \
                with 1009.
                """, valueName: "bytes"))
    var maxMessageSize = "64M"

    /// `--max-message-size` in bytes (validated in `validate()`).
    var messageSizeLimit: Int { ByteSize.parse(maxMessageSize) ?? WebSocketConfiguration.defaultMaxMessageSize }

    @Flag(name: [.customShort("b"), .customLong("binary")],
          help: """
            Send input as binary messages, and write received binary messages raw. stdin is still cut \
            into one message per line (at LF only: a CR is data); --file sends a file (or --file -, all of \
            stdin) as one message.
            """)
    var binary = false

    @Flag(name: [.customShort("q"), .customLong("quiet")], help: "Print no status lines on stderr (errors still).")
    var quiet = false

    @Flag(name: [.customShort("r"), .customLong("reconnect")],
          help: """
            Reconnect when the connection ends without being asked to (lost, closed by the server, ping timeout), \
            with exponential backoff and full jitter. Messages not yet written to the socket are sent after the \
            reconnect, in order.
            """)
    var reconnect = false

    @Option(name: .customLong("reconnect-delay"), parsing: .unconditional,
            help: ArgumentHelp("Backoff ceiling before the first reconnect; it doubles per attempt.", valueName: "seconds"))
    var reconnectDelay: Double = 0.5

    @Option(name: .customLong("reconnect-max-delay"), parsing: .unconditional,
            help: ArgumentHelp("Largest backoff ceiling between attempts.", valueName: "seconds"))
    var reconnectMaxDelay: Double = 30

    @Option(name: .customLong("reconnect-attempts"), parsing: .unconditional,
            help: ArgumentHelp("""
                Give up after this many consecutive attempts (default: unlimited), exiting with the code of the \
                last outcome (8 if it was a close). A connection that stays up for 10 s resets the count and the delay.
                """, valueName: "n"))
    var reconnectAttempts: Int?

    @Option(name: .customLong("ping-interval"), parsing: .unconditional,
            help: ArgumentHelp("""
                Send a ping this often while connected, to detect a dead peer (with --socketio over polling: once \
                upgraded to WebSocket).
                """, valueName: "seconds"))
    var pingInterval: Double?

    @Option(name: .customLong("ping-timeout"), parsing: .unconditional,
            help: ArgumentHelp("""
                With --ping-interval: declare the peer dead when no pong arrives within this time (default: the \
                interval); wsc closes with 1011, then reconnects with -r or exits with status 7.
                """, valueName: "seconds"))
    var pingTimeout: Double?

    // Compression and echo (the conformance work).

    @Flag(name: .customLong("no-compression"),
          help: "Do not offer permessage-deflate compression (offered by default); with -l, decline clients' offers.")
    var noCompression = false

    @Flag(name: .customLong("echo"),
          help: ArgumentHelp("""
                Send every received message back unchanged (text as text, binary as binary). Without -x, stdin \
                is not read and wsc echoes until the server closes. With -l, each client's messages go back to \
                that client (an echo server).
                """))
    var echo = false

    // Listen mode and the demo.

    @Option(name: [.customShort("l"), .customLong("listen")], parsing: .unconditional,
            help: ArgumentHelp("""
                Be a server: accept WebSocket clients on this port (0 picks a free one; the address is printed on \
                stderr as 'listening on ws://HOST:PORT/'). -s names the subprotocols accepted.
                """, valueName: "port"))
    var listen: Int?

    @Option(name: .customLong("host"),
            help: ArgumentHelp("With -l: the address to listen on; :: or 0.0.0.0 accept clients from other hosts.",
                               valueName: "address"))
    var host: String?

    @Flag(name: .customLong("demo"),
          help: "Start an echo server inside wsc on a free loopback port and connect to it: try wsc without a server.")
    var demo = false

    // MARK: Interactive session (a terminal on stdin and stdout, no -x)

    @Flag(inversion: .prefixedNo,
          help: """
            Slash commands in the interactive session: /ping [data], /pong [data], /close [code [reason]], \
            /binary <hex or @file>, /help, /quit; a line starting with // sends the rest after one /. On by \
            default; --no-slash sends every line as typed.
            """)
    var slash = true

    @Flag(name: .customLong("no-history"),
          help: """
            Keep no history file for the interactive session (by default up to 1000 lines are kept, mode 0600, \
            in $XDG_STATE_HOME/wsc/history or ~/.local/state/wsc/history).
            """)
    var noHistory = false

    @Flag(name: .customLong("timestamps"),
          help: "Interactive session: prefix every received message with its local arrival time (HH:MM:SS.mmm).")
    var timestamps = false

    @Flag(name: .customLong("pretty"),
          help: """
            Interactive session: print received JSON objects and arrays indented by two spaces (strings and \
            numbers exactly as sent); other messages are printed as they are. Not with --socketio, whose \
            events stay one line each.
            """)
    var pretty = false

    // MARK: Transcripts, binary display, preamble resend, verbose handshakes

    @Flag(name: .customLong("jsonl"),
          help: """
            Write every message to stdout as one JSON object per line instead of printing it: received and \
            sent, with -P also pings and pongs, and the close. Fields: time (RFC 3339, UTC, milliseconds), \
            direction (in/out), kind (text/binary/ping/pong/close), length, data (text as a string, binary as \
            base64), and code and reason for a close. Stdin is then read as in pipe mode, even on a \
            terminal (no prompt, no slash commands).
            """)
    var jsonl = false

    @Option(name: .customLong("transcript"),
            help: ArgumentHelp("""
                Append the same JSON lines as --jsonl to this file (created with mode 0600 if missing) while \
                the session runs as usual: pipe, one-shot or interactive.
                """, valueName: "file"))
    var transcript: String?

    @Option(name: .customLong("replay"),
            help: ArgumentHelp("""
                Send the outgoing text and binary messages (direction "out") of a transcript written by \
                --transcript or --jsonl, in order, instead of reading stdin; then close as in one-shot mode.
                """, valueName: "file"))
    var replay: String?

    @Option(name: .customLong("replay-speed"), parsing: .unconditional,
            help: ArgumentHelp("""
                With --replay: 0 sends as fast as possible, 1 keeps the transcript's timing, \
                2 replays twice as fast, 0.5 at half speed.
                """, valueName: "factor"))
    var replaySpeed: Double = 0

    @Option(name: .customLong("binary-format"),
            help: ArgumentHelp("""
                How received binary messages are shown: hex (a hex dump on a terminal, one line of hex on a \
                pipe), base64 (one line per message), or raw (the bytes as they are). Default: hex, or raw \
                with -b on a pipe. With --socketio, attachments show inside the JSON as {"$binary":"..."} for \
                base64, else as {"$hex":"..."}.
                """, valueName: "hex|base64|raw"))
    var binaryFormat: BinaryFormat?

    @Flag(name: .customLong("no-resend"),
          help: """
            With -r: do not send the -x messages again after a reconnect (by default they are re-sent first \
            on every new connection, like a login or a subscription).
            """)
    var noResend = false

    @Flag(name: [.customShort("v"), .customLong("verbose")],
          help: """
            Print the handshake request ("> " lines) and response headers ("< " lines) on stderr. The values \
            of Authorization, Proxy-Authorization, Cookie and Set-Cookie are shown as <masked> (the \
            Authorization scheme stays: "Basic <masked>").
            """)
    var verbose = false

    /// --file (and the other scripting options): their own file, merged into this list.
    @OptionGroup var scripting: ScriptingOptions

    mutating func validate() throws {
        try validateSocketIO()
        try validateScripting()
        for (name, value) in [("--reconnect-delay", reconnectDelay), ("--reconnect-max-delay", reconnectMaxDelay)]
        where !(value > 0) {
            throw ValidationError("\(name) must be a positive number of seconds, not \(value)")
        }
        if let reconnectAttempts, reconnectAttempts < 0 {
            throw ValidationError("--reconnect-attempts must be zero or more")
        }
        if let pingInterval, !(pingInterval > 0) {
            throw ValidationError("--ping-interval must be a positive number of seconds, not \(pingInterval)")
        }
        if let pingTimeout {
            guard pingInterval != nil else { throw ValidationError("--ping-timeout needs --ping-interval") }
            guard pingTimeout > 0 else {
                throw ValidationError("--ping-timeout must be a positive number of seconds, not \(pingTimeout)")
            }
        }
        if listen != nil && demo {
            throw ValidationError("--demo runs its own server; it cannot be combined with -l/--listen")
        }
        if demo && echo {
            throw ValidationError("--demo already echoes; with --echo each message would bounce back and forth forever")
        }
        if let listen, !(0...65535).contains(listen) {
            throw ValidationError("-l/--listen: \(listen) is not a port (0 to 65535; 0 picks a free one)")
        }
        if host != nil && listen == nil {
            throw ValidationError("--host is the address -l/--listen binds; it needs -l")
        }
        if listen != nil || demo {
            if url != nil || connect != nil {
                throw ValidationError("\(demo ? "--demo" : "-l/--listen") takes no URL")
            }
        } else {
            if url != nil && connect != nil {
                throw ValidationError("give the URL once: either as an argument or with -c/--connect")
            }
            if url == nil && connect == nil {
                throw ValidationError("missing the URL to connect to (e.g. wsc ws://localhost:8080, or wsc --demo)")
            }
        }
        if listen != nil {
            // Options that shape an outgoing connection mean nothing to a server: say so
            // rather than ignore them.
            let clientOnly: [(String, Bool)] = [
                ("-x/--execute", !execute.isEmpty), ("-w/--wait", wait != nil),
                ("--count", count != nil), ("-1", one), ("-H/--header", !headers.isEmpty),
                ("-o/--origin", origin != nil), ("--auth", auth != nil), ("-L/--location", followRedirects),
                ("--allow-insecure-redirect", allowInsecureRedirect),
                ("--proxy", proxy != nil), ("--unix-socket", unixSocket != nil), ("--ca", caFile != nil), ("--cert", certificateFile != nil),
                ("--key", keyFile != nil), ("--passphrase", passphrase != nil), ("-n/--no-check", noCheck),
                ("-r/--reconnect", reconnect), ("--reconnect-attempts", reconnectAttempts != nil),
                ("--ping-interval", pingInterval != nil),
            ]
            if let (name, _) = clientOnly.first(where: { $0.1 }) {
                throw ValidationError("\(name) is for connecting to a server; it does not apply to -l/--listen")
            }
        }
        for (name, value) in [("--connect-timeout", connectTimeout), ("--close-timeout", closeTimeout)] where !(value > 0) {
            throw ValidationError("\(name) must be a positive number of seconds, not \(value)")
        }
        if let wait, !(wait >= 0) {
            throw ValidationError("-w/--wait must be zero or more seconds, not \(wait)")
        }
        if let count, count < 1 {
            throw ValidationError("--count must be 1 or more, not \(count)")
        }
        if one, count != nil {
            throw ValidationError("-1 is --count 1: give one of them")
        }
        if maxRedirects < 0 {
            throw ValidationError("--max-redirects must be zero or more")
        }
        if unixSocket != nil && proxy != nil {
            throw ValidationError("--unix-socket and --proxy exclude each other: a Unix socket is reached directly")
        }
        if unixSocket?.isEmpty == true {
            throw ValidationError("--unix-socket needs the path of a socket")
        }
        if allowInsecureRedirect && !followRedirects {
            throw ValidationError("--allow-insecure-redirect applies to redirects, which only -L/--location follows")
        }
        guard let size = ByteSize.parse(maxMessageSize), size > 0 else {
            throw ValidationError("--max-message-size: '\(maxMessageSize)' is not a size (e.g. 1048576, 512K, 64M)")
        }
        _ = size
        if keyFile != nil && certificateFile == nil {
            throw ValidationError("--key needs --cert")
        }
        if !(replaySpeed >= 0) {
            throw ValidationError("--replay-speed must be zero or more, not \(replaySpeed)")
        }
        if replay != nil {
            if !execute.isEmpty { throw ValidationError("--replay sends a transcript's messages; it cannot be combined with -x") }
            if echo { throw ValidationError("--replay cannot be combined with --echo") }
        } else if replaySpeed != 0 {
            throw ValidationError("--replay-speed needs --replay")
        }
        if listen != nil, let (name, _) = [("--jsonl", jsonl), ("--transcript", transcript != nil),
                                            ("--replay", replay != nil), ("-v/--verbose", verbose)].first(where: { $0.1 }) {
            throw ValidationError("\(name) is for connecting to a server; it does not apply to -l/--listen")
        }
    }

    // Socket.IO.

    @Flag(name: .customLong("socketio"),
          help: ArgumentHelp("""
                Speak Socket.IO v5 (Engine.IO v4) over the WebSocket: connect to the server's Engine.IO path, \
                answer its pings, join the namespace, then emit each input line as an event and print the events \
                that arrive. A server that sends no ping within pingInterval + pingTimeout is taken for dead \
                (exit 7, or reconnect with -r); a refused namespace (CONNECT_ERROR) exits 5.
                """))
    var socketIO = false

    @Option(name: .customLong("socketio-path"),
            help: ArgumentHelp("With --socketio: the server's Engine.IO path.", valueName: "path"))
    var socketIOPath = "/socket.io/"

    @Option(name: .customLong("socketio-transport"),
            help: ArgumentHelp("""
                With --socketio: how to reach the server. auto (the default, as the official clients do) starts \
                with HTTP long-polling and upgrades to WebSocket when the server offers it, and goes straight to \
                WebSocket when the server refuses polling; websocket and polling use only that transport.
                """, valueName: "auto|websocket|polling"))
    var socketIOTransport: SocketIOTransport = .auto

    @Option(name: .customLong("namespace"),
            help: ArgumentHelp("With --socketio: the namespace to join (default: the URL's path, else /).",
                               valueName: "namespace"))
    var namespace: String?

    @Option(name: .customLong("socketio-auth"),
            help: ArgumentHelp("With --socketio: the CONNECT packet's auth payload, a JSON object, e.g. '{\"token\":\"x\"}'.",
                               valueName: "json"))
    var socketIOAuth: String?

    @Flag(name: .customLong("ack"),
          help: "With --socketio: ask for an acknowledgement of every emit, and print the reply as 'ack ID: JSON...'.")
    var ack = false

    @Flag(name: .customLong("auto-ack"),
          help: """
            With --socketio: answer every request of the server for an acknowledgement (an event shown with \
            '[ack ID]') at once, with no arguments, so that a server awaiting the answer is never stalled. \
            Without it, the input line 'ack ID JSON...' answers.
            """)
    var autoAck = false

    private func validateSocketIO() throws {
        guard socketIO else {
            let needsSocketIO: [(String, Bool)] = [
                ("--socketio-path", socketIOPath != "/socket.io/"), ("--namespace", namespace != nil),
                ("--socketio-auth", socketIOAuth != nil), ("--ack", ack), ("--auto-ack", autoAck),
                ("--socketio-transport", socketIOTransport != .auto),
            ]
            if let (name, _) = needsSocketIO.first(where: { $0.1 }) {
                throw ValidationError("\(name) needs --socketio")
            }
            return
        }
        let conflicting: [(String, Bool)] = [
            ("-l/--listen", listen != nil), ("--demo", demo), ("--echo", echo), ("-b/--binary", binary),
            ("--replay", replay != nil),
        ]
        if let (name, _) = conflicting.first(where: { $0.1 }) {
            throw ValidationError("\(name) cannot be combined with --socketio")
        }
        if socketIOTransport == .polling, pingInterval != nil {
            throw ValidationError("""
                --ping-interval sends WebSocket pings, which HTTP long-polling does not have \
                (Engine.IO's own heartbeat is always watched)
                """)
        }
        if let socketIOAuth {
            let value: JSONValue
            do {
                value = try JSONParser.parse(socketIOAuth)
            } catch {
                throw ValidationError("--socketio-auth is not valid JSON: \(error)")
            }
            guard value.isObject else {
                throw ValidationError("--socketio-auth must be a JSON object, e.g. '{\"token\":\"x\"}'")
            }
        }
    }
}

/// `--socketio-transport`.
enum SocketIOTransport: String, ExpressibleByArgument, CaseIterable {
    case auto, websocket, polling
}

/// `--binary-format`.
enum BinaryFormat: String, ExpressibleByArgument, CaseIterable {
    case hex, base64, raw
}

let wscVersion = "0.1.0"

import ArgumentParser

/// Options for scripts: messages from the command line or from files, how long to wait for
/// replies, the exit summary. Kept in their own group (and file) so the main option list and
/// this one change without stepping on each other.
struct ScriptingOptions: ParsableArguments {
    @Option(name: [.customShort("x"), .customLong("execute")],
            help: ArgumentHelp("""
                Send this text message after connecting, print replies, then close (repeatable, sent in order). \
                With -b it is sent as binary: its UTF-8 bytes, or hex:48656c6c6f / base64:SGVsbG8= for other bytes. \
                With -r the messages are sent again after every reconnect (see --no-resend).
                """, valueName: "message"))
    var execute: [String] = []

    @Option(name: .customLong("file"),
            help: ArgumentHelp("""
                Send this file's contents as one message after connecting, then close as with -x (repeatable; \
                sent in order with -x). Text when the file is valid UTF-8 (otherwise exit 9), binary with -b. \
                '-' reads all of stdin as one message.
                """, valueName: "path"),
            completion: .file())
    var files: [String] = []

    @Option(name: [.customShort("w"), .customLong("wait")], parsing: .unconditional,
            help: ArgumentHelp("""
                After the last message is sent, keep receiving for up to this many seconds (ending early when the \
                server closes), then close. 0 closes at once. Default: the end-of-input rule ('End of input' in the description).
                """, valueName: "seconds"))
    var wait: Seconds?

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

    @Flag(name: .customLong("echo"),
          help: ArgumentHelp("""
                Send every received message back unchanged (text as text, binary as binary). Without -x, stdin \
                is not read and wsc echoes until the server closes. With -l, each client's messages go back to \
                that client (an echo server).
                """))
    var echo = false

    // An option whose value may be left out: `--stats` alone is the text block, `--stats=json`
    // (or `--stats json`) the JSON object. A following URL is not taken for the value: a value
    // that is not a format leaves the option a flag and the URL a positional argument.
    @Option(name: .customLong("stats"), defaultAsFlag: StatisticsFormat.text, parsing: .next,
            help: ArgumentHelp("""
                When wsc exits, print a summary on stderr (even with -q): DNS, TCP connect, TLS, handshake and \
                first-message times (ms since connecting began), messages and bytes each way (payload, and on \
                the wire after compression), pings and round-trip times, the close code and reason, and the exit \
                status. --stats=json prints it as one JSON object.
                """, valueName: "format"))
    var stats: StatisticsFormat? = nil

    /// Whether messages come from the command line (-x, --file) rather than stdin.
    var hasMessages: Bool { !execute.isEmpty || !files.isEmpty }

    func check() throws {
        if files.filter({ $0 == "-" }).count > 1 {
            throw ValidationError("--file - reads stdin, which can be read only once")
        }
        if let wait, wait.value < 0 {
            throw ValidationError("-w/--wait must be zero or more seconds, not \(wait)")
        }
        if let count, count < 1 {
            throw ValidationError("--count must be 1 or more, not \(count)")
        }
        if one, count != nil {
            throw ValidationError("-1 is --count 1: give one of them")
        }
    }

    @Option(name: .customLong("exec"),
            help: ArgumentHelp("""
                Run this command (with sh -c) as the other end of the connection: each line it writes to \
                stdout is sent as a message (binary with -b), and each message received is written to its \
                stdin as a line; its stderr is wsc's. When it exits, wsc closes with 1000 and exits with its \
                status; when the connection ends, its stdin is closed (SIGTERM after --close-timeout, then \
                SIGKILL). Ctrl-C reaches it too. With -l, one process per client, with WSC_REMOTE_ADDR, \
                WSC_REMOTE_PORT, WSC_PATH and WSC_QUERY in its environment.
                """, valueName: "command"))
    var exec: String?
}

extension CommandLineOptions {
    /// The scripting options' rules that involve other options.
    func validateScripting() throws {
        if scripting.stats != nil && listen.listen != nil {
            throw ValidationError("--stats reports on a connection wsc makes; it does not apply to -l/--listen")
        }
        if scripting.exec != nil {
            let conflicting: [(String, Bool)] = [
                ("-x/--execute", !scripting.execute.isEmpty), ("--file", !scripting.files.isEmpty),
                ("--replay", recording.replay != nil), ("--echo", scripting.echo), ("--socketio", socketIO.socketIO),
                ("--count/-1", scripting.messageCount != nil), ("-w/--wait", scripting.wait != nil),
            ]
            if let (name, _) = conflicting.first(where: { $0.1 }) {
                throw ValidationError("\(name) cannot be combined with --exec (the command is the other end)")
            }
        }
        if !scripting.files.isEmpty {
            if listen.listen != nil {
                throw ValidationError("--file is for connecting to a server; it does not apply to -l/--listen")
            }
            if recording.replay != nil {
                throw ValidationError("--replay sends a transcript's messages; it cannot be combined with --file")
            }
        }
    }
}

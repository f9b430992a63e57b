import Glibc

/// What kind of session this run is, decided once from the options and whether stdin and
/// stdout are terminals. Socket.IO is a layer over the client modes, and --demo runs one of them
/// against its own server: neither is a mode of its own.
enum SessionMode: Equatable {
    /// A prompt: stdin and stdout are terminals, and nothing else supplies the messages.
    case interactive
    /// Every stdin line is a message.
    case pipe
    /// -x and --file supply the messages.
    case oneShot
    /// --replay supplies the messages.
    case replay
    /// --exec: a command is the other end of the connection.
    case command
    /// -l: wsc is the server.
    case listen

    init(options: CommandLineOptions, stdinIsTerminal: Bool = isatty(0) == 1, stdoutIsTerminal: Bool = isatty(1) == 1) {
        if options.listen.listen != nil {
            self = .listen
        } else if options.recording.replay != nil {
            self = .replay
        } else if options.scripting.hasMessages {
            self = .oneShot
        } else if options.scripting.exec != nil {
            self = .command
        } else if !options.recording.jsonl, options.scripting.messageCount == nil, stdinIsTerminal, stdoutIsTerminal {
            // --jsonl makes stdout a stream of records, and --count ends the session by itself:
            // with either, the terminal is read as a pipe, line by line.
            self = .interactive
        } else {
            self = .pipe
        }
    }

    var name: String {
        switch self {
        case .interactive: return "the interactive session"
        case .pipe: return "pipe mode (stdin or stdout is not a terminal)"
        case .oneShot: return "one-shot mode (-x/--file)"
        case .replay: return "--replay"
        case .command: return "--exec (the command reads the messages)"
        case .listen: return "listen mode"
        }
    }
}

extension CommandLineOptions {
    /// An option given that `mode` would not use: refused (exit 2, naming it) rather than
    /// ignored. The options for connecting to a server are checked for listen mode in `check()`.
    func unusedOption(in mode: SessionMode) -> String? {
        let promptOnly: [(String, Bool)] = [
            ("--slash", interactive.givenSlash == true), ("--no-slash", interactive.givenSlash == false),
            ("--no-history", interactive.noHistory),
        ]
        let shownOnly: [(String, Bool)] = [("--timestamps", output.timestamps), ("--pretty", output.pretty)]
        let unused: [(String, Bool)]
        switch mode {
        case .interactive:
            unused = []
        case .listen:
            unused = promptOnly
        case .pipe, .oneShot, .replay, .command:
            unused = promptOnly + shownOnly
        }
        return unused.first { $0.1 }?.0
    }
}

import ArgumentParser

/// Options for scripts: whole files as messages. Kept in their own group (and file) so the
/// main option list and this one change without stepping on each other.
struct ScriptingOptions: ParsableArguments {
    @Option(name: .customLong("file"),
            help: ArgumentHelp("""
                Send this file's contents as one message after connecting, then close as with -x (repeatable; \
                sent in order with -x). Text when the file is valid UTF-8 (otherwise exit 9), binary with -b. \
                '-' reads all of stdin as one message.
                """, valueName: "path"),
            completion: .file())
    var files: [String] = []

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
}

extension CommandLineOptions {
    /// The scripting options' rules that involve other options.
    func validateScripting() throws {
        if scripting.files.filter({ $0 == "-" }).count > 1 {
            throw ValidationError("--file - reads stdin, which can be read only once")
        }
        if scripting.stats != nil && listen != nil {
            throw ValidationError("--stats reports on a connection wsc makes; it does not apply to -l/--listen")
        }
        if !scripting.files.isEmpty {
            if listen != nil {
                throw ValidationError("--file is for connecting to a server; it does not apply to -l/--listen")
            }
            if replay != nil {
                throw ValidationError("--replay sends a transcript's messages; it cannot be combined with --file")
            }
        }
    }
}

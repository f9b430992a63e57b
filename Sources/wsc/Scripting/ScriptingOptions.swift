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
}

extension CommandLineOptions {
    /// The scripting options' rules that involve other options.
    func validateScripting() throws {
        if scripting.files.filter({ $0 == "-" }).count > 1 {
            throw ValidationError("--file - reads stdin, which can be read only once")
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

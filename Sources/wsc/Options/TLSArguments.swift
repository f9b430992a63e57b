import ArgumentParser

/// wss://: whom to trust and who we are.
struct TLSArguments: ParsableArguments {
    @Option(name: .customLong("ca"), help: ArgumentHelp("Trust the CA certificates in this PEM file instead of the system store.", valueName: "file"),
            completion: .file())
    var caFile: String?

    @Option(name: .customLong("cert"), help: ArgumentHelp("Client certificate (PEM) for wss://.", valueName: "file"),
            completion: .file())
    var certificateFile: String?

    @Option(name: .customLong("key"), help: ArgumentHelp("Private key (PEM) of the client certificate.", valueName: "file"),
            completion: .file())
    var keyFile: String?

    // An option whose value may be left out (as wscat's): alone, wsc asks on the terminal.
    @Option(name: .customLong("passphrase"), defaultAsFlag: PassphraseArgument.prompt, parsing: .next,
            help: ArgumentHelp("""
                Passphrase of an encrypted --key. Without a value (--passphrase alone), wsc asks for it on the \
                terminal without echoing it. An encrypted key without --passphrase is an error (exit 4).
                """, valueName: "passphrase"))
    var passphrase: PassphraseArgument? = nil

    @Flag(name: [.customShort("n"), .customLong("no-check")],
          help: "Do not verify the server's certificate or host name (prints a warning).")
    var noCheck = false

    /// Whether any of these options was given (they shape an outgoing connection only).
    var firstGiven: String? {
        [("--ca", caFile != nil), ("--cert", certificateFile != nil), ("--key", keyFile != nil),
         ("--passphrase", passphrase != nil), ("-n/--no-check", noCheck)].first { $0.1 }?.0
    }

    func check() throws {
        if keyFile != nil && certificateFile == nil {
            throw ValidationError("--key needs --cert")
        }
        if passphrase != nil && certificateFile == nil {
            throw ValidationError("--passphrase is for the private key of a client certificate: it needs --cert")
        }
    }
}

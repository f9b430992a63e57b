import ArgumentParser

/// wss://: whom to trust and who we are.
struct TLSArguments: ParsableArguments {
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

    /// Whether any of these options was given (they shape an outgoing connection only).
    var firstGiven: String? {
        [("--ca", caFile != nil), ("--cert", certificateFile != nil), ("--key", keyFile != nil),
         ("--passphrase", passphrase != nil), ("-n/--no-check", noCheck)].first { $0.1 }?.0
    }

    mutating func validate() throws {
        if keyFile != nil && certificateFile == nil {
            throw ValidationError("--key needs --cert")
        }
    }
}

import ArgumentParser
import WebSocketTransport

/// wss://: whom to trust and who we are; with -l, the server's certificate and client verification.
struct TLSArguments: ParsableArguments {
    @Option(name: .customLong("ca"), help: ArgumentHelp("Trust the CA certificates in this PEM file instead of the system store. With -l: require client certificates issued by them (mutual TLS).", valueName: "file"),
            completion: .file())
    var caFile: String?

    @Option(name: .customLong("cert"), help: ArgumentHelp("Client certificate (PEM) for wss://. With -l: the server's certificate chain; the server speaks wss://.", valueName: "file"),
            completion: .file())
    var certificateFile: String?

    @Option(name: .customLong("key"), help: ArgumentHelp("Private key (PEM) of --cert (default: read from the --cert file).", valueName: "file"),
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

    /// What a TLS server (-l with --cert) loads: its certificate, and the CA its clients' certificates must chain to.
    func serverOptions(passphrase: String?) -> TLSOptions? {
        guard let certificateFile else { return nil }
        return TLSOptions(caFile: caFile, certificateFile: certificateFile, keyFile: keyFile, passphrase: passphrase)
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

/// How `wss://` connections check the server and identify the client.
public struct TLSOptions: Sendable, Equatable {
    /// PEM file of certificates to trust instead of the system store.
    public var caFile: String?
    /// PEM certificate chain presented to the peer, and its private key (nil: in the same file).
    public var certificateFile: String?
    public var keyFile: String?
    /// Passphrase of an encrypted private key.
    public var passphrase: String?
    /// Skip certificate and hostname verification.
    public var skipVerification = false

    public init(caFile: String? = nil, certificateFile: String? = nil, keyFile: String? = nil,
                passphrase: String? = nil, skipVerification: Bool = false) {
        self.caFile = caFile
        self.certificateFile = certificateFile
        self.keyFile = keyFile
        self.passphrase = passphrase
        self.skipVerification = skipVerification
    }
}

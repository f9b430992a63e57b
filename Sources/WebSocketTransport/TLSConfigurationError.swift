/// Why this side's TLS settings (`TLSOptions`) could not be loaded into a `TLSContext`: which
/// file failed, in which role, and OpenSSL's reason. The description names the files, not how
/// the user gave them; `Sources/wsc` adds its option names when it words these.
public enum TLSConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// OpenSSL could not create a context (out of memory, a broken library).
    case contextUnavailable(reason: String)
    /// The system's trust store could not be loaded (a client without a CA file).
    case systemTrustStore(reason: String)
    /// The CA file could not be loaded: for a client, the certificates to trust instead of the
    /// system store; for a server, the issuers that client certificates must chain to.
    case caFile(path: String, role: TLSRole, reason: String)
    /// This side's certificate chain could not be loaded (a client certificate, or the server's).
    case certificate(path: String, role: TLSRole, reason: String)
    /// The private key could not be loaded; `inCertificateFile`: no key file was given, so it
    /// was looked for in the certificate file.
    case privateKey(path: String, inCertificateFile: Bool, reason: String)
    /// The private key is not the certificate's.
    case keyMismatch(keyPath: String, certificatePath: String)
    /// A key file was given without a certificate.
    case keyWithoutCertificate
    /// A server context was asked for without a certificate.
    case serverWithoutCertificate
    /// A wss:// connection was started without any TLS context (a caller's mistake).
    case missingContext

    public var description: String {
        switch self {
        case let .contextUnavailable(reason):
            return "cannot create an OpenSSL context: \(reason)"
        case let .systemTrustStore(reason):
            return "cannot load the system trust store: \(reason)"
        case let .caFile(path, _, reason):
            return "cannot load CA file \(path): \(reason)"
        case let .certificate(path, role, reason):
            return "cannot load \(role == .client ? "client " : "")certificate \(path): \(reason)"
        case let .privateKey(path, _, reason):
            return "cannot load private key \(path): \(reason)"
        case let .keyMismatch(keyPath, certificatePath):
            return "private key \(keyPath) does not match certificate \(certificatePath)"
        case .keyWithoutCertificate:
            return "a private key was given without its certificate"
        case .serverWithoutCertificate:
            return "a TLS server needs a certificate and its key"
        case .missingContext:
            return "no TLS context for a wss:// URL"
        }
    }
}

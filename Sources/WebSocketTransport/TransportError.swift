import WebSocketCore

/// Everything that can end a connection attempt or an open connection, below the
/// WebSocket protocol itself. Each case reads as one line a user can act on.
public enum TransportError: Error, Equatable, CustomStringConvertible {
    /// getaddrinfo failed.
    case nameResolution(host: String, reason: String)
    /// Every address refused, was unreachable, or failed otherwise.
    case connectionFailed(host: String, port: UInt16, reason: String)
    /// Connect, proxy tunnel, TLS and HTTP handshake did not finish in time.
    case connectTimeout(host: String, seconds: Double)
    /// The TLS handshake failed for a reason other than the certificate.
    case tls(String)
    /// The server's certificate was not accepted.
    case certificate(host: String, reason: String)
    /// The server's certificate is trusted but names other hosts (these, from its subjectAltName).
    case hostnameMismatch(host: String, certificateNames: [String])
    /// The server refused our client certificate with this TLS alert, or (nil) by closing the
    /// connection after asking for one (`certificateSent` false: we had none to give). On TLS 1.3
    /// this happens after the handshake, on the first read.
    case clientCertificateRefused(host: String, alert: String?, certificateSent: Bool)
    /// The server answered our TLS ClientHello with something else (`answered`), or closed the
    /// connection without answering it: likely a plain HTTP (ws://) server.
    case notTLS(host: String, answered: Bool)
    /// Our own TLS settings could not be loaded (CA file, certificate, key): which, and why.
    case tlsConfiguration(TLSConfigurationError)
    /// The private key file is encrypted and no passphrase was given (`passphraseGiven` false),
    /// or the one given does not decrypt it.
    case privateKeyPassphrase(path: String, passphraseGiven: Bool)
    /// The proxy refused or broke the CONNECT tunnel, or cannot be used.
    case proxy(String)
    /// The SOCKS5 proxy (`host:port`) did not open the tunnel to `target` (`host:port`).
    case socks5(proxy: String, target: String, SOCKS5Error)
    /// Connecting to the Unix domain socket at `path` failed.
    case unixSocket(path: String, reason: String)
    /// The upgrade request itself cannot be built from what the user gave (a reserved header).
    case invalidRequest(HandshakeRequestError)
    /// The server answered the upgrade request with something other than a valid 101.
    case handshakeRejected(HandshakeError)
    /// A redirect was not followed: no usable Location, too many hops, or leaving TLS.
    case redirectRefused(RedirectRefusal)
    /// The connection dropped or a read/write failed.
    case io(String)

    public var description: String {
        switch self {
        case let .nameResolution(host, reason):
            return "cannot resolve \(host): \(reason)"
        case let .connectionFailed(host, port, reason):
            return "cannot connect to \(hostForDisplay(host)):\(port): \(reason)"
        case let .connectTimeout(host, seconds):
            return "timed out after \(formatSeconds(seconds)) connecting to \(host)"
        case let .tls(reason):
            return "TLS: \(reason)"
        case let .certificate(host, reason):
            return "TLS: certificate verify failed for \(host) (\(reason))"
        case let .hostnameMismatch(host, names):
            return "TLS: the certificate is for \(names.isEmpty ? "other names" : names.joined(separator: ", ")), not \(host)"
        case let .clientCertificateRefused(host, alert, sent):
            return "TLS: \(host) refused \(sent ? "the client certificate" : "the connection without a client certificate")"
                + (alert.map { " (\($0))" } ?? "")
        case let .notTLS(host, answered):
            return answered ? "TLS: \(host) did not answer in TLS" : "TLS: \(host) closed the connection without answering the TLS handshake"
        case let .tlsConfiguration(reason):
            return "TLS setup: \(reason)"
        case let .privateKeyPassphrase(path, given):
            return given ? "TLS setup: the passphrase does not decrypt private key \(path)"
                : "TLS setup: private key \(path) is encrypted and no passphrase was given"
        case let .proxy(reason):
            return "proxy: \(reason)"
        case let .socks5(proxy, target, error):
            return "SOCKS5 proxy \(proxy) (to \(target)): \(error)"
        case let .unixSocket(path, reason):
            return "cannot connect to Unix socket \(path): \(reason)"
        case let .invalidRequest(error):
            return error.description
        case let .handshakeRejected(error):
            return error.description
        case let .redirectRefused(refusal):
            return "handshake rejected: redirect not followed (\(refusal))"
        case let .io(reason):
            return reason
        }
    }
}

func hostForDisplay(_ host: String) -> String {
    host.contains(":") ? "[\(host)]" : host
}

/// "10 s", "0.5 s": short and without trailing zeros.
public func formatSeconds(_ seconds: Double) -> String {
    if seconds == seconds.rounded() && abs(seconds) < 1e9 {
        return "\(Int(seconds)) s"
    }
    let tenths = (seconds * 10).rounded() / 10
    return "\(tenths) s"
}

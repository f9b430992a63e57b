import WebSocketCore
import WebSocketTransport

/// The user-facing line for a transport failure. The transport reports what happened; the
/// advice that names wsc's own options is worded here, where the options are known.
enum TransportErrorMessage {
    static func describe(_ error: TransportError) -> String {
        switch error {
        case let .certificate(host, reason):
            return "TLS: certificate verify failed for \(host) (\(reason)); use --ca FILE to trust it or -n to skip the check"
        case let .hostnameMismatch(host, names):
            let issued = names.isEmpty ? "another name" : names.joined(separator: ", ")
            return "TLS: the server's certificate is for \(issued), not \(host); --ca cannot fix that: "
                + "connect with a name the certificate carries (or -n to skip the check)"
        case let .clientCertificateRefused(host, alert?, sent):
            return sent
                ? "TLS: \(host) refused the client certificate given with --cert (\(alert)): it does not trust or accept it"
                : "TLS: \(host) requires a client certificate (\(alert)): give one with --cert and --key"
        case let .clientCertificateRefused(host, nil, sent):
            return sent
                ? "TLS: \(host) refused the client certificate given with --cert (it closed the connection on receiving it)"
                : "TLS: \(host) requires a client certificate (it asked for one and closed the connection): "
                    + "give one with --cert and --key"
        case let .notTLS(host, answered):
            return answered
                ? "TLS: \(host) answered in plain text, not TLS: it is likely a plain ws:// server speaking HTTP; use ws:// for it"
                : "TLS: \(host) closed the connection without answering the TLS handshake: it is likely a plain ws:// server; use ws:// for it"
        case let .privateKeyPassphrase(path, given):
            return given
                ? "TLS setup: --passphrase does not decrypt the private key \(path)"
                : "TLS setup: the private key \(path) is encrypted: give its passphrase with --passphrase"
        case let .tlsConfiguration(failure):
            return "TLS setup: " + describe(failure)
        case let .redirectRefused(refusal):
            return "handshake rejected: " + describe(refusal)
        case let .socks5(proxy, target, .noAcceptableMethod(offeredPassword: false)):
            return "SOCKS5 proxy \(proxy) (to \(target)) requires authentication: "
                + "give it in the proxy URL, socks5://user:password@\(proxy)"
        case let .socks5(proxy, target, .closed(.choosingMethod)):
            return "SOCKS5 proxy \(proxy) (to \(target)) closed the connection at the greeting "
                + "(does it require a username and password? socks5://user:password@\(proxy))"
        case let .socks5(proxy, target, .authenticationFailed):
            return "SOCKS5 proxy \(proxy) (to \(target)): authentication refused: "
                + "the username and password in the proxy URL were not accepted"
        case .nameResolution, .connectionFailed, .connectTimeout, .tls, .proxy, .socks5,
             .unixSocket, .invalidRequest, .handshakeRejected, .io:
            return error.description
        }
    }

    /// A TLS setup failure, naming the option that gave the file that failed.
    static func describe(_ failure: TLSConfigurationError) -> String {
        switch failure {
        case let .caFile(path, _, reason):
            return "cannot load CA file \(path) (--ca): \(reason)"
        case let .certificate(path, role, reason):
            return "cannot load \(role == .client ? "client " : "")certificate \(path) (--cert): \(reason)"
        case let .privateKey(path, inCertificateFile: true, reason):
            return "cannot load private key \(path) (--cert without --key: the key must be in the same file): \(reason)"
        case let .privateKey(path, inCertificateFile: false, reason):
            return "cannot load private key \(path) (--key): \(reason)"
        case let .keyMismatch(keyPath, certificatePath) where keyPath == certificatePath:
            return "the private key in \(certificatePath) (--cert) does not match its certificate"
        case let .keyMismatch(keyPath, certificatePath):
            return "private key \(keyPath) (--key) does not match certificate \(certificatePath) (--cert)"
        case .keyWithoutCertificate:
            return "--key needs --cert"
        case .serverWithoutCertificate:
            return "listening with TLS needs --cert (and --key unless the key is in the same file)"
        case .contextUnavailable, .systemTrustStore, .missingContext:
            return failure.description
        }
    }

    static func describe(_ refusal: RedirectRefusal) -> String {
        switch refusal {
        case .missingLocation:
            return "redirect without a Location header"
        case let .tooManyRedirects(count):
            return "too many redirects (\(count)); raise --max-redirects"
        case let .invalidLocation(location, error):
            return "cannot follow Location '\(location)': \(error)"
        case let .insecureRedirect(from, to):
            return "refusing the redirect from \(from) to \(to): it leaves TLS (--allow-insecure-redirect permits it)"
        }
    }
}

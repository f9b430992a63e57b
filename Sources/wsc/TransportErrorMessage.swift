import WebSocketCore
import WebSocketTransport

/// The user-facing line for a transport failure. The transport reports what happened; the
/// advice that names wsc's own options is worded here, where the options are known.
enum TransportErrorMessage {
    static func describe(_ error: TransportError) -> String {
        switch error {
        case let .certificate(host, reason):
            return "TLS: certificate verify failed for \(host) (\(reason)); use --ca FILE to trust it or -n to skip the check"
        case let .redirectRefused(refusal):
            return "handshake rejected: " + describe(refusal)
        case .nameResolution, .connectionFailed, .connectTimeout, .tls, .tlsConfiguration, .proxy,
             .invalidRequest, .handshakeRejected, .io:
            return error.description
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

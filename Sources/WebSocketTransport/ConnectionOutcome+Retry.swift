import WebSocketCore

extension ConnectionOutcome {
    /// Whether a reconnecting connection should try again after this outcome.
    ///
    /// Anything the network or the server may heal is retried: lost connections, any close
    /// from the server, ping timeouts, refused connections, 5xx, 408 and 429. What would fail
    /// the same way every time is not: other 4xx answers, a certificate the user must fix,
    /// bad TLS files or request headers, a redirect loop.
    public var isRetryable: Bool {
        switch self {
        case .closed(_, _, let initiatedByPeer):
            return initiatedByPeer
        case .protocolViolation, .abnormalClosure, .closeTimeout, .pingTimeout, .applicationTimeout:
            return true
        case let .failed(error):
            switch error {
            case .nameResolution, .connectionFailed, .connectTimeout, .proxy, .io, .tls:
                return true
            case .unixSocket:
                // The server may not have created its socket yet.
                return true
            case let .socks5(_, _, failure):
                switch failure {
                case .requestFailed(reply: let reply):
                    // Failures on the way to the target may heal; refusals by rule will not.
                    return [1, 3, 4, 5, 6].contains(reply)
                case .closed:
                    return true
                case .noAcceptableMethod, .unexpectedMethod, .authenticationFailed, .malformedReply, .nameTooLong,
                     .unusableCredentials:
                    return false
                }
            case let .notTLS(_, answered):
                // An HTTP answer will come again; a silent close may be a server restarting.
                return !answered
            case .certificate, .hostnameMismatch, .clientCertificateRefused, .tlsConfiguration,
                 .privateKeyPassphrase, .invalidRequest, .redirectRefused:
                return false
            case let .handshakeRejected(rejection):
                guard let status = rejection.statusCode else {
                    // A broken 101 (bad Accept, missing Upgrade) will not fix itself.
                    return false
                }
                if status == 408 || status == 429 { return true }
                return !(400..<500).contains(status)
            }
        }
    }
}

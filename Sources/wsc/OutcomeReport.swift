import WebSocketCore
import WebSocketTransport

/// What a finished connection means for the user: the exit status and the line that says why.
struct OutcomeReport {
    var status: ExitStatus
    /// An error line (for a non-zero status) or a status line (for a clean close).
    var message: String?
    /// `--exec`: the command's status, passed on as wsc's exit code when it is not 0.
    var commandStatus: Int32?

    /// What wsc exits with.
    var exitCode: Int32 { commandStatus ?? status.rawValue }

    /// How a session ended: the connection's last outcome (`nil` if it never reported one),
    /// unless the session decided the status itself (`override`: interrupted, invalid input…);
    /// and a success whose output could not be written (`outputFailure`) is a failure.
    static func session(outcome: OutcomeReport?, override: (ExitStatus, String)?, outputFailure: String?) -> OutcomeReport {
        var report = outcome ?? OutcomeReport(status: .abnormalClose, message: "the session ended unexpectedly")
        if let (status, message) = override {
            report.status = status
            report.message = message
        }
        if report.status == .success, let outputFailure {
            report = OutcomeReport(status: .failure, message: outputFailure)
        }
        return report
    }

    init(_ outcome: ConnectionOutcome) {
        switch outcome {
        case let .closed(code, reason, initiatedByPeer):
            let detail = CloseCode.describe(code, reason: reason)
            if !initiatedByPeer {
                status = .success
                message = "closed (\(detail))"
            } else if code == nil || code == 1000 || code == 1001 {
                status = .success
                message = "server closed the connection (\(detail))"
            } else {
                status = .abnormalClose
                message = "server closed the connection with an error: \(detail)"
            }
        case let .protocolViolation(violation):
            status = .protocolViolation
            message = "\(violation); closed with \(violation.closeCode)"
        case let .abnormalClosure(cause):
            // Exit 8 whatever the cause (scripts rely on it); the line says whose doing it was.
            status = .abnormalClose
            message = Self.describe(cause, peer: "server")
        case let .pingTimeout(seconds):
            status = .timeout
            message = "no pong within \(formatSeconds(seconds)): the server is not answering (closed with 1011)"
        case let .applicationTimeout(detail):
            status = .timeout
            message = detail
        case let .closeTimeout(seconds):
            status = .timeout
            message = "the server did not answer the close frame within \(formatSeconds(seconds))"
        case let .failed(error):
            message = TransportErrorMessage.describe(error)
            switch error {
            case .nameResolution, .connectionFailed, .proxy, .socks5, .unixSocket: status = .connectionFailed
            case .connectTimeout: status = .timeout
            case .tls, .certificate, .hostnameMismatch, .clientCertificateRefused, .notTLS, .tlsConfiguration,
                 .privateKeyPassphrase:
                status = .tlsFailed
            case .handshakeRejected, .redirectRefused: status = .handshakeRejected
            case .io: status = .abnormalClose
            case .invalidRequest: status = .usage
            }
        }
    }
}

extension OutcomeReport {
    /// How a connection that `-r` kept alive ended: after the reconnect attempts ran out
    /// (`gaveUpAfterAttempts`), even a clean close is a failure (exit 8, closed abnormally),
    /// since the user asked for the connection to be kept.
    ///
    /// `closingWhileReconnecting`: `-r` is on and the session had asked to close when the
    /// connection ended. A close the server started then crossed the session's own: it arrived
    /// first (so the session's close had nothing left to close) and ended a connection that `-r`
    /// would have replaced, had the session not been closing. The session ends as it asked, with
    /// everything sent: a success whatever the server's code (1012 from a server restarting),
    /// as when the same close comes a moment earlier and the session's close finds the
    /// reconnect pending. Without `-r` a server's error code stays a failure.
    init(_ outcome: ConnectionOutcome, gaveUpAfterAttempts attempts: Int?, closingWhileReconnecting: Bool) {
        self.init(outcome)
        if let attempts, status == .success {
            status = .abnormalClose
            message = (message ?? "connection ended") + "; gave up after \(attempts) reconnect attempts"
        } else if closingWhileReconnecting, case let .closed(code, reason, true) = outcome {
            status = .success
            message = "server closed the connection (\(CloseCode.describe(code, reason: reason)))"
        }
    }

    /// `--exec`: a command that failed makes the session fail with its status, whatever the
    /// connection did; one that succeeded leaves the connection's report as it is.
    func endedBy(command termination: CommandProcess.Termination) -> OutcomeReport {
        switch termination {
        case .exited(0):
            return self
        case let .exited(code):
            var report = OutcomeReport(status: .failure, message: "--exec command exited with status \(code)")
            report.commandStatus = code
            return report
        case let .signalled(signal):
            var report = OutcomeReport(status: .failure, message: "--exec command was killed by signal \(signal)")
            report.commandStatus = termination.shellStatus
            return report
        }
    }

    init(status: ExitStatus, message: String?) {
        self.status = status
        self.message = message
    }

    /// A connection that ended without a close handshake, for a status line; `peer` names the
    /// other side ("server", "client 3").
    static func describe(_ cause: AbnormalClosure, peer: String) -> String {
        switch cause {
        case .peerEndedStream:
            // Normal for some peers (websocketd when its program exits): say what the peer did.
            return "\(peer) closed the connection without sending a close frame"
        case let .transportFailed(error):
            return TransportErrorMessage.describe(error)
        case let .aborted(reason):
            return describe(reason)
        }
    }

    /// Why wsc dropped a connection; `interrupted` is said as listen mode's status line for
    /// each client (a client session's exit line says it for itself).
    static func describe(_ reason: AbortReason) -> String {
        switch reason {
        case .connectionDropped: return "connection dropped"
        case .interrupted: return "dropped: interrupted"
        case let .pollAnswerNotEngineIO(error): return "the server's poll answer is not Engine.IO: \(error)"
        case let .pollRejected(statusLine): return "the server answered a poll with \(statusLine)"
        case .upgradeProbeFailed: return "upgrade probe failed"
        case .engineIOSessionEnded: return "the Engine.IO session ended"
        }
    }
}

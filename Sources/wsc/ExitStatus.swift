/// wsc's exit codes: one per failure class, so a script can tell them apart.
/// The table is repeated in `--help`, README.md and the man page.
enum ExitStatus: Int32, CaseIterable {
    case success = 0
    case failure = 1
    case usage = 2
    case connectionFailed = 3
    case tlsFailed = 4
    case handshakeRejected = 5
    case protocolViolation = 6
    case timeout = 7
    case abnormalClose = 8
    case invalidInput = 9
    case interrupted = 130

    var meaning: String {
        switch self {
        case .success: return "closed cleanly, one-shot done, --count reached, or -l stopped by Ctrl-C"
        case .failure: return "another error (reading stdin, writing stdout, an internal error)"
        case .usage: return "usage error: unknown option, bad URL, bad value"
        case .connectionFailed: return "name resolution, TCP or Unix socket connection, or a proxy (HTTP, SOCKS5) failed, or -l cannot listen"
        case .tlsFailed: return "TLS failed: handshake, certificate or hostname check, TLS files"
        case .handshakeRejected: return "handshake rejected: not 101, bad Accept, redirects, Socket.IO refusal"
        case .protocolViolation: return "the server broke the protocol or a limit (e.g. --max-message-size)"
        case .timeout: return "a timeout: connect, close handshake, pong, Engine.IO ping (--socketio)"
        case .abnormalClose: return "server hung up without a close frame, closed with an error, or lost"
        case .invalidInput: return "invalid input: not UTF-8 (no -b), bad hex:/base64:, a bad --file/--replay"
        case .interrupted: return "interrupted by Ctrl-C (SIGINT) or terminated"
        }
    }

    /// The table for `--help`.
    static var helpTable: String {
        allCases.map { status in
            let code = String(status.rawValue)
            return String(repeating: " ", count: max(0, 4 - code.count)) + code + "  " + status.meaning
        }.joined(separator: "\n")
    }
}

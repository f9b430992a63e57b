import WebSocketCore
import WebSocketTransport

/// The status lines for what the transport reports (`ConnectionEvent`, `ServerEvent`): the one
/// place they are worded. They quote the server (a close reason, a redirect's URL, the start of
/// an error page), so a session prints them only through `StatusLine.render` (its status or
/// warning line), which neutralises them.
enum TransportEventWording {
    /// The status lines for `event`, in order (a reconnect says why, then when).
    static func lines(_ event: ConnectionEvent) -> [String] {
        switch event {
        case let .channel(event):
            return [line(event)]
        case let .reconnecting(outcome, delay, attempt, unsentMessages):
            var plan = "reconnecting in \(formatDelay(delay)) (attempt \(attempt))"
            if unsentMessages > 0 { plan += "; \(unsentMessages) unsent message(s) kept" }
            return [describeLoss(outcome), plan]
        case let .gaveUp(attempts):
            return ["giving up after \(attempts) reconnect attempts"]
        }
    }

    /// The line for a listen-mode server's event (printed as a warning).
    static func line(_ event: ServerEvent) -> String {
        switch event {
        case let .acceptFailed(_, reason):
            return "cannot accept a connection: \(reason)"
        }
    }

    /// Why a listen-mode client never became a WebSocket (after "client N from ADDR: ").
    static func describe(_ failure: HandshakeFailure) -> String {
        switch failure {
        case let .rejected(error):
            return "rejected with \(error.statusCode): \(error.reason)"
        case let .timedOut(seconds):
            return "no complete upgrade request within \(formatSeconds(seconds)); dropped"
        case let .readFailed(error), let .tlsFailed(error):
            return error.description
        case let .abandoned(abandonment):
            return abandonment.description
        }
    }

    static func line(_ event: ChannelEvent) -> String {
        switch event {
        case let .redirected(url):
            return "redirected to \(url)"
        case let .engineIO(event):
            return line(event)
        }
    }

    private static func line(_ event: EngineIOTransportEvent) -> String {
        switch event {
        case let .polling(probingUpgrade):
            return "engine.io: transport polling (HTTP long-polling)" + (probingUpgrade ? "; probing a WebSocket upgrade" : "")
        case .upgraded:
            return "engine.io: upgraded to WebSocket"
        case let .upgradeFailed(failure):
            return "engine.io: the WebSocket upgrade failed (\(describe(failure))); staying on polling"
        case let .pollingRefused(refusal):
            return "engine.io: polling failed (\(describe(refusal))); connecting over WebSocket"
        }
    }

    private static func describe(_ failure: EngineIOProbeFailure) -> String {
        switch failure {
        case let .timedOut(seconds):
            return "no answer to the probe within \(formatSeconds(seconds))"
        case let .notSent(error):
            return "cannot send the probe: \(error)"
        case let .ended(.failed(error)):
            return error.description
        case let .ended(.closed(code, reason, _)):
            return "closed" + (code.map { " (\(CloseCode.describe($0, reason: reason)))" } ?? "")
        case .ended(.protocolViolation), .ended(.abnormalClosure), .ended(.closeTimeout), .ended(.pingTimeout),
             .ended(.applicationTimeout):
            return "the connection ended"
        }
    }

    private static func describe(_ refusal: EngineIOPollingRefusal) -> String {
        switch refusal {
        case let .notEngineIO(error):
            return "its answer is not Engine.IO: \(error)"
        case let .status(statusLine, bodyExcerpt):
            return statusLine + (bodyExcerpt.isEmpty ? "" : ": \(bodyExcerpt)")
        }
    }

    /// Why a connection that is about to be reopened ended.
    private static func describeLoss(_ outcome: ConnectionOutcome) -> String {
        switch outcome {
        case let .closed(code, reason, _):
            var text = "server closed the connection"
            if code != nil { text += " (\(CloseCode.describe(code, reason: reason)))" }
            return text
        case let .protocolViolation(violation):
            return "protocol violation: \(violation)"
        case .abnormalClosure(.peerEndedStream):
            return OutcomeReport.describe(.peerEndedStream, peer: "server")
        case let .abnormalClosure(.transportFailed(error)):
            return error.description
        case let .abnormalClosure(.aborted(reason)):
            return "connection lost: " + OutcomeReport.describe(reason)
        case let .closeTimeout(seconds):
            return "no answer to the close frame within \(formatSeconds(seconds))"
        case let .pingTimeout(seconds):
            return "no pong within \(formatSeconds(seconds)): connection presumed dead"
        case let .applicationTimeout(detail):
            return detail
        case let .failed(error):
            return error.description
        }
    }

    /// "1.3 s", "250 ms": a reconnect delay.
    static func formatDelay(_ seconds: Double) -> String {
        if seconds < 1 { return "\(Int((seconds * 1000).rounded())) ms" }
        return "\((seconds * 10).rounded() / 10) s"
    }
}

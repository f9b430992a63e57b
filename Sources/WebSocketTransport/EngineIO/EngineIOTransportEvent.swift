import SocketIO
import WebSocketCore

/// Which transport an Engine.IO session runs on, as it changes: reported by
/// `EngineIOPollingClient` through `ChannelEvent.engineIO`.
public enum EngineIOTransportEvent {
    /// The session opened over HTTP long-polling; `probingUpgrade`: a WebSocket probe is under way.
    case polling(probingUpgrade: Bool)
    /// The probe was answered: the session now runs over the WebSocket.
    case upgraded
    /// The probe failed: the session stays on long-polling.
    case upgradeFailed(EngineIOProbeFailure)
    /// The server refused long-polling: a plain Engine.IO WebSocket connection is tried instead.
    case pollingRefused(EngineIOPollingRefusal)
}

/// Why the WebSocket upgrade probe did not succeed.
public enum EngineIOProbeFailure {
    /// No answer to the probe within this many seconds.
    case timedOut(seconds: Double)
    /// The probe's ping could not be sent.
    case notSent(SendError)
    /// The probe's WebSocket connection ended (was refused, failed, or was closed).
    case ended(ConnectionOutcome)
}

/// How the server refused the first long-polling request.
public enum EngineIOPollingRefusal {
    /// It answered 200 with a body that is not an Engine.IO payload.
    case notEngineIO(EngineIOError)
    /// It answered with another status (`HTTP/1.1 400 Bad Request`), quoting the start of its body.
    case status(statusLine: String, bodyExcerpt: String)
}

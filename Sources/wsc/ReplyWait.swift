/// The end-of-input rule: how long wsc keeps receiving after its last message when `-w` is not
/// given, derived from what the connection shows instead of a fixed time.
///
/// Right after its last message wsc sends a ping, the probe. A server reads its input in order
/// and answers a ping when it reads it, so the probe's pong means the server has read every
/// message sent before it. It does not mean every reply has been sent: python-websockets, for
/// one, answers pings (and close frames) in its protocol layer while the handler echoes a moment
/// later, and replies not yet sent when it answers our close frame are lost. So wsc closes only
/// after a quiet period, a time with nothing arriving:
///
/// - once the pong is in and at least as many messages have arrived as wsc sent (the
///   request/response or echo exchange is complete, only extra messages could follow): the
///   probe's round-trip time, at least `floor` (0.5 ms: below a loopback round trip, only a guard against a zero period), at most `cap` (0.5 s);
/// - before that (replies may still be on their way, from a server whose application takes its
///   time, or through a proxy that answers pings on the server's behalf; or the server does not
///   answer pings): `patient` (0.5 s, the fixed period this rule replaced), or 4 × the longer of
///   the handshake's and the probe's round trips for a distant server.
///
/// The handshake's round trip went to the WebSocket server itself, through any proxy. When the
/// server closes first, the session ends at once, without waiting.
struct ReplyWait {
    static let floor = 0.0005
    static let cap = 0.5
    static let patient = 0.5

    /// The probe ping's payload, recognised in the pong (and kept out of the output).
    static let probePayload: [UInt8] = Array("wsc end of input".utf8)

    /// Seconds from the upgrade request to the server's answer (0 when unknown).
    let handshakeRoundTrip: Double
    /// When the probe was sent (monotonic seconds).
    let probeSentAt: Double
    /// Seconds from the probe to its pong, once it has arrived.
    private(set) var probeRoundTrip: Double?

    init(handshakeRoundTrip: Double?, probeSentAt: Double) {
        self.handshakeRoundTrip = max(0, handshakeRoundTrip ?? 0)
        self.probeSentAt = probeSentAt
    }

    mutating func pongReceived(at time: Double) {
        if probeRoundTrip == nil { probeRoundTrip = max(0, time - probeSentAt) }
    }

    /// The silence after which wsc closes, given how many messages it sent and how many replies
    /// (data messages; with --socketio, events and acks) it received.
    func quietPeriod(sent: Int, received: Int) -> Double {
        if let probeRoundTrip, received >= sent {
            return min(Self.cap, max(Self.floor, probeRoundTrip))
        }
        return max(Self.patient, 4 * max(handshakeRoundTrip, probeRoundTrip ?? 0))
    }

    /// When to close: a quiet period after the latest of the last bytes received and the probe.
    func closeTime(lastArrival: Double, sent: Int, received: Int) -> Double {
        max(lastArrival, probeSentAt) + quietPeriod(sent: sent, received: received)
    }
}

import ArgumentParser
import WebSocketCore

/// -r and its backoff.
struct ReconnectArguments: ParsableArguments {
    @Flag(name: [.customShort("r"), .customLong("reconnect")],
          help: """
            Reconnect when the connection ends without being asked to (lost, closed by the server, ping timeout), \
            with exponential backoff and full jitter. Messages not yet written to the socket are sent after the \
            reconnect, in order.
            """)
    var reconnect = false

    @Option(name: .customLong("reconnect-delay"), parsing: .unconditional,
            help: ArgumentHelp("Backoff ceiling before the first reconnect; it doubles per attempt. (default: 0.5)",
                               valueName: "seconds"))
    var givenReconnectDelay: Seconds?

    @Option(name: .customLong("reconnect-max-delay"), parsing: .unconditional,
            help: ArgumentHelp("Largest backoff ceiling between attempts. (default: 30)", valueName: "seconds"))
    var givenReconnectMaxDelay: Seconds?

    @Option(name: .customLong("reconnect-attempts"), parsing: .unconditional,
            help: ArgumentHelp("""
                Give up after this many consecutive attempts (default: unlimited), exiting with the code of the \
                last outcome (8 if it was a close). A connection that stays up for 10 s resets the count and the delay.
                """, valueName: "n"))
    var reconnectAttempts: Int?

    @Flag(name: .customLong("no-resend"),
          help: """
            With -r: do not send the -x messages again after a reconnect (by default they are re-sent first \
            on every new connection, like a login or a subscription).
            """)
    var noResend = false

    // The delays are stored as given (nil when left out), so that they can be refused without
    // -r; these apply the defaults their help states.
    var reconnectDelay: Seconds { givenReconnectDelay ?? Seconds(0.5) }
    var reconnectMaxDelay: Seconds { givenReconnectMaxDelay ?? Seconds(30) }

    /// The schedule -r follows, or nil without -r.
    var schedule: ReconnectSchedule? {
        guard reconnect else { return nil }
        return ReconnectSchedule(
            policy: BackoffPolicy(initial: reconnectDelay.value, factor: 2, maximum: reconnectMaxDelay.value),
            maxAttempts: reconnectAttempts)
    }

    func check() throws {
        for case let (name, value?) in [("--reconnect-delay", givenReconnectDelay), ("--reconnect-max-delay", givenReconnectMaxDelay)]
        where value.value <= 0 {
            throw ValidationError("\(name) must be a positive number of seconds, not \(value)")
        }
        if noResend && !reconnect {
            throw ValidationError("--no-resend is about what -r sends again after a reconnect; it needs -r")
        }
        let needsReconnect: [(String, Bool)] = [
            ("--reconnect-delay", givenReconnectDelay != nil), ("--reconnect-max-delay", givenReconnectMaxDelay != nil),
            ("--reconnect-attempts", reconnectAttempts != nil),
        ]
        if !reconnect, let (name, _) = needsReconnect.first(where: { $0.1 }) {
            throw ValidationError("\(name) is about how -r reconnects; it needs -r")
        }
        if let reconnectAttempts, reconnectAttempts < 0 {
            throw ValidationError("--reconnect-attempts must be zero or more")
        }
    }
}

import Glibc

/// What a file descriptor is watched for.
public struct IOInterest: OptionSet, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let readable = IOInterest(rawValue: 1)
    public static let writable = IOInterest(rawValue: 2)
}

/// What poll reported for a file descriptor. Errors and hang-ups are reported as
/// readable so the handler's next read sees the EOF or the error itself.
public struct IOReadiness: OptionSet, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let readable = IOReadiness(rawValue: 1)
    public static let writable = IOReadiness(rawValue: 2)
}

/// Identifies a watched file descriptor.
public struct WatchID: Hashable, Sendable {
    let value: Int
}

/// The single-threaded `poll(2)` loop that drives everything: stdin or the terminal,
/// the socket, signals and timers.
///
/// One connection needs one loop, not an event-loop group: the loop polls a handful of
/// descriptors, runs handlers for the ready ones, then runs due timers. Handlers may
/// register, update or remove watches and timers while the loop runs.
///
/// Its life follows two rules, not a flag that `run()` sets: it runs while something is
/// registered (a watch with an interest, or a timer), and a stop is never lost. `stop()` may
/// be asked for at any time, even before `run()` (a connection that fails while it is being
/// set up ends its session before the loop starts); the next `run()` that reaches it returns.
public final class EventLoop {
    private struct Watch {
        var fd: Int32
        var interest: IOInterest
        var handler: (IOReadiness) -> Void
    }

    @exclusivity(unchecked) private var watches: [Int: Watch] = [:]
    @exclusivity(unchecked) private var order: [Int] = []
    @exclusivity(unchecked) private var nextWatch = 1
    @exclusivity(unchecked) private var timers = TimerQueue()
    /// A stop asked for and not yet honoured: cleared only by the `run()` that returns for it.
    @exclusivity(unchecked) private var stopRequested = false
    @exclusivity(unchecked) private var beforeSleep: [() -> Void] = []

    public init() {}

    /// Watches `fd`; `handler` runs on the loop's thread when poll reports readiness.
    public func watch(_ fd: Int32, for interest: IOInterest, handler: @escaping (IOReadiness) -> Void) -> WatchID {
        let id = nextWatch
        nextWatch += 1
        watches[id] = Watch(fd: fd, interest: interest, handler: handler)
        order.append(id)
        return WatchID(value: id)
    }

    /// Changes what a watched descriptor is polled for (an empty set pauses it).
    public func update(_ watch: WatchID, interest: IOInterest) {
        watches[watch.value]?.interest = interest
    }

    public func interest(of watch: WatchID) -> IOInterest {
        watches[watch.value]?.interest ?? []
    }

    public func unwatch(_ watch: WatchID) {
        watches[watch.value] = nil
        order.removeAll { $0 == watch.value }
    }

    /// Runs `action` once, `seconds` from now.
    @discardableResult
    public func schedule(after seconds: Double, _ action: @escaping () -> Void) -> TimerID {
        timers.schedule(at: MonotonicClock.now() + max(0, seconds), action)
    }

    public func cancel(_ timer: TimerID?) {
        if let timer { timers.cancel(timer) }
    }

    /// Runs `action` every time the loop is about to sleep in poll: the place to flush
    /// buffered output, so many messages share one write yet none waits behind a sleep.
    public func beforeSleeping(_ action: @escaping () -> Void) {
        beforeSleep.append(action)
    }

    /// Makes `run()` return after the current handler; asked for before `run()`, it makes
    /// the next `run()` return at once.
    public func stop() {
        stopRequested = true
    }

    /// Polls and dispatches until a stop is asked for or nothing is left to wait for.
    public func run() {
        // The stop this run honours is used up; one asked for before the run is honoured by it.
        defer { stopRequested = false }
        var fds: [pollfd] = []
        var ids: [Int] = []
        while !stopRequested {
            // The hooks run first, before the watches are collected: a flush may add a watch
            // (stdout is full: wait until it is writable) or a timer, or ask for a stop, and
            // each must count for this sleep, not be noticed after it.
            if let due = timers.nextDeadline(), due <= MonotonicClock.now() {
                // Timers are due: no sleep, so no flush yet.
            } else {
                for action in beforeSleep { action() }
                if stopRequested { break }
            }
            fds.removeAll(keepingCapacity: true)
            ids.removeAll(keepingCapacity: true)
            for id in order {
                guard let watch = watches[id], !watch.interest.isEmpty else { continue }
                var events: Int16 = 0
                if watch.interest.contains(.readable) { events |= Int16(POLLIN) }
                if watch.interest.contains(.writable) { events |= Int16(POLLOUT) }
                fds.append(pollfd(fd: watch.fd, events: events, revents: 0))
                ids.append(id)
            }
            let deadline = timers.nextDeadline()
            if fds.isEmpty && deadline == nil { return }

            var timeoutMS: Int32 = -1
            if let deadline {
                let remaining = deadline - MonotonicClock.now()
                timeoutMS = remaining <= 0 ? 0 : Int32(min(remaining * 1000 + 0.999, 86_400_000))
            }
            let count = fds.withUnsafeMutableBufferPointer { poll($0.baseAddress, nfds_t($0.count), timeoutMS) }
            if count < 0 && errno != EINTR {
                // poll only fails for invalid arguments or lack of memory: nothing to recover.
                fatalError("poll failed: errno \(errno)")
            }
            if count > 0 {
                for (index, pfd) in fds.enumerated() where pfd.revents != 0 {
                    // A handler earlier in this round may have removed or paused this watch.
                    guard let watch = watches[ids[index]], watch.fd == pfd.fd else { continue }
                    var readiness: IOReadiness = []
                    let revents = Int32(pfd.revents)
                    if revents & Int32(POLLIN | POLLHUP | POLLERR | POLLNVAL) != 0, watch.interest.contains(.readable) {
                        readiness.insert(.readable)
                    }
                    if revents & Int32(POLLOUT) != 0 || (revents & Int32(POLLERR | POLLHUP) != 0 && watch.interest.contains(.writable)) {
                        if watch.interest.contains(.writable) { readiness.insert(.writable) }
                    }
                    if !readiness.isEmpty { watch.handler(readiness) }
                    if stopRequested { break }
                }
            }
            if stopRequested { break }
            for action in timers.popDue(now: MonotonicClock.now()) {
                action()
                if stopRequested { break }
            }
        }
        for action in beforeSleep { action() }
    }
}

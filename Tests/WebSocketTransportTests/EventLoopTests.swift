import XCTest
import Glibc
@testable import WebSocketTransport

final class EventLoopTests: XCTestCase {
    func testReadableDescriptorRunsItsHandlerAndTimersStopTheLoop() {
        let loop = EventLoop()
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&fds), 0)
        defer { close(fds[0]); close(fds[1]) }
        var received: [UInt8] = []
        let watch = loop.watch(fds[0], for: .readable) { readiness in
            XCTAssertTrue(readiness.contains(.readable))
            var buffer = [UInt8](repeating: 0, count: 16)
            let n = read(fds[0], &buffer, 16)
            received.append(contentsOf: buffer.prefix(max(0, n)))
        }
        loop.schedule(after: 0.01) { _ = write(fds[1], "hi", 2) }
        loop.schedule(after: 0.2) { loop.stop() }
        let start = MonotonicClock.now()
        loop.run()
        loop.unwatch(watch)
        XCTAssertEqual(received, Array("hi".utf8))
        XCTAssertLessThan(MonotonicClock.now() - start, 2)
    }

    func testPausedWatchIsNotPolled() {
        let loop = EventLoop()
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&fds), 0)
        defer { close(fds[0]); close(fds[1]) }
        _ = write(fds[1], "x", 1)
        var calls = 0
        let watch = loop.watch(fds[0], for: .readable) { _ in calls += 1 }
        loop.update(watch, interest: [])
        loop.schedule(after: 0.05) { loop.stop() }
        loop.run()
        XCTAssertEqual(calls, 0)
    }

    func testRunReturnsWhenNothingIsLeftToWaitFor() {
        let loop = EventLoop()
        var ran = false
        loop.schedule(after: 0) { ran = true }
        loop.run()
        XCTAssertTrue(ran)
    }

    func testStopAskedForBeforeRunIsNotLost() {
        // A connection that fails while it is set up (an unresolvable name) ends its session
        // before the loop runs: the loop must still return, although a watch is registered.
        let loop = EventLoop()
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&fds), 0)
        defer { close(fds[0]); close(fds[1]) }
        let watch = loop.watch(fds[0], for: .readable) { _ in XCTFail("nothing was written") }
        var safetyNetFired = false
        loop.schedule(after: 3) { safetyNetFired = true; loop.stop() }
        var flushes = 0
        loop.beforeSleeping { flushes += 1 }
        loop.stop()
        let start = MonotonicClock.now()
        loop.run()
        loop.unwatch(watch)
        XCTAssertFalse(safetyNetFired)
        XCTAssertLessThan(MonotonicClock.now() - start, 1)
        XCTAssertEqual(flushes, 1, "output is still flushed once when the loop returns")
    }

    func testAStopIsHonouredOnceThenTheLoopRunsAgain() {
        let loop = EventLoop()
        loop.stop()
        loop.run()
        // The stop was used up by the run that returned for it: the next run goes on until
        // nothing is registered.
        var ran = false
        loop.schedule(after: 0.02) { ran = true }
        loop.run()
        XCTAssertTrue(ran)
    }

    func testStopFromATimerEndsTheRunWhileWatchesRemain() {
        let loop = EventLoop()
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&fds), 0)
        defer { close(fds[0]); close(fds[1]) }
        let watch = loop.watch(fds[0], for: .readable) { _ in }
        var later = false
        loop.schedule(after: 0.01) { loop.stop() }
        loop.schedule(after: 0.01) { later = true }
        loop.run()
        loop.unwatch(watch)
        XCTAssertFalse(later, "a stop ends the round: the timers after it wait for the next run")
    }

    func testRunReturnsWhenTheLastWatchIsRemoved() {
        let loop = EventLoop()
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&fds), 0)
        defer { close(fds[0]); close(fds[1]) }
        var watch: WatchID?
        watch = loop.watch(fds[0], for: .readable) { _ in
            if let id = watch { loop.unwatch(id) }
        }
        _ = write(fds[1], "x", 1)
        loop.run()
        XCTAssertNotNil(watch)
    }

    func testStopAskedForByABeforeSleepingHookEndsTheRunInsteadOfSleeping() {
        // The session stops once its output is flushed, and the flush runs as a hook.
        let loop = EventLoop()
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&fds), 0)
        defer { close(fds[0]); close(fds[1]) }
        let watch = loop.watch(fds[0], for: .readable) { _ in }
        var safetyNetFired = false
        loop.schedule(after: 3) { safetyNetFired = true; loop.stop() }
        var stopAsked = false
        loop.beforeSleeping {
            if !stopAsked { stopAsked = true; loop.stop() }
        }
        let start = MonotonicClock.now()
        loop.run()
        loop.unwatch(watch)
        XCTAssertFalse(safetyNetFired)
        XCTAssertLessThan(MonotonicClock.now() - start, 1, "the loop slept through a stop asked for before its sleep")
    }

    func testWatchAddedByABeforeSleepingHookIsPolledInThatSleep() {
        // A flush that finds stdout full watches it for writability: that watch must wake the loop.
        let loop = EventLoop()
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&fds), 0)
        defer { close(fds[0]); close(fds[1]) }
        var safetyNetFired = false
        loop.schedule(after: 3) { safetyNetFired = true; loop.stop() }
        var added = false
        loop.beforeSleeping {
            guard !added else { return }
            added = true
            var watch: WatchID?
            watch = loop.watch(fds[1], for: .writable) { _ in
                if let watch { loop.unwatch(watch) }
                loop.stop()
            }
        }
        loop.run()
        XCTAssertFalse(safetyNetFired, "the writable pipe did not wake the loop")
    }
}

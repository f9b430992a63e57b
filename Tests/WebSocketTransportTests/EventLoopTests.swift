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
}

import XCTest
@testable import WebSocketTransport

final class TimerQueueTests: XCTestCase {
    func testDueTimersRunEarliestFirst() {
        var queue = TimerQueue()
        var fired: [Int] = []
        _ = queue.schedule(at: 3) { fired.append(3) }
        _ = queue.schedule(at: 1) { fired.append(1) }
        _ = queue.schedule(at: 2) { fired.append(2) }
        _ = queue.schedule(at: 9) { fired.append(9) }
        for action in queue.popDue(now: 5) { action() }
        XCTAssertEqual(fired, [1, 2, 3])
        XCTAssertEqual(queue.nextDeadline(), 9)
    }

    func testCancelledTimerNeverRunsAndDoesNotHideTheNextDeadline() {
        var queue = TimerQueue()
        var fired = false
        let early = queue.schedule(at: 1) { fired = true }
        _ = queue.schedule(at: 4) {}
        queue.cancel(early)
        XCTAssertEqual(queue.nextDeadline(), 4)
        XCTAssertTrue(queue.popDue(now: 2).isEmpty)
        XCTAssertFalse(fired)
    }

    func testManyTimersComeOutSorted() {
        var queue = TimerQueue()
        var fired: [Double] = []
        var generator = SplitMix(seed: 7)
        for _ in 0..<500 {
            let deadline = Double(generator.next() % 10_000)
            _ = queue.schedule(at: deadline) { fired.append(deadline) }
        }
        for action in queue.popDue(now: 20_000) { action() }
        XCTAssertEqual(fired.count, 500)
        XCTAssertEqual(fired, fired.sorted())
        XCTAssertNil(queue.nextDeadline())
    }
}

struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

import XCTest
@testable import WebSocketCore

/// A generator that always returns the same value, so `Double.random(in:)` is predictable:
/// UInt64.max draws the top of the range.
private struct FixedGenerator: RandomNumberGenerator {
    var value: UInt64
    mutating func next() -> UInt64 { value }
}

final class ReconnectScheduleTests: XCTestCase {
    private let policy = BackoffPolicy(initial: 0.5, factor: 2, maximum: 30)

    func testDelaysGrowToTheCeilingWithFullJitterAtItsTop() {
        var schedule = ReconnectSchedule(policy: policy)
        var top = FixedGenerator(value: .max)
        var delays: [Double] = []
        for time in 0..<9 {
            delays.append(schedule.nextDelay(endedAt: Double(time), using: &top) ?? -1)
        }
        XCTAssertEqual(delays, [0.5, 1, 2, 4, 8, 16, 30, 30, 30])
        XCTAssertEqual(schedule.attempts, 9)
    }

    func testJitterDrawsFromZeroUpward() {
        var schedule = ReconnectSchedule(policy: policy)
        var bottom = FixedGenerator(value: 0)
        XCTAssertEqual(schedule.nextDelay(endedAt: 0, using: &bottom), 0)
        XCTAssertEqual(schedule.nextDelay(endedAt: 1, using: &bottom), 0)
    }

    func testStableConnectionResetsTheBackoffButAShortOneDoesNot() {
        var schedule = ReconnectSchedule(policy: policy, stableAfter: 10)
        var top = FixedGenerator(value: .max)
        _ = schedule.nextDelay(endedAt: 0, using: &top)        // 0.5
        _ = schedule.nextDelay(endedAt: 1, using: &top)        // 1
        schedule.connectionOpened(at: 100)
        XCTAssertEqual(schedule.nextDelay(endedAt: 105, using: &top), 2, "5 s up is not stable yet")
        schedule.connectionOpened(at: 200)
        XCTAssertEqual(schedule.nextDelay(endedAt: 210, using: &top), 0.5, "10 s up resets the backoff")
    }

    func testAttemptLimitEndsTheSchedule() {
        var schedule = ReconnectSchedule(policy: policy, maxAttempts: 2)
        var top = FixedGenerator(value: .max)
        XCTAssertNotNil(schedule.nextDelay(endedAt: 0, using: &top))
        XCTAssertNotNil(schedule.nextDelay(endedAt: 1, using: &top))
        XCTAssertNil(schedule.nextDelay(endedAt: 2, using: &top))
    }

    func testRetryAfterIsAFloor() {
        var schedule = ReconnectSchedule(policy: policy)
        var bottom = FixedGenerator(value: 0)
        XCTAssertEqual(schedule.nextDelay(endedAt: 0, minimum: 7, using: &bottom), 7)
    }
}

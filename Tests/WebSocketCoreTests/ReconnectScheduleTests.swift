import XCTest
@testable import WebSocketCore

/// A seeded SplitMix64: deterministic, so a schedule can be replayed exactly.
private struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

final class ReconnectScheduleTests: XCTestCase {
    private let policy = BackoffPolicy(initial: 0.5, factor: 2, maximum: 30)
    private let ceilings: [Double] = [0.5, 1, 2, 4, 8, 16, 30, 30, 30]

    private func delays(_ schedule: inout ReconnectSchedule, seed: UInt64, count: Int) -> [Double] {
        var rng = SeededGenerator(state: seed)
        return (0..<count).map { schedule.nextDelay(endedAt: Double($0), using: &rng) ?? -1 }
    }

    func testEachDelayLiesUnderItsExponentialCeiling() {
        var schedule = ReconnectSchedule(policy: policy)
        let drawn = delays(&schedule, seed: 42, count: ceilings.count)
        for (delay, ceiling) in zip(drawn, ceilings) {
            XCTAssertGreaterThanOrEqual(delay, 0)
            XCTAssertLessThanOrEqual(delay, ceiling)
        }
        XCTAssertEqual(schedule.attempts, ceilings.count)
    }

    func testTheSameRandomSourceReplaysTheSameSchedule() {
        var first = ReconnectSchedule(policy: policy)
        var second = ReconnectSchedule(policy: policy)
        XCTAssertEqual(delays(&first, seed: 7, count: 12), delays(&second, seed: 7, count: 12))
    }

    func testJitterSpreadsOverTheWholeRange() {
        // Full jitter: over many draws at the cap, both the bottom and the top tenth are hit.
        var rng = SeededGenerator(state: 1)
        var schedule = ReconnectSchedule(policy: BackoffPolicy(initial: 30, factor: 2, maximum: 30))
        let samples = (0..<400).map { schedule.nextDelay(endedAt: Double($0), using: &rng) ?? -1 }
        XCTAssertTrue(samples.contains { $0 < 3 })
        XCTAssertTrue(samples.contains { $0 > 27 })
        XCTAssertTrue(samples.allSatisfy { $0 >= 0 && $0 <= 30 })
    }

    func testStableConnectionResetsTheBackoffButAShortOneDoesNot() {
        var schedule = ReconnectSchedule(policy: policy, stableAfter: 10)
        var rng = SeededGenerator(state: 3)
        _ = schedule.nextDelay(endedAt: 0, using: &rng)
        _ = schedule.nextDelay(endedAt: 1, using: &rng)
        schedule.connectionOpened(at: 100)
        _ = schedule.nextDelay(endedAt: 105, using: &rng)
        XCTAssertEqual(schedule.attempts, 3, "5 s up is not stable yet: the count goes on")
        schedule.connectionOpened(at: 200)
        let delay = schedule.nextDelay(endedAt: 210, using: &rng) ?? -1
        XCTAssertEqual(schedule.attempts, 1, "10 s up resets the backoff")
        XCTAssertLessThanOrEqual(delay, 0.5)
    }

    func testAttemptLimitEndsTheSchedule() {
        var schedule = ReconnectSchedule(policy: policy, maxAttempts: 2)
        var rng = SeededGenerator(state: 5)
        XCTAssertNotNil(schedule.nextDelay(endedAt: 0, using: &rng))
        XCTAssertNotNil(schedule.nextDelay(endedAt: 1, using: &rng))
        XCTAssertNil(schedule.nextDelay(endedAt: 2, using: &rng))
    }

    func testRetryAfterIsAFloor() {
        var schedule = ReconnectSchedule(policy: policy)
        var rng = SeededGenerator(state: 9)
        XCTAssertEqual(schedule.nextDelay(endedAt: 0, minimum: 7, using: &rng), 7)
    }
}

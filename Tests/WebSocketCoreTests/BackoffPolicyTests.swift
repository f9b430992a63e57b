import XCTest
@testable import WebSocketCore

/// SplitMix64: a tiny seeded generator, so jitter tests are repeatable.
private struct BackoffSeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

final class BackoffPolicyTests: XCTestCase {
    private let policy = BackoffPolicy(initial: 1, factor: 2, maximum: 30)

    func testDefaultsToOneSecondDoublingUpToThirty() {
        XCTAssertEqual(BackoffPolicy(), policy)
    }

    func testCeilingGrowsByFactorUntilTheMaximum() {
        XCTAssertEqual((0...7).map { policy.ceiling(attempt: $0) }, [1, 2, 4, 8, 16, 30, 30, 30])
        XCTAssertEqual(BackoffPolicy(initial: 0.25, factor: 3, maximum: 60).ceiling(attempt: 3), 6.75)
    }

    func testCeilingDoesNotOverflowForHugeAttemptNumbers() {
        XCTAssertEqual(policy.ceiling(attempt: 1_000), 30)
        XCTAssertEqual(policy.ceiling(attempt: Int.max), 30)
        XCTAssertEqual(BackoffPolicy(initial: 1, factor: 1.000_000_1, maximum: 30).ceiling(attempt: Int.max), 30)
        XCTAssertEqual(BackoffPolicy(initial: 1, factor: 1, maximum: 30).ceiling(attempt: Int.max), 1)
    }

    func testNegativeAttemptCountsAsTheFirst() {
        XCTAssertEqual(policy.ceiling(attempt: -3), 1)
        XCTAssertEqual(policy.ceiling(attempt: Int.min), 1)
    }

    func testUnboundedMaximumStillGivesAFiniteDelay() {
        let unbounded = BackoffPolicy(initial: 1, factor: 2, maximum: .infinity)
        XCTAssertEqual(unbounded.ceiling(attempt: 10), 1024)
        XCTAssertEqual(unbounded.ceiling(attempt: Int.max), Double.greatestFiniteMagnitude)
        var generator = BackoffSeededGenerator(seed: 7)
        let delay = unbounded.delay(attempt: Int.max, using: &generator)
        XCTAssertTrue(delay.isFinite)
        XCTAssertGreaterThanOrEqual(delay, 0)
    }

    func testNonsensicalSettingsAreTamedInsteadOfTrapping() {
        XCTAssertEqual(BackoffPolicy(initial: 0, factor: 2, maximum: 30).ceiling(attempt: 5), 0)
        XCTAssertEqual(BackoffPolicy(initial: -1, factor: 2, maximum: 30).ceiling(attempt: 5), 0)
        XCTAssertEqual(BackoffPolicy(initial: .nan, factor: 2, maximum: 30).ceiling(attempt: 5), 0)
        XCTAssertEqual(BackoffPolicy(initial: 1, factor: 2, maximum: .nan).ceiling(attempt: 5), 0)
        XCTAssertEqual(BackoffPolicy(initial: 4, factor: 0.5, maximum: 30).ceiling(attempt: 5), 4)
        XCTAssertEqual(BackoffPolicy(initial: 4, factor: .nan, maximum: 30).ceiling(attempt: 5), 4)
        XCTAssertEqual(BackoffPolicy(initial: 5, factor: 2, maximum: 2).ceiling(attempt: 0), 2)
        var generator = BackoffSeededGenerator(seed: 1)
        XCTAssertEqual(BackoffPolicy(initial: 0, factor: 2, maximum: 30).delay(attempt: 3, using: &generator), 0)
    }

    func testDelayStaysBetweenZeroAndTheCeiling() {
        var generator = BackoffSeededGenerator(seed: 0x5EED)
        for attempt in 0...40 {
            let ceiling = policy.ceiling(attempt: attempt)
            for _ in 0..<250 {
                let delay = policy.delay(attempt: attempt, using: &generator)
                XCTAssertGreaterThanOrEqual(delay, 0)
                XCTAssertLessThanOrEqual(delay, ceiling)
            }
        }
    }

    func testDelayIsSpreadOverTheWholeRange() {
        var generator = BackoffSeededGenerator(seed: 42)
        let delays = (0..<4_000).map { _ in policy.delay(attempt: 3, using: &generator) }
        let mean = delays.reduce(0, +) / Double(delays.count)
        XCTAssertLessThan(delays.min() ?? 8, 0.1)
        XCTAssertGreaterThan(delays.max() ?? 0, 7.9)
        XCTAssertEqual(mean, 4, accuracy: 0.25)
    }

    func testSameSeedGivesTheSameDelays() {
        var first = BackoffSeededGenerator(seed: 99)
        var second = BackoffSeededGenerator(seed: 99)
        var other = BackoffSeededGenerator(seed: 100)
        let a = (0..<10).map { policy.delay(attempt: $0, using: &first) }
        let b = (0..<10).map { policy.delay(attempt: $0, using: &second) }
        let c = (0..<10).map { policy.delay(attempt: $0, using: &other) }
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a, c)
    }

    func testSystemGeneratorDelayStaysWithinTheCeiling() {
        for attempt in 0...8 {
            let delay = policy.delay(attempt: attempt)
            XCTAssertGreaterThanOrEqual(delay, 0)
            XCTAssertLessThanOrEqual(delay, policy.ceiling(attempt: attempt))
        }
    }
}

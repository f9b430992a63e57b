import XCTest
@testable import WebSocketCore

final class ConnectionAttemptScheduleTests: XCTestCase {
    func testFamiliesAlternateLedByTheFirstAddressFamily() {
        let schedule = ConnectionAttemptSchedule(families: [.ipv6, .ipv6, .ipv6, .ipv4, .ipv4])
        XCTAssertEqual(schedule.order, [0, 3, 1, 4, 2])
        let ipv4First = ConnectionAttemptSchedule(families: [.ipv4, .ipv6, .ipv4])
        XCTAssertEqual(ipv4First.order, [0, 1, 2])
        XCTAssertEqual(ConnectionAttemptSchedule(families: [.ipv4, .ipv4]).order, [0, 1])
        XCTAssertEqual(ConnectionAttemptSchedule(families: []).order, [])
    }

    func testNextAttemptStartsAfterTheDelayWithoutWaitingForTheFirstToFail() {
        var schedule = ConnectionAttemptSchedule(families: [.ipv6, .ipv4, .ipv6])
        XCTAssertEqual(schedule.nextStep(now: 10), .attempt(0))
        XCTAssertEqual(schedule.nextStep(now: 10), .wait(until: 10.25))
        XCTAssertEqual(schedule.nextStep(now: 10.1), .wait(until: 10.25))
        XCTAssertEqual(schedule.nextStep(now: 10.25), .attempt(1))
        XCTAssertEqual(schedule.nextStep(now: 10.25), .wait(until: 10.5))
        XCTAssertEqual(schedule.nextStep(now: 10.5), .attempt(2))
        XCTAssertEqual(schedule.nextStep(now: 10.5), .waitForAttempts)
        XCTAssertEqual(schedule.nextStep(now: 99), .waitForAttempts, "the attempts in flight are still going")
    }

    func testAFailureStartsTheNextAttemptAtOnce() {
        var schedule = ConnectionAttemptSchedule(families: [.ipv4, .ipv4, .ipv4])
        XCTAssertEqual(schedule.nextStep(now: 0), .attempt(0))
        XCTAssertEqual(schedule.nextStep(now: 0.01), .wait(until: 0.25))
        schedule.attemptFailed()   // refused at once
        XCTAssertEqual(schedule.nextStep(now: 0.02), .attempt(1))
        XCTAssertEqual(schedule.nextStep(now: 0.1), .wait(until: 0.27))
        XCTAssertEqual(schedule.nextStep(now: 0.27), .attempt(2))
        schedule.attemptFailed()
        XCTAssertEqual(schedule.nextStep(now: 0.3), .waitForAttempts, "attempt 1 is still in flight")
        schedule.attemptFailed()
        XCTAssertEqual(schedule.nextStep(now: 0.4), .exhausted)
    }

    func testNoAddressesIsExhaustedAtOnce() {
        var schedule = ConnectionAttemptSchedule(families: [])
        XCTAssertEqual(schedule.nextStep(now: 0), .exhausted)
    }

    func testCustomDelay() {
        var schedule = ConnectionAttemptSchedule(families: [.ipv4, .ipv6], attemptDelay: 1)
        XCTAssertEqual(schedule.nextStep(now: 5), .attempt(0))
        XCTAssertEqual(schedule.nextStep(now: 5), .wait(until: 6))
    }
}

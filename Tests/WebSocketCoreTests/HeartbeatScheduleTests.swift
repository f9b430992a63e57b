import XCTest
import WebSocketCore

final class HeartbeatScheduleTests: XCTestCase {
    func testTheTimeoutDefaultsToTheInterval() {
        XCTAssertEqual(HeartbeatSchedule(interval: 2).timeout, 2)
        XCTAssertEqual(HeartbeatSchedule(interval: 2, timeout: 0.5).timeout, 0.5)
    }

    func testPingsAreNumberedFromOneAsEightBigEndianBytes() {
        var heartbeat = HeartbeatSchedule(interval: 1)
        XCTAssertEqual(heartbeat.pingDue().payload, [0, 0, 0, 0, 0, 0, 0, 1])
        XCTAssertEqual(heartbeat.pingDue().payload, [0, 0, 0, 0, 0, 0, 0, 2])
    }

    /// A silent peer is dead `timeout` after its first unanswered ping, however many follow.
    func testOnlyTheFirstUnansweredPingStartsTheDeadline() {
        var heartbeat = HeartbeatSchedule(interval: 1, timeout: 3)
        XCTAssertTrue(heartbeat.pingDue().startsDeadline)
        XCTAssertFalse(heartbeat.pingDue().startsDeadline)
        XCTAssertFalse(heartbeat.pingDue().startsDeadline)
        XCTAssertTrue(heartbeat.isAwaitingPong)
    }

    func testAPongClearsTheDeadlineAndTheNextPingStartsAnother() {
        var heartbeat = HeartbeatSchedule(interval: 1)
        _ = heartbeat.pingDue()
        XCTAssertTrue(heartbeat.pongReceived(), "the running deadline is to be cancelled")
        XCTAssertFalse(heartbeat.isAwaitingPong)
        XCTAssertTrue(heartbeat.pingDue().startsDeadline)
    }

    /// RFC 6455 5.5.3: a pong nobody asked for is allowed; it cancels nothing.
    func testAnUnsolicitedPongHasNothingToCancel() {
        var heartbeat = HeartbeatSchedule(interval: 1)
        XCTAssertFalse(heartbeat.pongReceived())
    }

    func testADeadPeerIsToldWith1011PingTimeout() {
        XCTAssertEqual(HeartbeatSchedule.closeCode, 1011)
        XCTAssertEqual(HeartbeatSchedule.closeReason, "ping timeout")
    }
}

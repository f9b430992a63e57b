import XCTest
@testable import wsc

final class ReplyWaitTests: XCTestCase {
    func testBeforeThePongWaitsHalfASecondOfSilence() {
        let wait = ReplyWait(handshakeRoundTrip: 0.001, probeSentAt: 10)
        XCTAssertEqual(wait.quietPeriod(sent: 3, received: 3), 0.5)
        XCTAssertEqual(wait.closeTime(lastArrival: 9, sent: 3, received: 3), 10.5, "counted from the probe at the earliest")
        XCTAssertEqual(wait.closeTime(lastArrival: 10.2, sent: 3, received: 3), 10.7)
    }

    func testADistantServerGetsFourRoundTripsWhileRepliesAreMissing() {
        let wait = ReplyWait(handshakeRoundTrip: 0.3, probeSentAt: 0)
        XCTAssertEqual(wait.quietPeriod(sent: 1, received: 0), 1.2, accuracy: 1e-9)
    }

    func testAfterThePongWithEveryReplyInWaitsOneProbeRoundTrip() {
        var wait = ReplyWait(handshakeRoundTrip: 0.0004, probeSentAt: 1)
        wait.pongReceived(at: 1.004)
        XCTAssertEqual(wait.quietPeriod(sent: 2, received: 2), 0.004, accuracy: 1e-9)
        XCTAssertEqual(wait.quietPeriod(sent: 0, received: 100), 0.004, accuracy: 1e-9)
    }

    func testAfterThePongTheQuietPeriodHasAFloorAndACap() {
        var fast = ReplyWait(handshakeRoundTrip: 0.0001, probeSentAt: 0)
        fast.pongReceived(at: 0.0001)
        XCTAssertEqual(fast.quietPeriod(sent: 1, received: 1), ReplyWait.floor)
        var slow = ReplyWait(handshakeRoundTrip: 0.1, probeSentAt: 0)
        slow.pongReceived(at: 2)
        XCTAssertEqual(slow.quietPeriod(sent: 1, received: 1), ReplyWait.cap)
    }

    func testAfterThePongMissingRepliesKeepTheLongPeriod() {
        var wait = ReplyWait(handshakeRoundTrip: 0.0004, probeSentAt: 0)
        wait.pongReceived(at: 0.0002)
        XCTAssertEqual(wait.quietPeriod(sent: 3, received: 2), 0.5)
    }

    func testOnlyTheFirstPongCounts() {
        var wait = ReplyWait(handshakeRoundTrip: nil, probeSentAt: 0)
        wait.pongReceived(at: 0.003)
        wait.pongReceived(at: 0.2)
        XCTAssertEqual(wait.probeRoundTrip ?? 0, 0.003, accuracy: 1e-12)
    }
}

import XCTest
@testable import SocketIO

final class EngineIOPayloadTests: XCTestCase {
    func testPacketsAreSeparatedByTheRecordSeparatorAndBinaryIsBase64() throws {
        let items: [EngineIOPayload.Item] = [.text("4hello"), .binary([1, 2, 3]), .text("2")]
        let body = EngineIOPayload.encode(items)
        XCTAssertEqual(body, Array("4hello\u{1E}bAQID\u{1E}2".utf8))
        XCTAssertEqual(try EngineIOPayload.decode(body), items)
        XCTAssertEqual(try EngineIOPayload.decode([]), [])
    }

    func testRejectsBrokenPayloads() {
        XCTAssertThrowsError(try EngineIOPayload.decode(Array("4a\u{1E}\u{1E}4b".utf8)))
        XCTAssertThrowsError(try EngineIOPayload.decode(Array("b@@@".utf8)))
        XCTAssertThrowsError(try EngineIOPayload.decode([0x34, 0xFF]))
    }
}

final class EngineIOPollingSessionTests: XCTestCase {
    private let open = #"0{"sid":"S1","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000}"#
    private func session(upgrades: Bool) -> EngineIOPollingSession {
        EngineIOPollingSession(pollingResource: "/socket.io/?EIO=4&transport=polling",
                               webSocketResource: "/socket.io/?EIO=4&transport=websocket", upgrades: upgrades)
    }

    func testHandshakeThenOneGetAlwaysOutAndOnePostAtATime() throws {
        var polling = session(upgrades: false)
        XCTAssertEqual(polling.start(), [.get(target: "/socket.io/?EIO=4&transport=polling")])
        // Sent before the open packet: waits for the sid.
        XCTAssertEqual(polling.send(.text("40")), [])
        let (packets, actions) = try polling.getCompleted(body: Array(open.utf8))
        XCTAssertEqual(packets, [.text(open)])
        XCTAssertEqual(polling.phase, .polling)
        XCTAssertEqual(actions, [.post(target: "/socket.io/?EIO=4&transport=polling&sid=S1", body: Array("40".utf8)),
                                 .get(target: "/socket.io/?EIO=4&transport=polling&sid=S1")])
        XCTAssertEqual(polling.pendingBytes, 2)
        // While the POST is out, packets queue and leave together in the next one.
        XCTAssertEqual(polling.send(.text("42[\"a\"]")), [])
        XCTAssertEqual(polling.send(.binary([1])), [])
        XCTAssertEqual(polling.postCompleted(),
                       [.post(target: "/socket.io/?EIO=4&transport=polling&sid=S1", body: Array("42[\"a\"]\u{1E}bAQ==".utf8))])
        XCTAssertEqual(polling.confirmedBytes, 2)
        XCTAssertEqual(polling.postCompleted(), [])
        XCTAssertEqual(polling.confirmedBytes, 2 + 7 + 5)
        XCTAssertTrue(polling.isDrained)
        // A server ping in a poll answer; the next GET goes out.
        let (ping, next) = try polling.getCompleted(body: Array("2".utf8))
        XCTAssertEqual(ping, [.text("2")])
        XCTAssertEqual(next, [.get(target: "/socket.io/?EIO=4&transport=polling&sid=S1")])
    }

    func testUpgradeWaitsForTheGetAndPostInFlightThenFlushesOverTheWebSocket() throws {
        var polling = session(upgrades: true)
        _ = polling.start()
        let (_, actions) = try polling.getCompleted(body: Array(open.utf8))
        XCTAssertEqual(actions.first, .probe(target: "/socket.io/?EIO=4&transport=websocket&sid=S1"))
        XCTAssertEqual(polling.phase, .probing)
        XCTAssertEqual(polling.send(.text("40")).count, 1)   // a POST, while probing
        XCTAssertEqual(polling.probeSucceeded(), [])           // the GET and the POST are out
        XCTAssertEqual(polling.phase, .pausing)
        XCTAssertEqual(polling.send(.text("42[1]")), [])       // held
        XCTAssertEqual(polling.postCompleted(), [])            // the GET is still out
        let (noop, last) = try polling.getCompleted(body: Array("6".utf8))
        XCTAssertEqual(noop, [.text("6")])
        XCTAssertEqual(last, [.upgrade(flush: [.text("42[1]")])])
        XCTAssertEqual(polling.phase, .upgraded)
        XCTAssertEqual(polling.send(.text("42[2]")), [.webSocket(.text("42[2]"))])
    }

    func testPostsStayWithinTheServersMaxPayload() throws {
        var polling = session(upgrades: false)
        _ = polling.start()
        let body = #"0{"sid":"S1","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":10}"#
        _ = try polling.getCompleted(body: Array(body.utf8))
        _ = polling.send(.text("4a"))
        for text in ["4bcd", "4efg", "4hij"] { _ = polling.send(.text(text)) }
        // "4bcd" + separator + "4efg" is 9 bytes; "4hij" would make it 14.
        XCTAssertEqual(polling.postCompleted(), [.post(target: "/socket.io/?EIO=4&transport=polling&sid=S1",
                                                       body: Array("4bcd\u{1E}4efg".utf8))])
        XCTAssertEqual(polling.pendingBytes, 12)
        XCTAssertEqual(polling.postCompleted(), [.post(target: "/socket.io/?EIO=4&transport=polling&sid=S1",
                                                       body: Array("4hij".utf8))])
    }

    func testFailedProbeGoesBackToPolling() throws {
        var polling = session(upgrades: true)
        _ = polling.start()
        _ = try polling.getCompleted(body: Array(open.utf8))
        XCTAssertEqual(polling.probeFailed(), [])   // the GET is still out
        XCTAssertEqual(polling.phase, .polling)
        XCTAssertEqual(polling.send(.text("40")).count, 1)
    }

    func testNoProbeWhenTheServerOffersNoUpgrade() throws {
        var polling = session(upgrades: true)
        _ = polling.start()
        let body = #"0{"sid":"S1","upgrades":[],"pingInterval":25000,"pingTimeout":20000}"#
        let (_, actions) = try polling.getCompleted(body: Array(body.utf8))
        XCTAssertEqual(actions, [.get(target: "/socket.io/?EIO=4&transport=polling&sid=S1")])
    }

    func testCloseAndBadOpenPacket() throws {
        var polling = session(upgrades: false)
        _ = polling.start()
        XCTAssertThrowsError(try polling.getCompleted(body: Array("4hello".utf8)))
        var other = session(upgrades: false)
        _ = other.start()
        _ = try other.getCompleted(body: Array(open.utf8))
        let (_, actions) = try other.getCompleted(body: Array("1".utf8))
        XCTAssertEqual(actions, [])
        XCTAssertEqual(other.phase, .closed)
    }
}

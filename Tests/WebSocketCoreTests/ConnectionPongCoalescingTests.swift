import XCTest
@testable import WebSocketCore

/// Pings answered while earlier answers are still unwritten and the outgoing buffer is above the
/// coalescing threshold: only the latest is answered (RFC 6455 5.5.3), so a peer that floods
/// pings and never reads cannot grow the outgoing buffer. These tests use threshold 0 (coalesce
/// whenever an answer is unwritten) unless they say otherwise.
final class ConnectionPongCoalescingTests: XCTestCase {
    private let coalescing = WebSocketConfiguration(pongCoalescingThreshold: 0)

    /// Below the threshold every ping gets its own pong (Autobahn cases 2.10 and 2.11 send ten
    /// pings in one burst and expect ten pongs).
    func testBelowTheThresholdEveryPingIsAnswered() {
        var connection = openConnection(.server)
        let pings = (1...10).map { rawFrame(0x89, [UInt8($0)], key: clientKey) }.joined()
        XCTAssertEqual(connection.feed(Array(pings)).count, 10)
        XCTAssertEqual(connection.drainOutgoing(), Array((1...10).map { hex("8a 01") + [UInt8($0)] }.joined()))
    }

    /// Above it, the buffer stops growing: ten thousand unwritten pongs would be 1.3 MB.
    func testAboveTheDefaultThresholdTheBufferStaysBounded() {
        var connection = openConnection(.client)
        var events: [WebSocketEvent] = []
        let ping = hex("89 7d") + [UInt8](repeating: 0x70, count: 125)
        for _ in 0..<10 {
            connection.receive(Array([[UInt8]](repeating: ping, count: 1000).joined()), into: &events)
            events.removeAll()
        }
        XCTAssertLessThanOrEqual(connection.pendingOutgoingCount,
                                 WebSocketConfiguration.defaultPongCoalescingThreshold + 2 * (2 + 4 + 125))
    }
    func testAnswersOnlyTheLatestOfSeveralUnwrittenPings() {
        var connection = openConnection(.server, configuration: coalescing)
        let pings = rawFrame(0x89, utf8("1"), key: clientKey) + rawFrame(0x89, utf8("22"), key: clientKey)
            + rawFrame(0x89, utf8("333"), key: clientKey)
        XCTAssertEqual(connection.feed(pings), [.ping(utf8("1")), .ping(utf8("22")), .ping(utf8("333"))])
        XCTAssertEqual(connection.drainOutgoing(), hex("8a 03") + utf8("333"))
    }

    func testTenThousandPingsCostOnePongOfMemory() {
        var connection = openConnection(.client, configuration: coalescing)
        var events: [WebSocketEvent] = []
        let ping = hex("89 7d") + [UInt8](repeating: 0x70, count: 125)
        for _ in 0..<10 {
            let burst = Array([[UInt8]](repeating: ping, count: 1000).joined())
            connection.receive(burst, into: &events)
            events.removeAll()
        }
        XCTAssertEqual(connection.pendingOutgoingCount, 2 + 4 + 125)
    }

    func testAClientsReplacementPongIsMaskedWithAFreshKey() {
        var connection = openConnection(.client, configuration: coalescing, key: FixedKeyGenerator(0x37, 0xFA, 0x21, 0x3D))
        _ = connection.feed(hex("89 01 41") + hex("89 05 48 65 6c 6c 6f"))
        XCTAssertEqual(connection.drainOutgoing(), hex("8a 85 37 fa 21 3d 7f 9f 4d 51 58"))
    }

    func testAPongWhoseWritingHasStartedIsNotReplaced() {
        var connection = openConnection(.server, configuration: coalescing)
        _ = connection.feed(rawFrame(0x89, utf8("first"), key: clientKey))
        connection.consumeOutgoing(1)
        _ = connection.feed(rawFrame(0x89, utf8("second"), key: clientKey))
        XCTAssertEqual(connection.drainOutgoing(), hex("05") + utf8("first") + hex("8a 06") + utf8("second"))
    }

    func testMessagesQueuedAfterTheAnswerKeepTheirPlaceAndOrder() throws {
        var connection = openConnection(.server, configuration: coalescing)
        _ = connection.feed(rawFrame(0x89, utf8("a"), key: clientKey))
        try connection.sendText("x")
        _ = connection.feed(rawFrame(0x89, utf8("bcd"), key: clientKey))
        try connection.sendText("y")
        _ = connection.feed(rawFrame(0x89, utf8("ef"), key: clientKey))
        XCTAssertEqual(connection.drainOutgoing(),
                       hex("8a 02") + utf8("ef") + hex("81 01") + utf8("x") + hex("81 01") + utf8("y"))
    }

    /// The buffer moves its unwritten bytes to the front after large writes; the pong's place
    /// must move with them.
    func testTheAnswerIsFoundAgainAfterTheBufferIsCompacted() throws {
        var connection = openConnection(.server, configuration: coalescing)
        let payload = [UInt8](repeating: 0x42, count: 100)
        try connection.sendBinary(payload)
        _ = connection.feed(rawFrame(0x89, utf8("old"), key: clientKey))
        connection.consumeOutgoing(60)
        _ = connection.feed(rawFrame(0x89, utf8("new!"), key: clientKey))
        XCTAssertEqual(connection.drainOutgoing(), Array(payload.suffix(42)) + hex("8a 04") + utf8("new!"))
    }

    func testAPingAfterTheAnswerWasWrittenIsAnsweredAgain() {
        var connection = openConnection(.server, configuration: coalescing)
        _ = connection.feed(rawFrame(0x89, utf8("1"), key: clientKey))
        XCTAssertEqual(connection.drainOutgoing(), hex("8a 01") + utf8("1"))
        _ = connection.feed(rawFrame(0x89, utf8("2"), key: clientKey))
        XCTAssertEqual(connection.drainOutgoing(), hex("8a 01") + utf8("2"))
    }
}

import XCTest
import WebSocketCore
@testable import WebSocketTransport

/// A read's events go up as one `ReceivedEvents`; what a delegate does not take comes one by
/// one, in order, and nothing is lost.
final class ReceivedEventsTests: XCTestCase {
    func testWhatABatchDelegateLeavesArrivesOneByOneInOrder() throws {
        // Three messages and a close, queued in one loop turn: they leave in one write.
        let exchange = try OneLoopExchange(serverDelegate: BurstServer(messages: ["a", "b", "c"], close: (1000, "bye")))
        let clientSide = TakesOneEventPerRead()
        clientSide.log.onFinish = { exchange.loop.stop() }
        _ = try exchange.runClient(delegate: clientSide)

        XCTAssertEqual(clientSide.log.received, ["a", "b", "c", "closed 1000 bye"])
        XCTAssertEqual(clientSide.log.outcome, .closed(code: 1000, reason: "bye", initiatedByPeer: true))
        // Each read's first event came through the batch, the rest one by one.
        XCTAssertGreaterThanOrEqual(clientSide.log.takenFromBatch.count, 1)
        XCTAssertEqual(clientSide.log.takenFromBatch.first, "a")
        XCTAssertEqual(clientSide.log.takenFromBatch.count + clientSide.log.deliveredSingly.count, 4)
    }

    func testADelegateThatTakesEveryEventGetsTheCloseLastAndTheStatisticsCountEachMessage() throws {
        let exchange = try OneLoopExchange(serverDelegate: BurstServer(messages: (1...50).map { "m\($0)" }, close: (1000, "")))
        let clientSide = TakesOneEventPerRead(takesAll: true)
        clientSide.log.onFinish = { exchange.loop.stop() }
        let client = try exchange.runClient(delegate: clientSide)

        XCTAssertEqual(clientSide.log.received, (1...50).map { "m\($0)" } + ["closed 1000 "])
        XCTAssertEqual(clientSide.log.deliveredSingly, [])
        XCTAssertEqual(client.statistics.messagesReceived, 50)
        XCTAssertEqual(clientSide.log.outcome, .closed(code: 1000, reason: "", initiatedByPeer: true))
    }
}

/// The server's side of the same: `WebSocketServerDelegate` gets a client's read as one batch.
final class ServerReceivedEventsTests: XCTestCase {
    func testAServerDelegateGetsAClientsReadAsOneBatchAndTheRestOneByOne() throws {
        let serverSide = ServerTakingFromBatch(takesAll: false)
        let exchange = try OneLoopExchange(serverDelegate: serverSide)
        serverSide.log.onFinish = { exchange.loop.stop() }
        _ = try exchange.runClient(delegate: BurstClient(messages: ["a", "b", "c"], close: (1000, "bye")))

        // Each read's first event came through the batch, the rest one by one, in order; the
        // single-event method gets messages only (the client's close is reported by didFinish).
        XCTAssertEqual(serverSide.log.received.filter { !$0.hasPrefix("closed") }, ["a", "b", "c"])
        XCTAssertEqual(serverSide.log.takenFromBatch.first, "a")
        XCTAssertFalse(serverSide.log.deliveredSingly.contains { $0.hasPrefix("closed") })
        XCTAssertEqual(serverSide.log.outcome, .closed(code: 1000, reason: "bye", initiatedByPeer: true))
    }

    func testAServerDelegateThatTakesEveryEventSeesTheClientsCloseInTheBatch() throws {
        let serverSide = ServerTakingFromBatch(takesAll: true)
        let exchange = try OneLoopExchange(serverDelegate: serverSide)
        serverSide.log.onFinish = { exchange.loop.stop() }
        _ = try exchange.runClient(delegate: BurstClient(messages: ["a", "b", "c"], close: (1000, "bye")))

        XCTAssertEqual(serverSide.log.takenFromBatch, ["a", "b", "c", "closed 1000 bye"])
        XCTAssertEqual(serverSide.log.deliveredSingly, [])
        XCTAssertEqual(serverSide.log.outcome, .closed(code: 1000, reason: "bye", initiatedByPeer: true))
    }
}

/// Messages and a close sent in one loop turn, so they leave in one write.
private struct Burst {
    let messages: [String]
    let close: (code: UInt16, reason: String)

    func send(_ sendText: (UnsafeRawBufferPointer) throws(SendError) -> Void, close: (UInt16, String) -> Void) {
        for message in messages {
            Array(message.utf8).withUnsafeBytes { raw in
                do throws(SendError) { try sendText(raw) } catch { XCTFail("\(error)") }
            }
        }
        close(self.close.code, self.close.reason)
    }
}

/// Sends its burst as soon as it opens (the close flushes it).
private final class BurstClient: MessageChannelDelegate {
    let burst: Burst

    init(messages: [String], close: (UInt16, String)) { burst = Burst(messages: messages, close: close) }

    func channelDidOpen(_ channel: MessageChannel, result: HandshakeResult) {
        burst.send({ (raw) throws(SendError) in try channel.sendText(raw) },
                   close: { channel.close(code: $0, reason: $1, timeout: 2) })
    }

    func source(_ channel: MessageChannel, didReceive event: WebSocketEvent) {}
    func sourceCanAcceptMoreOutput(_ channel: MessageChannel) {}
    func channel(_ channel: MessageChannel, didReport event: ChannelEvent) {}
    func source(_ channel: MessageChannel, didFinish outcome: ConnectionOutcome) {}
}

/// What a test delegate got, and how: it takes the first event of each read from the batch
/// (all of them with `takesAll`) and records what then arrives one by one.
private final class BatchLog {
    let takesAll: Bool
    var received: [String] = []
    var takenFromBatch: [String] = []
    var deliveredSingly: [String] = []
    var outcome: ConnectionOutcome?
    var onFinish: () -> Void = {}

    init(takesAll: Bool) { self.takesAll = takesAll }

    func take(_ events: inout ReceivedEvents) {
        while let event = events.next() {
            received.append(describe(event))
            takenFromBatch.append(describe(event))
            if !takesAll { return }
        }
    }

    func single(_ event: WebSocketEvent) {
        received.append(describe(event))
        deliveredSingly.append(describe(event))
    }

    func finished(_ outcome: ConnectionOutcome) {
        self.outcome = outcome
        onFinish()
    }
}

/// A server delegate that keeps a `BatchLog`.
private final class ServerTakingFromBatch: WebSocketServerDelegate {
    let log: BatchLog

    init(takesAll: Bool) { log = BatchLog(takesAll: takesAll) }

    func server(_ server: WebSocketServer, didOpen connection: ServerConnection) {}

    func server(_ server: WebSocketServer, connection: ServerConnection, didReceive events: inout ReceivedEvents) {
        log.take(&events)
    }

    func server(_ server: WebSocketServer, connection: ServerConnection, didReceive event: WebSocketEvent) {
        log.single(event)
    }

    func server(_ server: WebSocketServer, connection: ServerConnection, didFinish outcome: ConnectionOutcome) {
        log.finished(outcome)
    }
}

/// Sends its burst as soon as a client opens.
private final class BurstServer: WebSocketServerDelegate {
    let burst: Burst

    init(messages: [String], close: (UInt16, String)) { burst = Burst(messages: messages, close: close) }

    func server(_ server: WebSocketServer, didOpen connection: ServerConnection) {
        burst.send({ (raw) throws(SendError) in try connection.sendText(raw) },
                   close: { connection.close(code: $0, reason: $1, timeout: 2) })
    }

    func server(_ server: WebSocketServer, connection: ServerConnection, didReceive event: WebSocketEvent) {}
    func server(_ server: WebSocketServer, connection: ServerConnection, didFinish outcome: ConnectionOutcome) {}
}

/// A client delegate that keeps a `BatchLog`.
private final class TakesOneEventPerRead: MessageChannelDelegate {
    let log: BatchLog

    init(takesAll: Bool = false) { log = BatchLog(takesAll: takesAll) }

    func channelDidOpen(_ channel: MessageChannel, result: HandshakeResult) {}
    func source(_ channel: MessageChannel, didReceive events: inout ReceivedEvents) { log.take(&events) }
    func source(_ channel: MessageChannel, didReceive event: WebSocketEvent) { log.single(event) }
    func sourceCanAcceptMoreOutput(_ channel: MessageChannel) {}
    func channel(_ channel: MessageChannel, didReport event: ChannelEvent) {}
    func source(_ channel: MessageChannel, didFinish outcome: ConnectionOutcome) { log.finished(outcome) }
}

/// An event as the tests compare it: a text's content, "closed CODE REASON", or its description.
private func describe(_ event: WebSocketEvent) -> String {
    switch event {
    case let .text(payload): return String(decoding: payload, as: UTF8.self)
    case let .closed(code, reason, _): return "closed \(code.map(String.init) ?? "-") \(reason)"
    default: return "\(event)"
    }
}

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
        clientSide.onFinish = { exchange.loop.stop() }
        _ = try exchange.runClient(delegate: clientSide)

        XCTAssertEqual(clientSide.received, ["a", "b", "c", "closed 1000 bye"])
        XCTAssertEqual(clientSide.outcome, .closed(code: 1000, reason: "bye", initiatedByPeer: true))
        // Each read's first event came through the batch, the rest one by one.
        XCTAssertGreaterThanOrEqual(clientSide.takenFromBatch.count, 1)
        XCTAssertEqual(clientSide.takenFromBatch.first, "a")
        XCTAssertEqual(clientSide.takenFromBatch.count + clientSide.deliveredSingly.count, 4)
    }

    func testADelegateThatTakesEveryEventGetsTheCloseLastAndTheStatisticsCountEachMessage() throws {
        let exchange = try OneLoopExchange(serverDelegate: BurstServer(messages: (1...50).map { "m\($0)" }, close: (1000, "")))
        let clientSide = TakesOneEventPerRead(takesAll: true)
        clientSide.onFinish = { exchange.loop.stop() }
        let client = try exchange.runClient(delegate: clientSide)

        XCTAssertEqual(clientSide.received, (1...50).map { "m\($0)" } + ["closed 1000 "])
        XCTAssertEqual(clientSide.deliveredSingly, [])
        XCTAssertEqual(client.statistics.messagesReceived, 50)
        XCTAssertEqual(clientSide.outcome, .closed(code: 1000, reason: "", initiatedByPeer: true))
    }
}

/// The server's side of the same: `WebSocketServerDelegate` gets a client's read as one batch.
final class ServerReceivedEventsTests: XCTestCase {
    func testAServerDelegateGetsAClientsReadAsOneBatchAndTheRestOneByOne() throws {
        let serverSide = ServerTakingFromBatch(takesAll: false)
        let exchange = try OneLoopExchange(serverDelegate: serverSide)
        serverSide.onFinish = { exchange.loop.stop() }
        _ = try exchange.runClient(delegate: BurstClient(messages: ["a", "b", "c"], close: (1000, "bye")))

        // Each read's first event came through the batch, the rest one by one, in order; the
        // single-event method gets messages only (the client's close is reported by didFinish).
        XCTAssertEqual(serverSide.received, ["a", "b", "c"])
        XCTAssertEqual(serverSide.takenFromBatch.first, "a")
        XCTAssertEqual(serverSide.takenFromBatch.count + serverSide.deliveredSingly.count, 3)
        XCTAssertEqual(serverSide.outcome, .closed(code: 1000, reason: "bye", initiatedByPeer: true))
    }

    func testAServerDelegateThatTakesEveryEventSeesTheClientsCloseInTheBatch() throws {
        let serverSide = ServerTakingFromBatch(takesAll: true)
        let exchange = try OneLoopExchange(serverDelegate: serverSide)
        serverSide.onFinish = { exchange.loop.stop() }
        _ = try exchange.runClient(delegate: BurstClient(messages: ["a", "b", "c"], close: (1000, "bye")))

        XCTAssertEqual(serverSide.takenFromBatch, ["a", "b", "c", "closed 1000 bye"])
        XCTAssertEqual(serverSide.deliveredSingly, [])
        XCTAssertEqual(serverSide.outcome, .closed(code: 1000, reason: "bye", initiatedByPeer: true))
    }
}

/// Sends its messages and its close as soon as it opens (one write: the close flushes them all).
private final class BurstClient: MessageChannelDelegate {
    let messages: [String]
    let close: (UInt16, String)

    init(messages: [String], close: (UInt16, String)) {
        self.messages = messages
        self.close = close
    }

    func channelDidOpen(_ channel: MessageChannel, result: HandshakeResult) {
        for message in messages {
            Array(message.utf8).withUnsafeBytes { raw in
                do throws(SendError) { try channel.sendText(raw) } catch { XCTFail("\(error)") }
            }
        }
        channel.close(code: close.0, reason: close.1, timeout: 2)
    }

    func source(_ channel: MessageChannel, didReceive event: WebSocketEvent) {}
    func sourceCanAcceptMoreOutput(_ channel: MessageChannel) {}
    func channel(_ channel: MessageChannel, didReport event: ChannelEvent) {}
    func source(_ channel: MessageChannel, didFinish outcome: ConnectionOutcome) {}
}

/// Takes the first event of each read from the batch (all of them with `takesAll`).
private final class ServerTakingFromBatch: WebSocketServerDelegate {
    let takesAll: Bool
    var received: [String] = []
    var takenFromBatch: [String] = []
    var deliveredSingly: [String] = []
    var outcome: ConnectionOutcome?
    var onFinish: () -> Void = {}

    init(takesAll: Bool) { self.takesAll = takesAll }

    func server(_ server: WebSocketServer, didOpen connection: ServerConnection) {}

    func server(_ server: WebSocketServer, connection: ServerConnection, didReceive events: inout ReceivedEvents) {
        while let event = events.next() {
            takenFromBatch.append(describe(event))
            if case .text = event { received.append(describe(event)) }
            if !takesAll { return }
        }
    }

    func server(_ server: WebSocketServer, connection: ServerConnection, didReceive event: WebSocketEvent) {
        deliveredSingly.append(describe(event))
        received.append(describe(event))
    }

    func server(_ server: WebSocketServer, connection: ServerConnection, didFinish outcome: ConnectionOutcome) {
        self.outcome = outcome
        onFinish()
    }
}

/// Sends its messages and its close as soon as a client opens.
private final class BurstServer: WebSocketServerDelegate {
    let messages: [String]
    let close: (UInt16, String)

    init(messages: [String], close: (UInt16, String)) {
        self.messages = messages
        self.close = close
    }

    func server(_ server: WebSocketServer, didOpen connection: ServerConnection) {
        for message in messages {
            Array(message.utf8).withUnsafeBytes { raw in
                do throws(SendError) { try connection.sendText(raw) } catch { XCTFail("\(error)") }
            }
        }
        connection.close(code: close.0, reason: close.1, timeout: 2)
    }

    func server(_ server: WebSocketServer, connection: ServerConnection, didReceive event: WebSocketEvent) {}
    func server(_ server: WebSocketServer, connection: ServerConnection, didFinish outcome: ConnectionOutcome) {}
}

/// Takes only the first event of each read from the batch (all of them with `takesAll`).
private final class TakesOneEventPerRead: MessageChannelDelegate {
    let takesAll: Bool
    var received: [String] = []
    var takenFromBatch: [String] = []
    var deliveredSingly: [String] = []
    var outcome: ConnectionOutcome?
    var onFinish: () -> Void = {}

    init(takesAll: Bool = false) { self.takesAll = takesAll }

    func channelDidOpen(_ channel: MessageChannel, result: HandshakeResult) {}

    func source(_ channel: MessageChannel, didReceive events: inout ReceivedEvents) {
        while let event = events.next() {
            let text = describe(event)
            received.append(text)
            takenFromBatch.append(text)
            if !takesAll { return }
        }
    }

    func source(_ channel: MessageChannel, didReceive event: WebSocketEvent) {
        let text = describe(event)
        received.append(text)
        deliveredSingly.append(text)
    }

    func sourceCanAcceptMoreOutput(_ channel: MessageChannel) {}
    func channel(_ channel: MessageChannel, didReport event: ChannelEvent) {}

    func source(_ channel: MessageChannel, didFinish outcome: ConnectionOutcome) {
        self.outcome = outcome
        onFinish()
    }

}

/// An event as the tests compare it: a text's content, "closed CODE REASON", or its description.
private func describe(_ event: WebSocketEvent) -> String {
    switch event {
    case let .text(payload): return String(decoding: payload, as: UTF8.self)
    case let .closed(code, reason, _): return "closed \(code.map(String.init) ?? "-") \(reason)"
    default: return "\(event)"
    }
}

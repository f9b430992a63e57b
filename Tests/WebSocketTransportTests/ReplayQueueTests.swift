import XCTest
@testable import WebSocketTransport

final class ReplayQueueTests: XCTestCase {
    private func contents(_ queue: ReplayQueue) -> [(String, Bool, Bool)] {
        var seen: [(String, Bool, Bool)] = []
        queue.forEach { bytes, binary, repeats in
            seen.append((String(decoding: bytes, as: UTF8.self), binary, repeats))
        }
        return seen
    }

    private func append(_ text: String, to queue: inout ReplayQueue, binary: Bool = false,
                        repeats: Bool = false, endOffset: Int) {
        Array(text.utf8).withUnsafeBytes { queue.append($0, binary: binary, repeats: repeats, endOffset: endOffset) }
    }

    func testWrittenMessagesAreDroppedInOrderAndTheRestKept() {
        var queue = ReplayQueue()
        append("one", to: &queue, endOffset: 5)
        append("two", to: &queue, binary: true, endOffset: 10)
        append("three", to: &queue, endOffset: 17)
        queue.dropWritten(upTo: 9)   // "two" is only partly written: kept, whole.
        XCTAssertEqual(contents(queue).map(\.0), ["two", "three"])
        XCTAssertEqual(contents(queue).map(\.1), [true, false])
        XCTAssertEqual(queue.byteCount, 8)
        queue.dropWritten(upTo: 17)
        XCTAssertTrue(queue.isEmpty)
        XCTAssertEqual(queue.byteCount, 0)
    }

    func testNeverSentMessagesStayUntilTheNextConnection() {
        var queue = ReplayQueue()
        append("queued while down", to: &queue, endOffset: 0)
        queue.dropWritten(upTo: 1_000_000)
        XCTAssertEqual(contents(queue).map(\.0), ["queued while down"])
    }

    /// The preamble's messages carry their flag through, so a reconnect can skip them (they are
    /// sent afresh) instead of sending a buffered `-x` message twice.
    func testPreambleFlagIsKeptPerMessage() {
        var queue = ReplayQueue()
        append("-x one", to: &queue, repeats: true, endOffset: 8)
        append("stdin line", to: &queue, endOffset: 20)
        XCTAssertEqual(contents(queue).map(\.2), [true, false])
    }
}

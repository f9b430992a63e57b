import XCTest
import Glibc
import WebSocketTransport
@testable import wsc

/// stdout on a pipe whose reader is slow: the buffer never blocks, keeps what does not fit,
/// says when it is full, and delivers everything in order once the reader reads.
final class OutputBufferTests: XCTestCase {
    func testAFullPipeNeverBlocksAndEverythingArrivesInOrderOnceRead() throws {
        var ends: [Int32] = [-1, -1]
        XCTAssertEqual(pipe(&ends), 0)
        defer { close(ends[0]); close(ends[1]) }
        let loop = EventLoop()
        let output = OutputBuffer(fd: ends[1], highWaterMark: 256 * 1024)
        output.attach(to: loop)
        var drained = 0
        output.onDrained = { drained += 1 }

        // 1 MiB into a 64 KiB pipe nobody reads yet: each append returns at once.
        let payload = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 9) }
        let start = MonotonicClock.now()
        for offset in stride(from: 0, to: payload.count, by: 8192) {
            output.append(Array(payload[offset..<offset + 8192]))
        }
        output.flush()
        XCTAssertLessThan(MonotonicClock.now() - start, 1)
        XCTAssertTrue(output.isFull)
        XCTAssertGreaterThan(output.pendingCount, 0)
        XCTAssertEqual(fcntl(ends[1], F_GETFL) & O_NONBLOCK, 0, "the shared description must stay blocking")

        // The reader wakes up: the loop writes the rest as the pipe drains.
        var received: [UInt8] = []
        let reader = loop.watch(ends[0], for: .readable) { _ in
            var chunk = [UInt8](repeating: 0, count: 65536)
            let count = read(ends[0], &chunk, chunk.count)
            if count > 0 { received.append(contentsOf: chunk[0..<count]) }
            if received.count == payload.count { loop.stop() }
        }
        let safetyNet = loop.schedule(after: 10) { loop.stop() }
        loop.run()
        loop.unwatch(reader)
        loop.cancel(safetyNet)
        XCTAssertEqual(received.count, payload.count)
        XCTAssertTrue(received == payload, "bytes lost or reordered")
        XCTAssertEqual(output.pendingCount, 0)
        XCTAssertEqual(drained, 1, "onDrained once, after the buffer was full")
    }

    func testAFailedWriteIsReportedOnceAndLaterOutputIsDropped() throws {
        let devFull = open("/dev/full", O_WRONLY | O_CLOEXEC)
        XCTAssertGreaterThanOrEqual(devFull, 0)
        defer { close(devFull) }
        let output = OutputBuffer(fd: devFull)
        output.attach(to: EventLoop())
        var failures: [String] = []
        output.onFailure = { failures.append($0) }
        output.append("one\n")
        output.flush()
        output.append("two\n")
        output.flush()
        XCTAssertEqual(failures, ["cannot write output: No space left on device"])
        XCTAssertEqual(output.pendingCount, 0)
        var emptied = false
        output.whenEmpty { emptied = true }
        XCTAssertTrue(emptied)
    }

    /// stderr's exit line after the loop: a reader that never reads holds wsc at most the bound.
    func testWithoutTheLoopAFlushWaitsNoLongerThanItsBoundThenDropsWhatWouldWait() throws {
        var ends: [Int32] = [-1, -1]
        XCTAssertEqual(pipe(&ends), 0)
        defer { close(ends[0]); close(ends[1]) }
        let loop = EventLoop()
        let output = OutputBuffer(fd: ends[1], highWaterMark: 256 * 1024, unattachedWait: 0.2)
        output.attach(to: loop)
        output.append([UInt8](repeating: 0x61, count: 200 * 1024))
        output.flush()
        XCTAssertGreaterThan(output.pendingCount, 0, "a 64 KiB pipe cannot take 200 KiB")
        output.detach()
        let start = MonotonicClock.now()
        output.flush()
        let waited = MonotonicClock.now() - start
        XCTAssertGreaterThanOrEqual(waited, 0.19)
        XCTAssertLessThan(waited, 1)
        XCTAssertEqual(output.pendingCount, 0, "what could not be written is dropped")
        // Given up: a later line that does not fit is dropped at once, without waiting again.
        let later = MonotonicClock.now()
        output.append("exit line\n")
        output.flush()
        XCTAssertLessThan(MonotonicClock.now() - later, 0.1)
        XCTAssertEqual(output.pendingCount, 0)
    }
}

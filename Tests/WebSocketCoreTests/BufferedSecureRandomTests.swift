import XCTest
@testable import WebSocketCore

final class BufferedSecureRandomTests: XCTestCase {
    /// Across several refills (512 words each) no value repeats and no word is left zero:
    /// every refill really came from the kernel, not a stale or unfilled buffer.
    func testDrawsStayDistinctAcrossRefills() {
        var generator = BufferedSecureRandom()
        var seen = Set<UInt64>()
        for _ in 0..<2_000 {
            let value = generator.next()
            XCTAssertNotEqual(value, 0)
            seen.insert(value)
        }
        XCTAssertEqual(seen.count, 2_000)
    }

    /// Two generators do not produce the same stream (each draws from the kernel).
    func testIndependentGeneratorsDiffer() {
        var first = BufferedSecureRandom()
        var second = BufferedSecureRandom()
        let a = (0..<8).map { _ in first.next() }
        let b = (0..<8).map { _ in second.next() }
        XCTAssertNotEqual(a, b)
    }
}

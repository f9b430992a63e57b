import XCTest
@testable import WebSocketCore

/// RFC 7692 7.2: the DEFLATE bytes of messages, with exact bytes from section 7.2.3, and the
/// bounded inflating.
final class PerMessageDeflateCompressionTests: XCTestCase {
    private func compress(_ compressor: DeflateCompressor, _ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBytes { Array(compressor.compress($0)) }
    }

    private func decompress(_ decompressor: DeflateDecompressor, _ bytes: [UInt8], limit: Int = 1 << 20)
        throws(DeflateDecompressor.Failure) -> [UInt8]
    {
        let result: Result<[UInt8], DeflateDecompressor.Failure> = bytes.withUnsafeBytes { raw in
            do throws(DeflateDecompressor.Failure) {
                return .success(try decompressor.decompress(raw, limit: limit))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    // MARK: - Compressing (7.2.1)

    func testCompressesHelloAsInTheRFC() {
        // 7.2.3.1: the sync flush's 00 00 ff ff is removed.
        let compressor = DeflateCompressor(windowBits: 15)
        XCTAssertEqual(compress(compressor, utf8("Hello")), hex("f2 48 cd c9 c9 07 00"))
    }

    func testContextTakeoverReferencesThePreviousMessage() {
        // 7.2.3.2: the second "Hello" is a back-reference into the first.
        let compressor = DeflateCompressor(windowBits: 15)
        XCTAssertEqual(compress(compressor, utf8("Hello")), hex("f2 48 cd c9 c9 07 00"))
        XCTAssertEqual(compress(compressor, utf8("Hello")), hex("f2 00 11 00 00"))
    }

    func testResetForgetsThePreviousMessage() {
        let compressor = DeflateCompressor(windowBits: 15)
        XCTAssertEqual(compress(compressor, utf8("Hello")), hex("f2 48 cd c9 c9 07 00"))
        compressor.reset()
        XCTAssertEqual(compress(compressor, utf8("Hello")), hex("f2 48 cd c9 c9 07 00"))
    }

    func testCompressesTheEmptyMessageToOneByte() {
        // 7.2.3.6: an empty stored block without its LEN and NLEN.
        XCTAssertEqual(compress(DeflateCompressor(windowBits: 15), []), hex("00"))
    }

    func testEveryWindowSizeRoundTrips() throws {
        var generator = SplitMix64(seed: 7692)
        // Text with repeats at distances from a few bytes to well beyond a small window.
        let words = (0..<400).map { _ in "word\(generator.next() % 300) " }.joined()
        let message = utf8(words)
        for bits in 8...15 {
            let compressor = DeflateCompressor(windowBits: bits)
            let decompressor = DeflateDecompressor(windowBits: bits)
            for _ in 0..<3 {
                let compressed = compress(compressor, message)
                XCTAssertLessThan(compressed.count, message.count, "window bits \(bits)")
                XCTAssertEqual(try decompress(decompressor, compressed), message, "window bits \(bits)")
            }
        }
    }

    func testAWindowOf8IsCompressedWithinTheWindowItPromises() throws {
        // zlib cannot deflate with 8 bits and uses 9, whose distances still stay below 256: a
        // strict 8-bit inflater (zlib's inflate accepts 8) reads the output.
        var generator = SplitMix64(seed: 8)
        let message = (0..<20_000).map { _ in UInt8(ascii: "a") + UInt8(generator.next() % 4) }
        let compressed = compress(DeflateCompressor(windowBits: 8), message)
        XCTAssertEqual(try decompress(StrictInflater(windowBits: 8).decompressor, compressed), message)
    }

    func testLargeIncompressibleMessagesRoundTrip() throws {
        var generator = SplitMix64(seed: 1)
        let message = (0..<300_000).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        let compressed = compress(DeflateCompressor(windowBits: 15), message)
        XCTAssertLessThanOrEqual(compressed.count, MessageAssembler.compressedSizeLimit(for: message.count))
        XCTAssertEqual(try decompress(DeflateDecompressor(windowBits: 15), compressed), message)
    }

    // MARK: - Decompressing (7.2.2)

    func testInflatesTheRFCExamples() throws {
        let decompressor = DeflateDecompressor(windowBits: 15)
        // 7.2.3.1, then 7.2.3.2's back-reference into it.
        XCTAssertEqual(try decompress(decompressor, hex("f2 48 cd c9 c9 07 00")), utf8("Hello"))
        XCTAssertEqual(try decompress(decompressor, hex("f2 00 11 00 00")), utf8("Hello"))
        // 7.2.3.3: a stored block.
        XCTAssertEqual(try decompress(decompressor, hex("00 05 00 fa ff 48 65 6c 6c 6f 00")), utf8("Hello"))
        // 7.2.3.5: two blocks in one message.
        XCTAssertEqual(try decompress(decompressor, hex("f2 48 05 00 00 00 ff ff ca c9 c9 07 00")), utf8("Hello"))
        // 7.2.3.6: the empty message, and an empty payload.
        XCTAssertEqual(try decompress(decompressor, hex("00")), [])
        XCTAssertEqual(try decompress(decompressor, []), [])
        XCTAssertEqual(try decompress(decompressor, hex("f2 00 11 00 00")), utf8("Hello"))
    }

    func testAFinalBlockEndsTheStreamAndTheNextMessageStartsANewOne() throws {
        // 7.2.3.4: BFINAL set; the trailing byte and our 00 00 ff ff are ignored.
        let decompressor = DeflateDecompressor(windowBits: 15)
        XCTAssertEqual(try decompress(decompressor, hex("f3 48 cd c9 c9 07 00 00")), utf8("Hello"))
        XCTAssertEqual(try decompress(decompressor, hex("f2 48 cd c9 c9 07 00")), utf8("Hello"))
    }

    func testResetDecompressorCannotFollowABackReference() {
        let decompressor = DeflateDecompressor(windowBits: 15)
        XCTAssertEqual(try decompress(decompressor, hex("f2 48 cd c9 c9 07 00")), utf8("Hello"))
        decompressor.reset()
        XCTAssertThrowsError(try decompress(decompressor, hex("f2 00 11 00 00"))) { error in
            XCTAssertEqual(error as? DeflateDecompressor.Failure, .invalidData("invalid distance too far back"))
        }
    }

    func testRejectsInvalidData() {
        XCTAssertThrowsError(try decompress(DeflateDecompressor(windowBits: 15), hex("07 00"))) { error in
            XCTAssertEqual(error as? DeflateDecompressor.Failure, .invalidData("invalid block type"))
        }
    }

    func testRejectsAMessageThatStopsInsideABlock() {
        // The first five bytes of "Hello": the block is not finished when the message ends.
        XCTAssertThrowsError(try decompress(DeflateDecompressor(windowBits: 15), hex("f2 48 cd c9 c9"))) { error in
            XCTAssertEqual(error as? DeflateDecompressor.Failure, .invalidData("message does not end at a DEFLATE block boundary"))
        }
    }

    func testStopsInflatingAtTheLimit() throws {
        // 16 MiB of zeros deflate to about 16 KiB; with a 1000-byte limit inflating must stop
        // after at most one chunk, not produce the 16 MiB first.
        let bomb = compress(DeflateCompressor(windowBits: 15), [UInt8](repeating: 0, count: 16 << 20))
        XCTAssertLessThan(bomb.count, 20_000)
        let decompressor = DeflateDecompressor(windowBits: 15)
        XCTAssertThrowsError(try decompress(decompressor, bomb, limit: 1000)) { error in
            XCTAssertEqual(error as? DeflateDecompressor.Failure, .tooLarge)
        }
        // The limit is inclusive, and the decompressor is usable again after a refusal.
        let exact = compress(DeflateCompressor(windowBits: 15), [UInt8](repeating: 7, count: 1000))
        XCTAssertEqual(try decompress(decompressor, exact, limit: 1000), [UInt8](repeating: 7, count: 1000))
        XCTAssertThrowsError(try decompress(DeflateDecompressor(windowBits: 15), exact, limit: 999))
    }

    func testOutputLargerThanOneChunkIsComplete() throws {
        let message = (0..<(3 * DeflateDecompressor.chunkSize + 17)).map { UInt8(truncatingIfNeeded: $0 / 3) }
        let compressed = compress(DeflateCompressor(windowBits: 15), message)
        XCTAssertEqual(try decompress(DeflateDecompressor(windowBits: 15), compressed, limit: message.count), message)
    }
}

/// An inflater with exactly the window given, 8 included (our `DeflateDecompressor` widens 8 to
/// 9), to check what a strict peer would accept.
private struct StrictInflater {
    let decompressor: DeflateDecompressor
    init(windowBits: Int) {
        decompressor = DeflateDecompressor(exactWindowBits: windowBits)
    }
}

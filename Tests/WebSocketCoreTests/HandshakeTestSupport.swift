import XCTest
@testable import WebSocketCore

/// A generator that replays fixed bytes, eight per `next()`, little-endian, so a handshake's key is
/// known in advance. Once the bytes run out it yields zeros.
struct HandshakeFixedBytesGenerator: RandomNumberGenerator {
    private var bytes: [UInt8]
    private var position = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Replays the UTF-8 of `text`: "the sample nonce" gives RFC 6455's example key.
    init(_ text: String) {
        self.init(Array(text.utf8))
    }

    mutating func next() -> UInt64 {
        var word: UInt64 = 0
        for shift in stride(from: 0, to: 64, by: 8) {
            let byte = position < bytes.count ? bytes[position] : 0
            position += 1
            word |= UInt64(byte) << UInt64(shift)
        }
        return word
    }
}

/// The example key of RFC 6455 section 1.3 and its accept value.
let rfcSampleKey = "dGhlIHNhbXBsZSBub25jZQ=="
let rfcSampleAccept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="

/// Runs the response parser over `bytes`, turning its typed error into an ordinary throw.
func parseResponseHead(_ bytes: [UInt8]) throws(HandshakeError) -> (HTTPResponseHead, consumed: Int)? {
    var result: (HTTPResponseHead, consumed: Int)?
    var failure: HandshakeError?
    bytes.withUnsafeBytes { buffer in
        do throws(HandshakeError) {
            result = try HTTPHeadParser.parseResponse(buffer)
        } catch {
            failure = error
        }
    }
    if let failure { throw failure }
    return result
}

/// Runs the request parser over `bytes`, turning its typed error into an ordinary throw.
func parseRequestHead(_ bytes: [UInt8]) throws(ServerHandshakeError) -> (HTTPRequestHead, consumed: Int)? {
    var result: (HTTPRequestHead, consumed: Int)?
    var failure: ServerHandshakeError?
    bytes.withUnsafeBytes { buffer in
        do throws(ServerHandshakeError) {
            result = try HTTPHeadParser.parseRequest(buffer)
        } catch {
            failure = error
        }
    }
    if let failure { throw failure }
    return result
}

/// A handshake machine's step was not the one a test expected.
struct UnexpectedStep: Error {}

/// What `match` finds in `step` (a case's payload); otherwise the test fails, naming the step
/// that came instead, and the rest of it is skipped.
func expectStep<Step, Payload>(_ step: Step, _ expected: String, file: StaticString = #filePath, line: UInt = #line,
                               _ match: (Step) -> Payload?) throws -> Payload {
    guard let payload = match(step) else {
        XCTFail("expected \(expected), got \(step)", file: file, line: line)
        throw UnexpectedStep()
    }
    return payload
}

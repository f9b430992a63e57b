import XCTest
@testable import WebSocketCore

final class HTTPResponseReaderTests: XCTestCase {
    private func read(_ chunks: [String], limit: Int = 1000) throws -> HTTPResponseReader.Response? {
        var reader = HTTPResponseReader(maxBodySize: limit)
        var response: HTTPResponseReader.Response?
        for chunk in chunks {
            XCTAssertNil(response, "a response before the last chunk")
            response = try reader.feed(Array(chunk.utf8))
        }
        return response
    }

    func testContentLengthBodyArrivingInPieces() throws {
        let response = try read(["HTTP/1.1 200 OK\r\nContent-Length: 5\r\n", "\r\nhel", "lo"])
        XCTAssertEqual(response?.head.statusCode, 200)
        XCTAssertEqual(response.map { String(decoding: $0.body, as: UTF8.self) }, "hello")
        XCTAssertEqual(response?.keepsAlive, true)
    }

    func testChunkedBodyWithExtensionsAndTrailers() throws {
        let response = try read(["HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n3;x=y\r\nabc\r",
                                 "\n2\r\nde\r\n0\r\nTrailer: 1\r\n", "\r\n"])
        XCTAssertEqual(response.map { String(decoding: $0.body, as: UTF8.self) }, "abcde")
        XCTAssertEqual(response?.keepsAlive, false)
    }

    func testBodyUntilTheEndOfTheStream() throws {
        var reader = HTTPResponseReader(maxBodySize: 100)
        XCTAssertNil(try reader.feed(Array("HTTP/1.0 200 OK\r\n\r\nok".utf8)))
        let response = try reader.endOfStream()
        XCTAssertEqual(response?.body, Array("ok".utf8))
        XCTAssertEqual(response?.keepsAlive, false)
        XCTAssertTrue(reader.isIdle)
    }

    func testTruncatedAndOversizeAndMalformedResponses() {
        var cut = HTTPResponseReader(maxBodySize: 100)
        XCTAssertNil(try cut.feed(Array("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nab".utf8)))
        XCTAssertThrowsError(try cut.endOfStream()) { XCTAssertEqual($0 as? HTTPResponseReader.ReadError, .truncated) }
        XCTAssertThrowsError(try read(["HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n"], limit: 10))
        XCTAssertThrowsError(try read(["HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n"]))
        XCTAssertThrowsError(try read(["HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"]))
        XCTAssertThrowsError(try read(["HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nabc"]))
        XCTAssertThrowsError(try read(["SSH-2.0\r\n"]))
    }

    func testNoBodyFor204() throws {
        XCTAssertEqual(try read(["HTTP/1.1 204 No Content\r\n\r\n"])?.body, [])
    }
}

import XCTest
@testable import WebSocketCore

final class HTTPHeadersTests: XCTestCase {
    private let headers: HTTPHeaders = [
        "Connection": "keep-alive, Upgrade",
        "Sec-WebSocket-Protocol": "Chat,  superChat",
        "X-Twice": "first",
        "x-twice": "second",
        "Empty-List": " , ,",
    ]

    func testLooksUpNamesCaseInsensitivelyReturningTheFirst() {
        XCTAssertEqual(headers["connection"], "keep-alive, Upgrade")
        XCTAssertEqual(headers["X-TWICE"], "first")
        XCTAssertNil(headers["Upgrade"])
        XCTAssertTrue(headers.contains(name: "SEC-websocket-PROTOCOL"))
    }

    func testReturnsEveryValueOfARepeatedHeaderInOrder() {
        XCTAssertEqual(headers.values(for: "x-twice"), ["first", "second"])
        XCTAssertEqual(headers.values(for: "missing"), [])
    }

    func testTokensAreCommaSplitTrimmedAndLowercased() {
        XCTAssertEqual(headers.tokens(for: "Connection"), ["keep-alive", "upgrade"])
        XCTAssertEqual(headers.tokens(for: "Empty-List"), [])
    }

    func testListElementsKeepTheirCase() {
        XCTAssertEqual(headers.listElements(for: "sec-websocket-protocol"), ["Chat", "superChat"])
    }

    func testKeepsOrderAndSupportsAppendAndRemove() {
        var copy = headers
        copy.append(name: "Host", value: "h")
        XCTAssertEqual(copy.map(\.name), ["Connection", "Sec-WebSocket-Protocol", "X-Twice", "x-twice", "Empty-List", "Host"])
        copy.removeAll(named: "X-TWICE")
        XCTAssertEqual(copy.count, 4)
        XCTAssertEqual(copy[3].value, "h")
    }

    func testDescriptionListsFieldsAsLines() {
        let small: HTTPHeaders = ["A": "1", "B": "2"]
        XCTAssertEqual(small.description, "A: 1\nB: 2")
    }

    func testRetryAfterReadsDeltaSecondsOnly() {
        func head(_ value: String) -> HTTPResponseHead {
            HTTPResponseHead(version: "HTTP/1.1", statusCode: 503, reason: "Service Unavailable",
                             headers: ["Retry-After": value])
        }
        XCTAssertEqual(head("120").retryAfterSeconds, 120)
        XCTAssertEqual(head("0").retryAfterSeconds, 0)
        XCTAssertNil(head("Fri, 31 Dec 1999 23:59:59 GMT").retryAfterSeconds)
        XCTAssertNil(head("-5").retryAfterSeconds)
        XCTAssertEqual(head("99999999999999999999999").retryAfterSeconds, Int.max)
        XCTAssertNil(HTTPResponseHead(version: "HTTP/1.1", statusCode: 503, reason: "", headers: [:]).retryAfterSeconds)
    }

    func testParsesAUserHeaderLine() {
        func parsed(_ line: String) -> [String]? { HTTPHeaders.field(parsing: line).map { [$0.name, $0.value] } }
        XCTAssertEqual(parsed("X-Token: abc"), ["X-Token", "abc"])
        XCTAssertEqual(parsed(" X-Other :\ttwo words "), ["X-Other", "two words"])
        XCTAssertEqual(parsed("X-Empty:"), ["X-Empty", ""])
        XCTAssertEqual(parsed("X-Url: http://a.example:8080/"), ["X-Url", "http://a.example:8080/"])
        XCTAssertNil(parsed("NoColonHere"))
        XCTAssertNil(parsed(": value"))
        XCTAssertNil(parsed("Two Words: value"))
        XCTAssertNil(parsed("X-Injected: a\r\nEvil: b"))
        XCTAssertNil(parsed("X-Line: a\nb"))
        XCTAssertNil(parsed("X-Bell: a\u{7}b"))
    }

    func testResponseHeadBuildsItsStatusLine() {
        XCTAssertEqual(HTTPResponseHead(version: "HTTP/1.1", statusCode: 101, reason: "Switching Protocols",
                                        headers: [:]).statusLine, "HTTP/1.1 101 Switching Protocols")
        XCTAssertEqual(HTTPResponseHead(version: "HTTP/1.1", statusCode: 204, reason: "", headers: [:]).statusLine,
                       "HTTP/1.1 204")
    }
}

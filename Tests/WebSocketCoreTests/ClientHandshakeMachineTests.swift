import XCTest
@testable import WebSocketCore

/// The client's opening handshake fed from the first byte: exact request bytes, the answer split
/// anywhere, frames right behind the 101, rejections with their error page, redirects, limits.
final class ClientHandshakeMachineTests: XCTestCase {
    private let acceptedHead = "HTTP/1.1 101 Switching Protocols\r\n"
        + "Upgrade: websocket\r\n"
        + "Connection: Upgrade\r\n"
        + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
        + "\r\n"
    /// RFC 6455 5.7: a single-frame unmasked text message, "Hello".
    private let helloFrame = hex("81 05 48 65 6c 6c 6f")

    /// A machine whose key is the RFC's sample key ("the sample nonce").
    private func machine(_ url: String = "ws://server.example.com/chat", redirectPolicy: RedirectPolicy? = nil,
                         redirectsSoFar: Int = 0) throws -> ClientHandshakeMachine {
        var nonce = HandshakeFixedBytesGenerator("the sample nonce")
        let handshake = try ClientHandshake(url: WebSocketURL(parsing: url), using: &nonce)
        return ClientHandshakeMachine(handshake: handshake, redirectPolicy: redirectPolicy, redirectsSoFar: redirectsSoFar,
                                      maskingKeyGenerator: FixedKeyGenerator(0, 0, 0, 0))
    }

    private func acceptance(_ step: ClientHandshakeStep, file: StaticString = #filePath,
                            line: UInt = #line) throws -> ClientHandshakeAcceptance {
        try expectStep(step, "acceptance", file: file, line: line) { if case let .accepted(value) = $0 { value } else { nil } }
    }

    private func rejection(_ step: ClientHandshakeStep, file: StaticString = #filePath,
                           line: UInt = #line) throws -> HandshakeRejection {
        try expectStep(step, "a rejection", file: file, line: line) { if case let .rejected(value) = $0 { value } else { nil } }
    }

    private func failure(_ step: ClientHandshakeStep, file: StaticString = #filePath,
                         line: UInt = #line) throws -> ClientHandshakeFailure {
        try expectStep(step, "a failure", file: file, line: line) { if case let .failed(value) = $0 { value } else { nil } }
    }

    private func isNeedMoreBytes(_ step: ClientHandshakeStep) -> Bool {
        if case .needMoreBytes = step { return true }
        return false
    }

    // MARK: - Accepting

    func testSendsTheRFCSampleKeyAndAcceptsItsAnswer() throws {
        var machine = try machine()
        XCTAssertEqual(String(decoding: machine.requestBytes, as: UTF8.self),
                       "GET /chat HTTP/1.1\r\n"
                           + "Host: server.example.com\r\n"
                           + "Upgrade: websocket\r\n"
                           + "Connection: Upgrade\r\n"
                           + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                           + "Sec-WebSocket-Version: 13\r\n"
                           + "\r\n")
        let accepted = try acceptance(machine.feed(utf8(acceptedHead)))
        XCTAssertEqual(accepted.result.subprotocol, nil)
        XCTAssertEqual(accepted.result.headers["Sec-WebSocket-Accept"], "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
        XCTAssertEqual(accepted.connection.state, .open)
        XCTAssertEqual(accepted.connection.role, .client)
        XCTAssertEqual(accepted.leftover, [])
        XCTAssertEqual(machine.responseHead?.statusCode, 101)
    }

    func testAcceptsTheAnswerSplitAtEveryByteBoundary() throws {
        let bytes = utf8(acceptedHead) + helloFrame
        let headLength = acceptedHead.utf8.count
        for split in 1..<headLength {
            var machine = try machine()
            XCTAssertTrue(isNeedMoreBytes(machine.feed(Array(bytes[..<split]))), "split at \(split)")
            XCTAssertNil(machine.responseHead, "split at \(split)")
            let accepted = try acceptance(machine.feed(Array(bytes[split...])))
            XCTAssertEqual(accepted.leftover, helloFrame, "split at \(split)")
        }
    }

    func testAcceptsTheAnswerFedOneByteAtATime() throws {
        var machine = try machine()
        let bytes = utf8(acceptedHead)
        for byte in bytes.dropLast() {
            XCTAssertTrue(isNeedMoreBytes(machine.feed([byte])))
        }
        XCTAssertEqual(try acceptance(machine.feed([bytes[bytes.count - 1]])).connection.state, .open)
    }

    func testHandsOverAFrameThatCameInTheSameReadAsThe101() throws {
        var machine = try machine()
        var accepted = try acceptance(machine.feed(utf8(acceptedHead) + helloFrame + hex("89 00")))
        XCTAssertEqual(accepted.leftover, helloFrame + hex("89 00"))
        XCTAssertEqual(accepted.connection.state, .open, "nothing is decoded before the open is reported")
        var events: [WebSocketEvent] = []
        accepted.connection.receive(accepted.leftover, into: &events)
        XCTAssertEqual(events, [.text(utf8("Hello")), .ping([])])
        XCTAssertEqual(accepted.connection.drainOutgoing(), hex("8a 80 00 00 00 00"), "the ping is answered, masked")
    }

    func testAPartialFrameBehindThe101IsCompletedByTheNextRead() throws {
        var machine = try machine()
        var accepted = try acceptance(machine.feed(utf8(acceptedHead) + helloFrame.prefix(3)))
        XCTAssertEqual(accepted.leftover, hex("81 05 48"))
        var events: [WebSocketEvent] = []
        accepted.connection.receive(accepted.leftover, into: &events)
        XCTAssertEqual(events, [])
        accepted.connection.receive(Array(helloFrame.dropFirst(3)), into: &events)
        XCTAssertEqual(events, [.text(utf8("Hello"))])
    }

    func testAViolationBehindThe101FailsTheOpenedConnectionOnlyWhenFed() throws {
        var machine = try machine()
        var accepted = try acceptance(machine.feed(utf8(acceptedHead) + rawFrame(0x81, utf8("hi"), key: clientKey)))
        XCTAssertNoThrow(try accepted.connection.sendText("first"), "the application may still act on the open")
        _ = accepted.connection.drainOutgoing()
        var events: [WebSocketEvent] = []
        accepted.connection.receive(accepted.leftover, into: &events)
        XCTAssertEqual(events, [.protocolViolation(.maskedFrameFromServer)])
        XCTAssertEqual(accepted.connection.drainOutgoing(), hex("88 82 00 00 00 00 03 ea"))
        XCTAssertEqual(accepted.connection.closeOrder, .closeNow)
    }

    func testA101ThatBreaksARuleFails() throws {
        var machine = try machine()
        let wrongAccept = acceptedHead.replacingOccurrences(of: "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", with: "d3JvbmcgYWNjZXB0IHZhbHVlIQ==")
        let failed = try failure(machine.feed(utf8(wrongAccept)))
        XCTAssertEqual(failed, .invalidResponse(.acceptMismatch(expected: "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=",
                                                                 got: "d3JvbmcgYWNjZXB0IHZhbHVlIQ==")))
        XCTAssertEqual(machine.responseHead?.statusCode, 101, "the head is still shown with -v")
    }

    // MARK: - Rejections

    func testQuotesTheErrorPageOfA403() throws {
        var machine = try machine()
        let answer = "HTTP/1.1 403 Forbidden\r\nContent-Type: text/html\r\nContent-Length: 18\r\nConnection: close\r\n\r\n<h1>Forbidden</h1>"
        let rejected = try rejection(machine.feed(utf8(answer)))
        XCTAssertEqual(rejected.statusCode, 403)
        XCTAssertEqual(rejected.head.headers["Content-Type"], "text/html")
        XCTAssertEqual(rejected.bodyExcerpt, "<h1>Forbidden</h1>")
        XCTAssertEqual(rejected.error.description, "handshake rejected: 403 Forbidden: <h1>Forbidden</h1>")
        XCTAssertNil(rejected.retryAfter)
    }

    func testWaitsForTheErrorPageUntilItsLengthArrives() throws {
        var machine = try machine()
        let head = "HTTP/1.1 403 Forbidden\r\nContent-Length: 18\r\n\r\n"
        guard case .awaitingErrorBody = machine.feed(utf8(head) + utf8("<h1>Forb")) else {
            return XCTFail("the body is awaited")
        }
        XCTAssertEqual(machine.responseHead?.statusCode, 403)
        XCTAssertTrue(isNeedMoreBytes(machine.feed(utf8("idden</"))))
        XCTAssertEqual(try rejection(machine.feed(utf8("h1>"))).bodyExcerpt, "<h1>Forbidden</h1>")
    }

    func testAnErrorPageWithoutLengthEndsWithTheStreamOrTheTransportsTimer() throws {
        let head = "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 7\r\n\r\n"
        var ended = try machine()
        guard case .awaitingErrorBody = ended.feed(utf8(head) + utf8("try\r\nlater")) else { return XCTFail("awaiting") }
        let rejected = try rejection(ended.receiveEndOfStream())
        XCTAssertEqual(rejected.bodyExcerpt, "try later")
        XCTAssertEqual(rejected.retryAfter, 7)
        XCTAssertEqual(rejected.error.description, "handshake rejected: 503 Service Unavailable (Retry-After: 7): try later")

        var timedOut = try machine()
        guard case .awaitingErrorBody = timedOut.feed(utf8(head)) else { return XCTFail("awaiting") }
        XCTAssertEqual(try rejection(timedOut.stopWaitingForErrorBody()).bodyExcerpt, "")
    }

    func testQuotesAtMost512BytesOfALongErrorPageAnd200Characters() throws {
        var machine = try machine()
        let answer = utf8("HTTP/1.1 500 Internal Server Error\r\n\r\n") + [UInt8](repeating: UInt8(ascii: "a"), count: 600)
        let rejected = try rejection(machine.feed(answer))
        XCTAssertEqual(rejected.bodyExcerpt, String(repeating: "a", count: 200) + "…")
    }

    func testAnErrorPageArrivingInPiecesIsCutAt512Bytes() throws {
        var machine = try machine()
        guard case .awaitingErrorBody = machine.feed(utf8("HTTP/1.1 500 Oops\r\n\r\n")) else { return XCTFail("awaiting") }
        XCTAssertTrue(isNeedMoreBytes(machine.feed([UInt8](repeating: 0x20, count: 500))))
        let rejected = try rejection(machine.feed(utf8("0123456789abcdefghij")))
        XCTAssertEqual(rejected.bodyExcerpt, "0123456789ab…", "12 of the 20 bytes fit under 512")
    }

    // MARK: - Redirects

    func testFollowsA302WhenThePolicyAllows() throws {
        var machine = try machine(redirectPolicy: RedirectPolicy())
        let answer = "HTTP/1.1 302 Found\r\nLocation: ws://other.example.com:9000/next\r\n\r\n"
        guard case let .redirect(to: target) = machine.feed(utf8(answer)) else { return XCTFail("a redirect") }
        XCTAssertEqual(target, try WebSocketURL(parsing: "ws://other.example.com:9000/next"))
    }

    func testA302WithoutThePolicyIsARejectionNamingTheLocation() throws {
        var machine = try machine()
        let answer = "HTTP/1.1 302 Found\r\nLocation: /elsewhere\r\nContent-Length: 0\r\n\r\n"
        let rejected = try rejection(machine.feed(utf8(answer)))
        XCTAssertEqual(rejected.error.description, "handshake rejected: 302 Found (Location: /elsewhere)")
    }

    func testRefusesARedirectFromTLSToPlainText() throws {
        var machine = try machine("wss://server.example.com/chat", redirectPolicy: RedirectPolicy())
        let answer = "HTTP/1.1 301 Moved Permanently\r\nLocation: ws://server.example.com/chat\r\n\r\n"
        let failed = try failure(machine.feed(utf8(answer)))
        XCTAssertEqual(failed, .redirectRefused(.insecureRedirect(
            from: try WebSocketURL(parsing: "wss://server.example.com/chat"),
            to: try WebSocketURL(parsing: "ws://server.example.com/chat"))))
        XCTAssertEqual(failed.description, "handshake rejected: redirect not followed (from wss://server.example.com/chat "
                           + "to ws://server.example.com/chat would leave TLS)")
    }

    func testRefusesARedirectPastTheHopLimit() throws {
        var machine = try machine(redirectPolicy: RedirectPolicy(maxRedirects: 2), redirectsSoFar: 2)
        let failed = try failure(machine.feed(utf8("HTTP/1.1 307 Temporary Redirect\r\nLocation: /again\r\n\r\n")))
        XCTAssertEqual(failed, .redirectRefused(.tooManyRedirects(2)))
    }

    // MARK: - Limits and endings

    func testAHeadOver16KiBFails() throws {
        var machine = try machine()
        let filler = "X-Filler: " + String(repeating: "f", count: 1000) + "\r\n"
        var step = machine.feed(utf8("HTTP/1.1 101 Switching Protocols\r\n"))
        while isNeedMoreBytes(step) {
            step = machine.feed(utf8(filler))
        }
        let failed = try failure(step)
        XCTAssertEqual(failed, .invalidResponse(.headTooLarge))
        XCTAssertEqual(failed.description, "handshake response head is larger than 16384 bytes")
    }

    func testAMalformedHeadFails() throws {
        var machine = try machine()
        XCTAssertEqual(try failure(machine.feed(utf8("SSH-2.0-OpenSSH_9.6\r\n"))),
                       .invalidResponse(.malformedResponse("the response does not start with 'HTTP/' (is this a WebSocket server?)")))
    }

    func testTheStreamEndingBeforeTheHeadFails() throws {
        var machine = try machine()
        _ = machine.feed(utf8("HTTP/1.1 101 Switching"))
        let failed = try failure(machine.receiveEndOfStream())
        XCTAssertEqual(failed, .endOfStream)
        XCTAssertEqual(failed.description, "connection closed by the server during the handshake")
    }
}

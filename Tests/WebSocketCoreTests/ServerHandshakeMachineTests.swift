import XCTest
@testable import WebSocketCore

/// The server's opening handshake fed from the first byte: the answer's exact bytes, frames
/// pipelined behind the request, refusals with their status, permessage-deflate, limits.
final class ServerHandshakeMachineTests: XCTestCase {
    /// RFC 6455 1.2's example request, without Origin and subprotocols.
    private func requestText(replacing prefix: String? = nil, with line: String? = nil, adding extra: [String] = []) -> String {
        let lines = [
            "GET /chat HTTP/1.1",
            "Host: server.example.com",
            "Upgrade: websocket",
            "Connection: Upgrade",
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
            "Sec-WebSocket-Version: 13",
        ].compactMap { prefix != nil && $0.hasPrefix(prefix!) ? line : $0 } + extra
        return lines.joined(separator: "\r\n") + "\r\n\r\n"
    }

    private let switchingProtocols = "HTTP/1.1 101 Switching Protocols\r\n"
        + "Upgrade: websocket\r\n"
        + "Connection: Upgrade\r\n"
        + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"

    /// RFC 6455 5.7: a single-frame masked text message, "Hello".
    private let maskedHello = hex("81 85 37 fa 21 3d 7f 9f 4d 51 58")

    private func acceptance(_ step: ServerHandshakeStep, file: StaticString = #filePath,
                            line: UInt = #line) throws -> ServerHandshakeAcceptance {
        try expectStep(step, "acceptance", file: file, line: line) { if case let .accept(value) = $0 { value } else { nil } }
    }

    private func refusal(_ step: ServerHandshakeStep, file: StaticString = #filePath,
                         line: UInt = #line) throws -> ServerHandshakeError {
        try expectStep(step, "a refusal", file: file, line: line) { if case let .reject(value) = $0 { value } else { nil } }
    }

    func testAcceptsAValidRequestAndHandsOverTheMaskedFrameBehindIt() throws {
        var machine = ServerHandshakeMachine()
        let accepted = try acceptance(machine.feed(utf8(requestText()) + maskedHello))
        XCTAssertEqual(String(decoding: accepted.response, as: UTF8.self), switchingProtocols + "\r\n")
        XCTAssertEqual(accepted.handshake.key, rfcSampleKey)
        XCTAssertEqual(accepted.leftover, maskedHello)
        XCTAssertEqual(accepted.connection.state, .open)
        var connection = accepted.connection
        var events: [WebSocketEvent] = []
        connection.receive(accepted.leftover, into: &events)
        XCTAssertEqual(events, [.text(utf8("Hello"))])
        XCTAssertEqual(accepted.connection.role, .server)
        XCTAssertNil(accepted.connection.perMessageDeflate)
    }

    func testAcceptsTheRequestSplitAtEveryByteBoundary() throws {
        let bytes = utf8(requestText()) + maskedHello
        let requestLength = bytes.count - maskedHello.count
        for split in 1..<requestLength {
            var machine = ServerHandshakeMachine()
            guard case .needMoreBytes = machine.feed(Array(bytes[..<split])) else {
                return XCTFail("split at \(split): more bytes are needed")
            }
            XCTAssertEqual(try acceptance(machine.feed(Array(bytes[split...]))).leftover, maskedHello, "split at \(split)")
        }
    }

    func testRefusesARequestWithoutAKeyWith400AndTheReason() throws {
        var machine = ServerHandshakeMachine()
        let error = try refusal(machine.feed(utf8(requestText(replacing: "Sec-WebSocket-Key", with: nil))))
        XCTAssertEqual(error, .missingKey)
        let body = "the request lacks Sec-WebSocket-Key\n"
        XCTAssertEqual(String(decoding: error.rejectionResponseBytes, as: UTF8.self),
                       "HTTP/1.1 400 Bad Request\r\n"
                           + "Content-Type: text/plain; charset=utf-8\r\n"
                           + "Content-Length: \(body.utf8.count)\r\n"
                           + "Connection: close\r\n"
                           + "\r\n" + body)
    }

    func testRefusesAnotherWebSocketVersionWith426NamingVersion13() throws {
        var machine = ServerHandshakeMachine()
        let error = try refusal(machine.feed(utf8(requestText(replacing: "Sec-WebSocket-Version",
                                                              with: "Sec-WebSocket-Version: 8"))))
        XCTAssertEqual(error, .unsupportedWebSocketVersion("8"))
        let body = "unsupported Sec-WebSocket-Version '8' (this server speaks version 13)\n"
        XCTAssertEqual(String(decoding: error.rejectionResponseBytes, as: UTF8.self),
                       "HTTP/1.1 426 Upgrade Required\r\n"
                           + "Sec-WebSocket-Version: 13\r\n"
                           + "Content-Type: text/plain; charset=utf-8\r\n"
                           + "Content-Length: \(body.utf8.count)\r\n"
                           + "Connection: close\r\n"
                           + "\r\n" + body)
    }

    func testAcceptsAPermessageDeflateOfferWhenTheServerOffersIt() throws {
        let offer = "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits"
        var machine = ServerHandshakeMachine(perMessageDeflate: PerMessageDeflateServerNegotiation())
        let accepted = try acceptance(machine.feed(utf8(requestText(adding: [offer]))))
        XCTAssertEqual(String(decoding: accepted.response, as: UTF8.self),
                       switchingProtocols + "Sec-WebSocket-Extensions: permessage-deflate\r\n\r\n")
        XCTAssertEqual(accepted.connection.perMessageDeflate,
                       PerMessageDeflateParameters(serverNoContextTakeover: false, clientNoContextTakeover: false,
                                                   serverMaxWindowBits: 15, clientMaxWindowBits: 15))
        // RSV1 is now allowed: "Hello" compressed by the client (RFC 7692 7.2.3.1), masked.
        var connection = accepted.connection
        var events: [WebSocketEvent] = []
        connection.receive(rawFrame(0xC1, hex("f2 48 cd c9 c9 07 00"), key: clientKey), into: &events)
        XCTAssertEqual(events, [.text(utf8("Hello"))])
    }

    func testDeclinesPermessageDeflateWhenTheServerDoesNotOfferIt() throws {
        var machine = ServerHandshakeMachine()
        let accepted = try acceptance(machine.feed(utf8(requestText(adding: ["Sec-WebSocket-Extensions: permessage-deflate"]))))
        XCTAssertEqual(String(decoding: accepted.response, as: UTF8.self), switchingProtocols + "\r\n")
        XCTAssertNil(accepted.connection.perMessageDeflate)
    }

    func testRefusesARequestHeadOver16KiB() throws {
        var machine = ServerHandshakeMachine()
        var step = machine.feed(utf8("GET / HTTP/1.1\r\n"))
        while case .needMoreBytes = step {
            step = machine.feed(utf8("X-Filler: " + String(repeating: "f", count: 1000) + "\r\n"))
        }
        let error = try refusal(step)
        XCTAssertEqual(error, .headTooLarge)
        XCTAssertEqual(error.statusCode, 400)
    }

    func testAClientLeavingEarlyIsToldApartFromOneThatNeverSpoke() {
        var silent = ServerHandshakeMachine()
        guard case .abandoned(.noRequest) = silent.receiveEndOfStream() else { return XCTFail("no request") }
        var partial = ServerHandshakeMachine()
        _ = partial.feed(utf8("GET / HTTP/1.1\r\n"))
        guard case .abandoned(.incompleteRequest) = partial.receiveEndOfStream() else { return XCTFail("incomplete") }
    }
}

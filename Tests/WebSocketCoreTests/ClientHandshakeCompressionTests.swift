import XCTest
@testable import WebSocketCore

/// The permessage-deflate offer in the client's upgrade request and the check of the answer.
final class ClientHandshakeCompressionTests: XCTestCase {
    private func handshake(_ offer: PerMessageDeflateOffer? = .init(),
                           extensionOffers: [ExtensionOffer] = []) throws -> ClientHandshake {
        var generator = HandshakeFixedBytesGenerator("the sample nonce")
        return try ClientHandshake(url: WebSocketURL(parsing: "ws://server.example.com/chat"),
                                   extensionOffers: extensionOffers, perMessageDeflate: offer, using: &generator)
    }

    private func response(extensions: [String]) throws -> HTTPResponseHead {
        let lines = [
            "HTTP/1.1 101 Switching Protocols",
            "Upgrade: websocket",
            "Connection: Upgrade",
            "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=",
        ] + extensions.map { "Sec-WebSocket-Extensions: " + $0 }
        let bytes = Array((lines.joined(separator: "\r\n") + "\r\n\r\n").utf8)
        return try XCTUnwrap(try parseResponseHead(bytes)).0
    }

    func testRequestOffersPermessageDeflateAfterOtherExtensions() throws {
        let request = String(decoding: try handshake(extensionOffers: [ExtensionOffer(name: "x-test")]).requestBytes(), as: UTF8.self)
        XCTAssertTrue(request.contains("\r\nSec-WebSocket-Extensions: x-test, permessage-deflate; client_max_window_bits\r\n"), request)
        let plain = String(decoding: try handshake(nil).requestBytes(), as: UTF8.self)
        XCTAssertFalse(plain.contains("Sec-WebSocket-Extensions"), plain)
    }

    func testReportsTheAgreedParameters() throws {
        let result = try handshake().validate(response(extensions: ["permessage-deflate; server_no_context_takeover; client_max_window_bits=10"]))
        XCTAssertEqual(result.perMessageDeflate, PerMessageDeflateParameters(serverNoContextTakeover: true, clientMaxWindowBits: 10))
    }

    func testAServerThatDeclinesLeavesCompressionOff() throws {
        XCTAssertNil(try handshake().validate(response(extensions: [])).perMessageDeflate)
    }

    func testRejectsAnInvalidAnswer() throws {
        let client = try handshake()
        let head = try response(extensions: ["permessage-deflate; server_max_window_bits=20"])
        XCTAssertThrowsError(try client.validate(head)) { error in
            XCTAssertEqual(error as? HandshakeError,
                           .invalidPerMessageDeflate(.invalidWindowBits(parameter: "server_max_window_bits", value: "20")))
        }
    }

    func testRejectsTwoAcceptancesAcrossHeaderLines() throws {
        let client = try handshake()
        let head = try response(extensions: ["permessage-deflate", "permessage-deflate; client_no_context_takeover"])
        XCTAssertThrowsError(try client.validate(head)) { error in
            XCTAssertEqual(error as? HandshakeError, .invalidPerMessageDeflate(.multipleAcceptances(2)))
        }
    }

    func testRejectsPermessageDeflateWhenNotOffered() throws {
        let client = try handshake(nil)
        XCTAssertThrowsError(try client.validate(response(extensions: ["permessage-deflate"]))) { error in
            XCTAssertEqual(error as? HandshakeError, .unofferedExtension("permessage-deflate"))
        }
    }

    func testRefusesASecondPermessageDeflateOfferAmongTheExtensions() {
        XCTAssertThrowsError(try handshake(extensionOffers: [ExtensionOffer(name: "permessage-deflate")])) { error in
            guard case .invalidExtensionOffer = error as? HandshakeRequestError else {
                return XCTFail("unexpected \(error)")
            }
        }
    }
}

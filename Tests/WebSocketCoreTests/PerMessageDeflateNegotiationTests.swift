import XCTest
@testable import WebSocketCore

/// RFC 7692 7.1: the client's offer, its check of the server's answer, and the server's choice
/// among a client's offers.
final class PerMessageDeflateNegotiationTests: XCTestCase {
    /// The answer header value parsed as the handshake does.
    private func answer(_ value: String) throws -> [ExtensionOffer] {
        try ExtensionHeader.parse(value)
    }

    private func negotiate(_ value: String, offer: PerMessageDeflateOffer = .init()) throws -> PerMessageDeflateParameters? {
        try offer.negotiate(answer(value))
    }

    // MARK: - The offer

    func testDefaultOfferLetsTheServerChooseOurWindow() {
        XCTAssertEqual(PerMessageDeflateOffer().extensionOffer.headerValue, "permessage-deflate; client_max_window_bits")
    }

    func testOfferWritesEveryParameterInTheRFCsOrder() {
        let offer = PerMessageDeflateOffer(clientMaxWindowBits: .atMost(12), serverMaxWindowBits: 10,
                                           serverNoContextTakeover: true, clientNoContextTakeover: true)
        XCTAssertEqual(offer.extensionOffer.headerValue,
                       "permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=10; client_max_window_bits=12")
        XCTAssertEqual(PerMessageDeflateOffer(clientMaxWindowBits: .notOffered).extensionOffer.headerValue, "permessage-deflate")
    }

    // MARK: - Answers the client accepts

    func testAnswerTable() throws {
        let table: [(String, PerMessageDeflateOffer, PerMessageDeflateParameters?)] = [
            ("", .init(), nil),
            ("x-webkit-deflate-frame", .init(), nil),
            ("permessage-deflate", .init(), .init()),
            ("Permessage-Deflate", .init(), .init()),
            ("permessage-deflate; server_no_context_takeover", .init(), .init(serverNoContextTakeover: true)),
            ("permessage-deflate; client_no_context_takeover", .init(), .init(clientNoContextTakeover: true)),
            ("permessage-deflate; server_max_window_bits=10", .init(), .init(serverMaxWindowBits: 10)),
            ("permessage-deflate; server_max_window_bits=8", .init(), .init(serverMaxWindowBits: 8)),
            ("permessage-deflate; client_max_window_bits=9", .init(), .init(clientMaxWindowBits: 9)),
            ("permessage-deflate; client_max_window_bits=15", .init(), .init()),
            ("permessage-deflate; SERVER_MAX_WINDOW_BITS=\"12\"", .init(), .init(serverMaxWindowBits: 12)),
            ("permessage-deflate;client_no_context_takeover;server_no_context_takeover;server_max_window_bits=9;client_max_window_bits=8",
             .init(), .init(serverNoContextTakeover: true, clientNoContextTakeover: true, serverMaxWindowBits: 9, clientMaxWindowBits: 8)),
            // A value we offered is the limit when the server does not lower it.
            ("permessage-deflate", .init(clientMaxWindowBits: .atMost(11)), .init(clientMaxWindowBits: 11)),
            ("permessage-deflate; client_max_window_bits=10", .init(clientMaxWindowBits: .atMost(11)), .init(clientMaxWindowBits: 10)),
            ("permessage-deflate; server_max_window_bits=10", .init(serverMaxWindowBits: 10), .init(serverMaxWindowBits: 10)),
            ("permessage-deflate; server_max_window_bits=9", .init(serverMaxWindowBits: 10), .init(serverMaxWindowBits: 9)),
            ("permessage-deflate; server_no_context_takeover", .init(serverNoContextTakeover: true), .init(serverNoContextTakeover: true)),
            // Our own promise holds whether or not the server repeats it.
            ("permessage-deflate", .init(clientNoContextTakeover: true), .init(clientNoContextTakeover: true)),
        ]
        for (value, offer, expected) in table {
            XCTAssertEqual(try negotiate(value, offer: offer), expected, value)
        }
    }

    // MARK: - Answers the client rejects

    func testRejectionTable() throws {
        let table: [(String, PerMessageDeflateOffer, PerMessageDeflateError)] = [
            ("permessage-deflate; x_unknown", .init(), .unknownParameter("x_unknown")),
            ("permessage-deflate; server_no_context_takeover; server_no_context_takeover", .init(),
             .duplicateParameter("server_no_context_takeover")),
            ("permessage-deflate; server_max_window_bits=10; server_max_window_bits=10", .init(),
             .duplicateParameter("server_max_window_bits")),
            ("permessage-deflate; server_no_context_takeover=1", .init(),
             .unexpectedValue(parameter: "server_no_context_takeover", value: "1")),
            ("permessage-deflate; client_no_context_takeover=true", .init(),
             .unexpectedValue(parameter: "client_no_context_takeover", value: "true")),
            ("permessage-deflate; server_max_window_bits", .init(), .missingValue(parameter: "server_max_window_bits")),
            ("permessage-deflate; client_max_window_bits", .init(), .missingValue(parameter: "client_max_window_bits")),
            ("permessage-deflate; server_max_window_bits=7", .init(), .invalidWindowBits(parameter: "server_max_window_bits", value: "7")),
            ("permessage-deflate; server_max_window_bits=16", .init(), .invalidWindowBits(parameter: "server_max_window_bits", value: "16")),
            ("permessage-deflate; server_max_window_bits=010", .init(), .invalidWindowBits(parameter: "server_max_window_bits", value: "010")),
            ("permessage-deflate; client_max_window_bits=09", .init(), .invalidWindowBits(parameter: "client_max_window_bits", value: "09")),
            ("permessage-deflate; client_max_window_bits=1a", .init(), .invalidWindowBits(parameter: "client_max_window_bits", value: "1a")),
            ("permessage-deflate; client_max_window_bits=+9", .init(), .invalidWindowBits(parameter: "client_max_window_bits", value: "+9")),
            ("permessage-deflate, permessage-deflate", .init(), .multipleAcceptances(2)),
            ("permessage-deflate; client_max_window_bits=10", .init(clientMaxWindowBits: .notOffered), .unofferedClientMaxWindowBits),
            ("permessage-deflate; client_max_window_bits=12", .init(clientMaxWindowBits: .atMost(10)),
             .windowBitsAboveOffer(parameter: "client_max_window_bits", offered: 10, answered: 12)),
            ("permessage-deflate; server_max_window_bits=12", .init(serverMaxWindowBits: 10),
             .windowBitsAboveOffer(parameter: "server_max_window_bits", offered: 10, answered: 12)),
            ("permessage-deflate", .init(serverMaxWindowBits: 10), .missingServerMaxWindowBits(offered: 10)),
            ("permessage-deflate", .init(serverNoContextTakeover: true), .missingServerNoContextTakeover),
        ]
        for (value, offer, expected) in table {
            XCTAssertThrowsError(try negotiate(value, offer: offer), value) { error in
                XCTAssertEqual(error as? PerMessageDeflateError, expected, value)
            }
        }
    }

    func testRejectionsExplainThemselves() {
        XCTAssertEqual(PerMessageDeflateError.unknownParameter("x\u{1B}y").description, "unknown parameter 'x?y'")
        XCTAssertEqual(PerMessageDeflateError.invalidWindowBits(parameter: "server_max_window_bits", value: "16").description,
                       "parameter 'server_max_window_bits' has value '16', expected a number from 8 to 15")
        XCTAssertEqual(HandshakeError.invalidPerMessageDeflate(.unofferedClientMaxWindowBits).description,
                       "server's permessage-deflate answer is invalid: parameter 'client_max_window_bits' was not offered (connecting without compression avoids it)")
    }

    // MARK: - Parameters per role

    func testParametersTellEachRoleItsDirection() {
        let parameters = PerMessageDeflateParameters(serverNoContextTakeover: true, clientNoContextTakeover: false,
                                                     serverMaxWindowBits: 10, clientMaxWindowBits: 12)
        XCTAssertFalse(parameters.resetsCompressor(as: .client))
        XCTAssertTrue(parameters.resetsDecompressor(as: .client))
        XCTAssertTrue(parameters.resetsCompressor(as: .server))
        XCTAssertFalse(parameters.resetsDecompressor(as: .server))
        XCTAssertEqual(parameters.compressorWindowBits(as: .client), 12)
        XCTAssertEqual(parameters.decompressorWindowBits(as: .client), 10)
        XCTAssertEqual(parameters.compressorWindowBits(as: .server), 10)
        XCTAssertEqual(parameters.decompressorWindowBits(as: .server), 12)
        XCTAssertEqual(parameters.description,
                       "permessage-deflate; server_no_context_takeover; server_max_window_bits=10; client_max_window_bits=12")
        XCTAssertEqual(PerMessageDeflateParameters().description, "permessage-deflate")
    }

    // MARK: - The server's side

    private func serverNegotiate(_ value: String, _ negotiation: PerMessageDeflateServerNegotiation = .init())
        throws -> PerMessageDeflateServerNegotiation.Agreement?
    {
        negotiation.negotiate(try answer(value))
    }

    func testServerAcceptsTheDefaultClientOfferWithAPlainAnswer() throws {
        let agreement = try XCTUnwrap(try serverNegotiate("permessage-deflate; client_max_window_bits"))
        XCTAssertEqual(agreement.response.headerValue, "permessage-deflate")
        XCTAssertEqual(agreement.parameters, PerMessageDeflateParameters())
    }

    func testServerAnswerTable() throws {
        let table: [(String, PerMessageDeflateServerNegotiation, String, PerMessageDeflateParameters)] = [
            ("permessage-deflate", .init(), "permessage-deflate", .init()),
            ("permessage-deflate; client_max_window_bits=10", .init(),
             "permessage-deflate; client_max_window_bits=10", .init(clientMaxWindowBits: 10)),
            ("permessage-deflate; server_max_window_bits=9; server_no_context_takeover", .init(),
             "permessage-deflate; server_no_context_takeover; server_max_window_bits=9",
             .init(serverNoContextTakeover: true, serverMaxWindowBits: 9)),
            ("permessage-deflate; client_no_context_takeover", .init(),
             "permessage-deflate; client_no_context_takeover", .init(clientNoContextTakeover: true)),
            // The server's own wishes.
            ("permessage-deflate", .init(serverNoContextTakeover: true, serverMaxWindowBits: 11, clientNoContextTakeover: true),
             "permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=11",
             .init(serverNoContextTakeover: true, clientNoContextTakeover: true, serverMaxWindowBits: 11)),
            ("permessage-deflate; server_max_window_bits=12", .init(serverMaxWindowBits: 10),
             "permessage-deflate; server_max_window_bits=10", .init(serverMaxWindowBits: 10)),
            ("permessage-deflate; client_max_window_bits", .init(clientMaxWindowBits: 9),
             "permessage-deflate; client_max_window_bits=9", .init(clientMaxWindowBits: 9)),
            ("permessage-deflate; client_max_window_bits=12", .init(clientMaxWindowBits: 9),
             "permessage-deflate; client_max_window_bits=9", .init(clientMaxWindowBits: 9)),
            ("permessage-deflate; client_max_window_bits=8", .init(clientMaxWindowBits: 9),
             "permessage-deflate; client_max_window_bits=8", .init(clientMaxWindowBits: 8)),
            // A client that did not offer client_max_window_bits cannot be limited.
            ("permessage-deflate", .init(clientMaxWindowBits: 9), "permessage-deflate", .init()),
            // Invalid offers are declined, the next one is taken.
            ("permessage-deflate; x=1, permessage-deflate; server_no_context_takeover", .init(),
             "permessage-deflate; server_no_context_takeover", .init(serverNoContextTakeover: true)),
            ("permessage-deflate; server_max_window_bits, permessage-deflate", .init(), "permessage-deflate", .init()),
            ("x-other, permessage-deflate; client_max_window_bits=15", .init(),
             "permessage-deflate; client_max_window_bits=15", .init()),
        ]
        for (value, negotiation, response, parameters) in table {
            let agreement = try XCTUnwrap(try serverNegotiate(value, negotiation), value)
            XCTAssertEqual(agreement.response.headerValue, response, value)
            XCTAssertEqual(agreement.parameters, parameters, value)
        }
    }

    func testServerDeclinesWhenNoOfferIsValid() throws {
        for value in ["", "x-webkit-deflate-frame", "permessage-deflate; server_max_window_bits=16",
                      "permessage-deflate; client_no_context_takeover=1",
                      "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
                      "permessage-deflate; mystery"] {
            XCTAssertNil(try serverNegotiate(value), value)
        }
    }

    func testServerAnswerIsAcceptedByTheClientThatOffered() throws {
        // Both sides of the negotiation agree on the same parameters.
        let offers: [PerMessageDeflateOffer] = [
            .init(),
            .init(clientMaxWindowBits: .atMost(10), serverMaxWindowBits: 9),
            .init(clientMaxWindowBits: .notOffered, serverNoContextTakeover: true, clientNoContextTakeover: true),
        ]
        let servers: [PerMessageDeflateServerNegotiation] = [
            .init(), .init(serverNoContextTakeover: true, clientMaxWindowBits: 8), .init(serverMaxWindowBits: 12),
        ]
        for offer in offers {
            for server in servers {
                let agreement = try XCTUnwrap(server.negotiate([offer.extensionOffer]))
                let serialized = try ExtensionHeader.parse(ExtensionHeader.serialize([agreement.response]))
                XCTAssertEqual(try offer.negotiate(serialized), agreement.parameters, "\(offer) / \(server)")
            }
        }
    }
}

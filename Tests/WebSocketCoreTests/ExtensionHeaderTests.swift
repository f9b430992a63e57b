import XCTest
@testable import WebSocketCore

final class ExtensionHeaderTests: XCTestCase {
    private func assertSyntaxError(_ value: String, _ message: String,
                                   file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try ExtensionHeader.parse(value), file: file, line: line) { error in
            XCTAssertEqual((error as? ExtensionHeader.SyntaxError)?.message, message, file: file, line: line)
        }
    }

    func testParsesPermessageDeflateOfferWithFlagAndValueParameters() throws {
        let offers = try ExtensionHeader.parse("permessage-deflate; client_max_window_bits; server_max_window_bits=10")
        XCTAssertEqual(offers, [
            ExtensionOffer(name: "permessage-deflate",
                           parameters: [("client_max_window_bits", nil), ("server_max_window_bits", "10")]),
        ])
    }

    func testParsesSeveralCommaSeparatedOffersInOrder() throws {
        let offers = try ExtensionHeader.parse(
            "permessage-deflate; client_max_window_bits=15; server_no_context_takeover, permessage-deflate, x-webkit-deflate-frame")
        XCTAssertEqual(offers, [
            ExtensionOffer(name: "permessage-deflate",
                           parameters: [("client_max_window_bits", "15"), ("server_no_context_takeover", nil)]),
            ExtensionOffer(name: "permessage-deflate"),
            ExtensionOffer(name: "x-webkit-deflate-frame"),
        ])
    }

    func testUnquotesQuotedStringValues() throws {
        let offers = try ExtensionHeader.parse(#"permessage-deflate; server_max_window_bits="10"; x="a\-b", other; p = "1\5""#)
        XCTAssertEqual(offers, [
            ExtensionOffer(name: "permessage-deflate", parameters: [("server_max_window_bits", "10"), ("x", "a-b")]),
            ExtensionOffer(name: "other", parameters: [("p", "15")]),
        ])
    }

    func testLowercasesNamesButKeepsValues() throws {
        let offers = try ExtensionHeader.parse("PerMessage-Deflate; Server_No_Context_Takeover; X_Mode=Fast")
        XCTAssertEqual(offers, [
            ExtensionOffer(name: "permessage-deflate", parameters: [("server_no_context_takeover", nil), ("x_mode", "Fast")]),
        ])
        XCTAssertTrue(offers[0].hasParameter("SERVER_NO_CONTEXT_TAKEOVER"))
        XCTAssertEqual(offers[0].value(ofParameter: "X_MODE"), "Fast")
        XCTAssertNil(offers[0].value(ofParameter: "server_no_context_takeover"))
        XCTAssertFalse(offers[0].hasParameter("client_max_window_bits"))
    }

    func testToleratesWhitespaceAndEmptyListElements() throws {
        XCTAssertEqual(try ExtensionHeader.parse(" ,a ;\tb = 1 ,, c ,"), [
            ExtensionOffer(name: "a", parameters: [("b", "1")]),
            ExtensionOffer(name: "c"),
        ])
        XCTAssertEqual(try ExtensionHeader.parse(""), [])
    }

    func testReportsSyntaxErrorsWithTheirOffset() {
        assertSyntaxError(";a", "expected an extension name at offset 0, found ';'")
        assertSyntaxError("a;", "expected a parameter name at offset 2, found the end")
        assertSyntaxError("a=1", "expected ',' or ';' at offset 1, found '='")
        assertSyntaxError("a b", "expected ',' or ';' at offset 2, found 'b'")
        assertSyntaxError("a; b=", "expected a parameter value at offset 5, found the end")
        assertSyntaxError(#"a; b="10"#, "unterminated quoted string at offset 5, found '\"'")
        assertSyntaxError(#"a; b="x y""#, "quoted parameter value is not a token at offset 5, found '\"'")
        assertSyntaxError(#"a; b="""#, "quoted parameter value is not a token at offset 5, found '\"'")
        assertSyntaxError("a; b=\u{1}", "expected a parameter value at offset 5, found byte 0x1")
    }

    func testSerialisesOffersInOrder() {
        let offers = [
            ExtensionOffer(name: "permessage-deflate",
                           parameters: [("client_max_window_bits", nil), ("server_max_window_bits", "10")]),
            ExtensionOffer(name: "x-foo"),
        ]
        XCTAssertEqual(ExtensionHeader.serialize(offers),
                       "permessage-deflate; client_max_window_bits; server_max_window_bits=10, x-foo")
        XCTAssertEqual(offers[0].description, "permessage-deflate; client_max_window_bits; server_max_window_bits=10")
        XCTAssertEqual(ExtensionHeader.serialize([]), "")
    }

    func testSerialisedOffersParseBackUnchanged() throws {
        let offers = try ExtensionHeader.parse(#"permessage-deflate; client_max_window_bits; server_max_window_bits="12", x-foo; a=b"#)
        XCTAssertEqual(try ExtensionHeader.parse(ExtensionHeader.serialize(offers)), offers)
    }

    func testQuotesValuesThatAreNotTokensAndCallsThemMalformed() {
        let offer = ExtensionOffer(name: "x", parameters: [("p", #"a "b"\c"#)])
        XCTAssertEqual(offer.headerValue, #"x; p="a \"b\"\\c""#)
        XCTAssertFalse(offer.isWellFormed)
        XCTAssertTrue(ExtensionOffer(name: "x", parameters: [("p", "1"), ("q", nil)]).isWellFormed)
        XCTAssertFalse(ExtensionOffer(name: "x y").isWellFormed)
        XCTAssertFalse(ExtensionOffer(name: "x", parameters: [("", nil)]).isWellFormed)
    }

    func testOffersCompareNamesParametersAndValues() {
        XCTAssertNotEqual(ExtensionOffer(name: "a", parameters: [("p", nil)]), ExtensionOffer(name: "a", parameters: [("p", "")]))
        XCTAssertNotEqual(ExtensionOffer(name: "a", parameters: [("p", nil)]), ExtensionOffer(name: "a"))
        XCTAssertNotEqual(ExtensionOffer(name: "a"), ExtensionOffer(name: "b"))
    }
}

import XCTest
import WebSocketCore
import SocketIO
@testable import wsc

final class SocketIOLineFormatTests: XCTestCase {
    private func emit(_ line: String) throws -> SocketIOLineFormat.Emit {
        try SocketIOLineFormat.parse(line)
    }

    func testNameThenOneArgumentPerJSONValue() throws {
        XCTAssertEqual(try emit(#"chat {"a":1}"#), .init(event: "chat", arguments: [.object([("a", .integer(1))])]))
        XCTAssertEqual(try emit(#"move 1 "two" [3]"#), .init(event: "move", arguments: [.integer(1), .string("two"), .array([.integer(3)])]))
        XCTAssertEqual(try emit("list [1,2]"), .init(event: "list", arguments: [.array([.integer(1), .integer(2)])]))
    }

    func testLinesWithoutAJSONPartGoToTheDefaultEvent() throws {
        XCTAssertEqual(try emit("hello world"), .init(event: "message", arguments: [.string("hello world")]))
        XCTAssertEqual(try emit("ping"), .init(event: "message", arguments: [.string("ping")]))
        XCTAssertEqual(try emit(""), .init(event: "message", arguments: [.string("")]))
        XCTAssertEqual(try emit(#"chat {"a":1"#), .init(event: "message", arguments: [.string(#"chat {"a":1"#)]))
    }

    func testQuotedNamesAllowSpacesAndNoArguments() throws {
        XCTAssertEqual(try emit(#""ping""#), .init(event: "ping", arguments: []))
        XCTAssertEqual(try emit(#""two words" true"#), .init(event: "two words", arguments: [.bool(true)]))
        XCTAssertThrowsError(try emit(#""ping" oops"#))
        XCTAssertThrowsError(try emit(#""unterminated"#))
    }

    func testEventsPrintInTheInputFormat() throws {
        let args: [JSONValue] = [.object([("a", .integer(1))]), .string("x")]
        XCTAssertEqual(SocketIOLineFormat.event("chat", args, style: .plain), #"chat {"a":1} "x""#)
        XCTAssertEqual(SocketIOLineFormat.event("chat", args, style: .prompt), #"chat: {"a":1} "x""#)
        // Quoted without arguments: a bare `done` would read back as a `message` emit.
        XCTAssertEqual(SocketIOLineFormat.event("done", [], style: .plain), #""done""#)
        XCTAssertEqual(try SocketIOLineFormat.parse(SocketIOLineFormat.event("done", [], style: .plain)),
                       SocketIOLineFormat.Emit(event: "done", arguments: []))
        XCTAssertEqual(SocketIOLineFormat.event("two words", [], style: .plain), #""two words""#)
        let printed = SocketIOLineFormat.event("two words", args, style: .plain)
        XCTAssertEqual(try emit(printed), .init(event: "two words", arguments: args))
    }

    func testAckRepliesShowTheirID() {
        XCTAssertEqual(SocketIOLineFormat.ack(id: 3, [.string("answer"), .integer(1)], style: .plain), #"ack 3: "answer" 1"#)
        XCTAssertEqual(SocketIOLineFormat.ack(id: 4, [], style: .prompt), "ack 4:")
    }

    func testAckLinesAnswerTheServersRequests() throws {
        XCTAssertEqual(try SocketIOLineFormat.parseAnswer(#"ack 3 {"ok":true} 1"#),
                       .init(id: 3, arguments: [.object([("ok", .bool(true))]), .integer(1)]))
        XCTAssertEqual(try SocketIOLineFormat.parseAnswer("ack 12"), .init(id: 12, arguments: []))
        XCTAssertThrowsError(try SocketIOLineFormat.parseAnswer("ack 3 not json"))
        // Not answers: an event named ack is written quoted; a word after ack is an emit.
        XCTAssertNil(try SocketIOLineFormat.parseAnswer(#""ack" 3"#))
        XCTAssertNil(try SocketIOLineFormat.parseAnswer("ack +3"))
        XCTAssertNil(try SocketIOLineFormat.parseAnswer("ack me"))
        XCTAssertNil(try SocketIOLineFormat.parseAnswer("acknowledge 3"))
    }

    func testRequestsForAnAckShowTheID() {
        let args: [JSONValue] = [.object([("q", .integer(42))])]
        XCTAssertEqual(SocketIOLineFormat.event("question", args, ackID: 3, style: .plain), #"question {"q":42} [ack 3]"#)
        XCTAssertEqual(SocketIOLineFormat.event("question", args, ackID: 3, style: .prompt), #"question: {"q":42} [ack 3]"#)
        XCTAssertEqual(SocketIOLineFormat.event("ready", [], ackID: 0, style: .plain), #""ready" [ack 0]"#)
    }

    func testBinaryMarkersInBothForms() throws {
        XCTAssertEqual(try SocketIOLineFormat.attachmentBytes(.object([("$binary", .string("AAEC/w=="))])), [0, 1, 2, 255])
        XCTAssertEqual(try SocketIOLineFormat.attachmentBytes(.object([("$hex", .string("000102ff"))])), [0, 1, 2, 255])
        XCTAssertNil(try SocketIOLineFormat.attachmentBytes(.object([("$hex", .string("00")), ("x", .null)])))
        XCTAssertNil(try SocketIOLineFormat.attachmentBytes(.string("$hex")))
        XCTAssertThrowsError(try SocketIOLineFormat.attachmentBytes(.object([("$hex", .string("0g"))])))
        XCTAssertThrowsError(try SocketIOLineFormat.attachmentBytes(.object([("$binary", .string("@@"))])))
        XCTAssertThrowsError(try SocketIOLineFormat.attachmentBytes(.object([("$binary", .integer(1))])))
        XCTAssertEqual(SocketIOLineFormat.binary([0, 1, 2, 255], form: .base64).serialized, #"{"$binary":"AAEC/w=="}"#)
        XCTAssertEqual(SocketIOLineFormat.binary([0, 1, 2, 255], form: .hex).serialized, #"{"$hex":"000102ff"}"#)
    }
}

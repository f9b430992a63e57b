import XCTest
import WebSocketCore
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
}

import XCTest
@testable import wsc

final class InputActionTests: XCTestCase {
    private func action(_ line: String, slash: Bool = true) -> InputAction {
        InputAction(line: line, slashCommands: slash)
    }

    func testPlainLineIsSentAsText() {
        XCTAssertEqual(action("hello world"), .sendText("hello world"))
        XCTAssertEqual(action("  spaced  "), .sendText("  spaced  "))
    }

    func testEmptyLineSendsNothing() {
        XCTAssertEqual(action(""), .ignore)
        XCTAssertEqual(action("", slash: false), .ignore)
    }

    func testDoubleSlashSendsTheLineWithOneSlash() {
        XCTAssertEqual(action("//text"), .sendText("/text"))
        XCTAssertEqual(action("//"), .sendText("/"))
        XCTAssertEqual(action("///x"), .sendText("//x"))
    }

    func testWithoutSlashCommandsEveryLineIsText() {
        XCTAssertEqual(action("/ping", slash: false), .sendText("/ping"))
        XCTAssertEqual(action("//x", slash: false), .sendText("//x"))
    }

    func testPingAndPongTakeOptionalData() {
        XCTAssertEqual(action("/ping"), .run(.ping([])))
        XCTAssertEqual(action("/ping hello there "), .run(.ping(Array("hello there".utf8))))
        XCTAssertEqual(action("/pong"), .run(.pong([])))
        XCTAssertEqual(action("/PONG x"), .run(.pong([0x78])))
    }

    func testPingDataOverControlFrameLimitIsRejected() {
        guard case .reject = action("/ping " + String(repeating: "a", count: 126)) else {
            return XCTFail("126 bytes of ping data should be rejected")
        }
        XCTAssertEqual(action("/ping " + String(repeating: "a", count: 125)),
                       .run(.ping(Array(repeating: 0x61, count: 125))))
    }

    func testCloseDefaultsToNormalClosureAndKeepsReasonSpaces() {
        XCTAssertEqual(action("/close"), .run(.close(code: 1000, reason: "")))
        XCTAssertEqual(action("/close 4001"), .run(.close(code: 4001, reason: "")))
        XCTAssertEqual(action("/close 1001 going  away now"), .run(.close(code: 1001, reason: "going  away now")))
    }

    func testCloseRejectsCodesThatMayNotBeSentAndLongReasons() {
        for line in ["/close 1005", "/close 1006", "/close 999", "/close 5000", "/close abc", "/close 70000"] {
            guard case .reject = action(line) else { return XCTFail("\(line) should be rejected") }
        }
        guard case .reject = action("/close 1000 " + String(repeating: "r", count: 124)) else {
            return XCTFail("a 124-byte reason should be rejected")
        }
    }

    func testBinaryTakesHexInGroupsOrAFile() {
        XCTAssertEqual(action("/binary 48 65 6c 6C 6f"), .run(.binary(.bytes([0x48, 0x65, 0x6C, 0x6C, 0x6F]))))
        XCTAssertEqual(action("/binary 48656c"), .run(.binary(.bytes([0x48, 0x65, 0x6C]))))
        XCTAssertEqual(action("/binary 0x00ff 0X10"), .run(.binary(.bytes([0x00, 0xFF, 0x10]))))
        XCTAssertEqual(action("/binary @/tmp/some file.bin"), .run(.binary(.file("/tmp/some file.bin"))))
    }

    func testBinaryRejectsBadHexAndMissingArguments() {
        for line in ["/binary", "/binary 4", "/binary 4g", "/binary 123", "/binary @", "/binary 0x"] {
            guard case .reject = action(line) else { return XCTFail("\(line) should be rejected") }
        }
    }

    func testHelpAndQuit() {
        XCTAssertEqual(action("/help"), .run(.help))
        XCTAssertEqual(action("/quit"), .run(.quit))
        guard case .reject = action("/quit now") else { return XCTFail("/quit takes no arguments") }
    }

    func testUnknownCommandIsRejectedWithAHint() {
        guard case let .reject(hint) = action("/frobnicate 1 2") else { return XCTFail("should be rejected") }
        XCTAssertTrue(hint.contains("/frobnicate"), hint)
        XCTAssertTrue(hint.contains("/help"), hint)
        guard case .reject = action("/") else { return XCTFail("a lone slash should be rejected") }
        guard case .reject = action("/ ping") else { return XCTFail("a space after the slash is no command") }
    }
}

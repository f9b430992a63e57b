import XCTest
import WebSocketCore
@testable import WebSocketTransport

final class SOCKS5HandshakeTests: XCTestCase {
    private func run(_ handshake: inout SOCKS5Handshake, _ bytes: [UInt8]) throws -> TunnelStep {
        var input = bytes
        let step = try handshake.advance(&input)
        return step
    }

    func testNoAuthenticationThenConnectByName() throws {
        var handshake = try SOCKS5Handshake(destination: .name("example.com"), port: 443, credentials: nil)
        XCTAssertEqual(handshake.greeting, [5, 1, 0])
        XCTAssertEqual(try run(&handshake, [5, 0]),
                       .send([5, 1, 0, 3, 11] + Array("example.com".utf8) + [0x01, 0xBB]))
        XCTAssertEqual(try run(&handshake, [5, 0, 0, 1, 10, 0]), .needMore)
        var input: [UInt8] = [5, 0, 0, 1, 10, 0, 0, 1, 0x1F, 0x90, 0x81]
        XCTAssertEqual(try handshake.advance(&input), .established)
        XCTAssertEqual(input, [0x81], "bytes after the reply are the target's")
    }

    func testUsernameAndPasswordThenConnectByAddress() throws {
        var handshake = try SOCKS5Handshake(destination: .ipv6(Array(repeating: 0, count: 15) + [1]), port: 80,
                                            credentials: BasicCredentials(user: "alice", password: "pw"))
        XCTAssertEqual(handshake.greeting, [5, 2, 0, 2])
        XCTAssertEqual(try run(&handshake, [5, 2]), .send([1, 5] + Array("alice".utf8) + [2] + Array("pw".utf8)))
        XCTAssertEqual(try run(&handshake, [1, 0]), .send([5, 1, 0, 4] + Array(repeating: 0, count: 15) + [1, 0, 80]))
        XCTAssertEqual(try run(&handshake, [5, 0, 0, 3, 3] + Array("abc".utf8) + [0, 80]), .established)
    }

    func testRefusalsAreTyped() throws {
        var refused = try SOCKS5Handshake(destination: .ipv4([127, 0, 0, 1]), port: 1, credentials: nil)
        XCTAssertThrowsError(try run(&refused, [5, 0xFF])) { XCTAssertEqual($0 as? SOCKS5Error, .noAcceptableMethod(offeredPassword: false)) }

        var wrongPassword = try SOCKS5Handshake(destination: .name("h"), port: 1,
                                                credentials: BasicCredentials(user: "u", password: "p"))
        _ = try run(&wrongPassword, [5, 2])
        XCTAssertThrowsError(try run(&wrongPassword, [1, 1])) { XCTAssertEqual($0 as? SOCKS5Error, .authenticationFailed) }

        for code: UInt8 in 1...8 {
            var failing = try SOCKS5Handshake(destination: .name("h"), port: 1, credentials: nil)
            _ = try run(&failing, [5, 0])
            XCTAssertThrowsError(try run(&failing, [5, code, 0, 1, 0, 0, 0, 0, 0, 0])) {
                XCTAssertEqual($0 as? SOCKS5Error, .requestFailed(reply: code))
            }
            XCTAssertNotEqual(SOCKS5Error.replyName(code), "unassigned reply code")
        }
        XCTAssertEqual("\(SOCKS5Error.requestFailed(reply: 5))", "connection refused (reply 5)")
    }

    func testEndOfStreamDependsOnTheStage() throws {
        var handshake = try SOCKS5Handshake(destination: .name("h"), port: 1, credentials: BasicCredentials(user: "u", password: "p"))
        XCTAssertEqual(handshake.errorAtEndOfStream, .closed(.choosingMethod))
        _ = try run(&handshake, [5, 2])
        XCTAssertEqual(handshake.errorAtEndOfStream, .authenticationFailed)
    }

    func testOverlongNamesAndCredentialsAreRefusedBeforeSending() {
        XCTAssertThrowsError(try SOCKS5Handshake(destination: .name(String(repeating: "a", count: 256)), port: 1, credentials: nil))
        XCTAssertThrowsError(try SOCKS5Handshake(destination: .name("h"), port: 1,
                                                 credentials: BasicCredentials(user: "", password: "p")))
    }
}

import XCTest
@testable import SocketIO
import WebSocketCore

final class EngineIOPacketTests: XCTestCase {
    let openText = #"0{"sid":"abc","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}"#

    func testReadsTheOpenPacket() throws {
        let packet = try EngineIOPacket(parsing: openText)
        XCTAssertEqual(packet, .open(EngineIOHandshake(sid: "abc", upgrades: [], pingInterval: 25000,
                                                       pingTimeout: 20000, maxPayload: 1_000_000)))
        XCTAssertEqual(packet.encoded, openText)
    }

    func testReadsControlPacketsAndMessages() throws {
        XCTAssertEqual(try EngineIOPacket(parsing: "1"), .close)
        XCTAssertEqual(try EngineIOPacket(parsing: "2"), .ping(""))
        XCTAssertEqual(try EngineIOPacket(parsing: "3"), .pong(""))
        XCTAssertEqual(try EngineIOPacket(parsing: "2probe"), .ping("probe"))
        XCTAssertEqual(try EngineIOPacket(parsing: "40"), .message("0"))
        XCTAssertEqual(try EngineIOPacket(parsing: #"42["chat",{"a":1}]"#), .message(#"2["chat",{"a":1}]"#))
        XCTAssertEqual(try EngineIOPacket(parsing: "5"), .upgrade)
        XCTAssertEqual(try EngineIOPacket(parsing: "6"), .noop)
    }

    func testWritesPacketsWithTheirTypeDigit() {
        XCTAssertEqual(EngineIOPacket.pong("").encoded, "3")
        XCTAssertEqual(EngineIOPacket.ping("").encoded, "2")
        XCTAssertEqual(EngineIOPacket.pong("probe").encoded, "3probe")
        XCTAssertEqual(EngineIOPacket.message("0").encoded, "40")
        XCTAssertEqual(EngineIOPacket.close.encoded, "1")
    }

    func testRejectsUnknownTypesAndBrokenOpenPackets() {
        XCTAssertThrowsError(try EngineIOPacket(parsing: "")) { XCTAssertEqual($0 as? EngineIOError, .empty) }
        XCTAssertThrowsError(try EngineIOPacket(parsing: "7")) { XCTAssertEqual($0 as? EngineIOError, .unknownType("7")) }
        XCTAssertThrowsError(try EngineIOPacket(parsing: "x")) { XCTAssertEqual($0 as? EngineIOError, .unknownType("x")) }
        for broken in ["0", "0{", "0[]", #"0{"sid":"a","pingInterval":1}"#, #"0{"sid":1,"pingInterval":1,"pingTimeout":1}"#,
                       #"0{"sid":"a","pingInterval":"1","pingTimeout":1}"#] {
            XCTAssertThrowsError(try EngineIOPacket(parsing: broken), broken) { error in
                guard case .invalidOpenPacket = error as? EngineIOError else {
                    return XCTFail("\(broken): \(error)")
                }
            }
        }
    }
}

import XCTest
@testable import WebSocketCore

final class SocketIOPacketTests: XCTestCase {
    /// Each Engine.IO message as it travels, the Socket.IO packet it carries, and back.
    private func roundTrip(_ wire: String, _ expected: SocketIOPacket, file: StaticString = #filePath, line: UInt = #line) throws {
        guard case let .message(data) = try EngineIOPacket(parsing: wire) else {
            return XCTFail("not a message packet", file: file, line: line)
        }
        XCTAssertEqual(try SocketIOPacket(parsing: data), expected, file: file, line: line)
        XCTAssertEqual(EngineIOPacket.message(expected.encoded).encoded, wire, file: file, line: line)
    }

    func testConnectToTheDefaultNamespace() throws {
        try roundTrip("40", .connect())
    }

    func testConnectToANamespaceWithAuth() throws {
        try roundTrip(#"40/admin,{"token":"x"}"#, .connect(namespace: "/admin", auth: .object([("token", .string("x"))])))
    }

    func testConnectAcknowledgementCarriesTheSid() throws {
        let packet = try SocketIOPacket(parsing: #"0{"sid":"N6s3"}"#)
        XCTAssertEqual(packet.type, .connect)
        XCTAssertEqual(packet.data?["sid"]?.stringValue, "N6s3")
    }

    func testEvent() throws {
        let packet = SocketIOPacket.event("chat", [.object([("a", .integer(1))])])
        try roundTrip(#"42["chat",{"a":1}]"#, packet)
        XCTAssertEqual(packet.eventName, "chat")
        XCTAssertEqual(packet.arguments, [.object([("a", .integer(1))])])
    }

    func testEventAskingForAnAck() throws {
        try roundTrip(#"421["ask",1]"#, .event("ask", [.integer(1)], id: 1))
    }

    func testAckReply() throws {
        let packet = SocketIOPacket.ack(id: 1, [.string("answer")])
        try roundTrip(#"431["answer"]"#, packet)
        XCTAssertEqual(packet.arguments, [.string("answer")])
    }

    func testEventInANamespaceWithAnAckID() throws {
        try roundTrip(#"42/admin,17["x"]"#, .event("x", [], namespace: "/admin", id: 17))
    }

    func testConnectError() throws {
        let packet = SocketIOPacket(type: .connectError, data: .object([("message", .string("not authorized"))]))
        try roundTrip(#"44{"message":"not authorized"}"#, packet)
        XCTAssertEqual(packet.errorMessage, "not authorized")
        XCTAssertEqual(try SocketIOPacket(parsing: #"4/admin,"Not authorized""#).errorMessage, "Not authorized")
    }

    func testDisconnect() throws {
        try roundTrip("41", SocketIOPacket(type: .disconnect))
        try roundTrip("41/admin,", SocketIOPacket(type: .disconnect, namespace: "/admin"))
    }

    func testBinaryPacketsAreReportedAsUnsupported() {
        XCTAssertThrowsError(try SocketIOPacket(parsing: #"51-["file",{"_placeholder":true,"num":0}]"#)) {
            XCTAssertEqual($0 as? SocketIOError, .binaryNotSupported(.binaryEvent))
        }
        XCTAssertThrowsError(try SocketIOPacket(parsing: #"61-1[{"_placeholder":true,"num":0}]"#)) {
            XCTAssertEqual($0 as? SocketIOError, .binaryNotSupported(.binaryAck))
        }
    }

    func testRejectsMalformedPackets() {
        let broken = ["", "7", "x", "2", "2{}", "2[]", "2[1]", "3[]", "31{}", #"1{"a":1}"#, "0[]", "4", "44", #"2["a""#]
        for text in broken {
            XCTAssertThrowsError(try SocketIOPacket(parsing: text), text)
        }
    }

    func testEndpointUsesTheEngineIOPathAndKeepsTheQuery() throws {
        let plain = SocketIOEndpoint(url: try WebSocketURL(parsing: "http://localhost:3000"))
        XCTAssertEqual(plain.url.description, "ws://localhost:3000/socket.io/?EIO=4&transport=websocket")
        XCTAssertEqual(plain.namespace, "/")
        let custom = SocketIOEndpoint(url: try WebSocketURL(parsing: "https://example.com/admin?token=x&EIO=3"),
                                      path: "/io/")
        XCTAssertEqual(custom.url.resource, "/io/?EIO=4&transport=websocket&token=x")
        XCTAssertTrue(custom.url.isSecure)
        XCTAssertEqual(custom.namespace, "/admin")
        let named = SocketIOEndpoint(url: try WebSocketURL(parsing: "ws://h/admin"), namespace: "chat/")
        XCTAssertEqual(named.namespace, "/chat")
    }
}

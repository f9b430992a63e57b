import XCTest
@testable import SocketIO
import WebSocketCore

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

    func testBinaryEventCarriesItsAttachmentCount() throws {
        let placeholder = SocketIOAttachments.placeholder(0)
        let event = SocketIOPacket(type: .binaryEvent, data: .array([.string("file"), placeholder]), attachments: 1)
        try roundTrip(#"451-["file",{"_placeholder":true,"num":0}]"#, event)
        XCTAssertEqual(event.eventName, "file")
        XCTAssertEqual(event.arguments, [placeholder])
        let ack = SocketIOPacket(type: .binaryAck, namespace: "/admin", id: 7, data: .array([placeholder, placeholder]), attachments: 2)
        try roundTrip(#"462-/admin,7[{"_placeholder":true,"num":0},{"_placeholder":true,"num":0}]"#, ack)
        XCTAssertEqual(ack.arguments.count, 2)
    }

    func testBinaryPacketsNeedTheirCountAndDash() {
        for text in [#"5["file"]"#, #"51["file"]"#, #"5-["file"]"#, "61-[1]", #"599999-["x"]"#] {
            XCTAssertThrowsError(try SocketIOPacket(parsing: text), text)
        }
    }

    func testPlaceholdersAreFilledWithTheRenderedAttachments() throws {
        let data = try JSONParser.parse(#"["bin",{"_placeholder":true,"num":1},{"a":[{"_placeholder":true,"num":0}]}]"#)
        let filled = try SocketIOAttachments.fill(data, with: [[0x01], [0xff, 0x00]]) { .string("bytes\($0)") }
        XCTAssertEqual(filled.serialized, #"["bin","bytes[255, 0]",{"a":["bytes[1]"]}]"#)
    }

    func testPlaceholdersMustMatchTheAttachments() throws {
        let one = try JSONParser.parse(#"[{"_placeholder":true,"num":1}]"#)
        XCTAssertThrowsError(try SocketIOAttachments.fill(one, with: [[1]]) { _ in .null })
        let none = try JSONParser.parse(#"["x"]"#)
        XCTAssertThrowsError(try SocketIOAttachments.fill(none, with: [[1]]) { _ in .null })
        let noNumber = try JSONParser.parse(#"[{"_placeholder":true}]"#)
        XCTAssertThrowsError(try SocketIOAttachments.fill(noNumber, with: [[1]]) { _ in .null })
    }

    func testMarkedValuesAreExtractedAsAttachmentsInOrder() throws {
        let data = try JSONParser.parse(#"["up",{"b":"x1"},[{"b":"x2"}],3]"#)
        let (result, attachments) = SocketIOAttachments.extract(data) { value -> [UInt8]? in
            value["b"]?.stringValue.map { Array($0.utf8) }
        }
        XCTAssertEqual(result.serialized, #"["up",{"_placeholder":true,"num":0},[{"_placeholder":true,"num":1}],3]"#)
        XCTAssertEqual(attachments, [Array("x1".utf8), Array("x2".utf8)])
    }

    func testAssemblerWaitsForEveryAttachment() throws {
        var assembler = SocketIOPacketAssembler()
        let plain = try SocketIOPacket(parsing: #"2["a"]"#)
        XCTAssertEqual(assembler.receive(packet: plain).output, .packet(plain, attachments: []))
        let binary = try SocketIOPacket(parsing: #"52-["b",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]"#)
        XCTAssertEqual(assembler.receive(packet: binary).output, .waiting)
        XCTAssertEqual(try assembler.receive(attachment: [1]), .waiting)
        XCTAssertEqual(try assembler.receive(attachment: [2]), .packet(binary, attachments: [[1], [2]]))
        XCTAssertThrowsError(try assembler.receive(attachment: [3])) {
            XCTAssertEqual($0 as? SocketIOPacketAssembler.AssemblyError, .unexpectedAttachment)
        }
        _ = assembler.receive(packet: binary)
        XCTAssertEqual(assembler.receive(packet: plain).dropped,
                       .interruptedPacket(.binaryEvent, received: 0, expected: 2))
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

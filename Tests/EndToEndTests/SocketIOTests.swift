import Foundation
import XCTest

/// --socketio against a real python-socketio server (aiohttp) and a scripted Engine.IO peer.
final class SocketIOTests: EndToEndTestCase {
    private func httpURL(_ peer: TestServer, _ path: String = "") -> String {
        "http://127.0.0.1:\(peer.port)\(path)"
    }

    func testPipedLinesAreEmittedAndEchoedEventsPrintedOnePerLine() throws {
        let peer = try startServer("socketio_server.py")
        let run = try wsc("--socketio", httpURL(peer),
                          stdin: "chat {\"a\":1}\nhello world\nchat 1 \"two\" [3]\n\"chat\"\n")
        assertExitStatus(run, 0)
        // The event without arguments prints quoted, as it was typed, so it reads back the same.
        assertStdout(run, "chat {\"a\":1}\nmessage \"hello world\"\nchat 1 \"two\" [3]\n\"chat\"\n")
        XCTAssertTrue(run.stderr.contains("socket.io: joined namespace /"), run.summary)
    }

    func testAckReplyIsPrintedWithItsID() throws {
        let peer = try startServer("socketio_server.py")
        let run = try wsc("--socketio", "--ack", "-x", "ask 1 \"x\"", "-x", "ask {\"b\":[true,null]}", peer.url)
        assertExitStatus(run, 0)
        assertStdout(run, "ack 1: \"answer\" 1 \"x\"\nack 2: \"answer\" {\"b\":[true,null]}\n")
    }

    func testNamespaceFromTheURLPathWithAuth() throws {
        let peer = try startServer("socketio_server.py")
        let run = try wsc("--socketio", "--socketio-auth", "{\"token\":\"secret\"}", "-x", "\"whoami\"",
                          httpURL(peer, "/admin"))
        assertExitStatus(run, 0)
        assertStdout(run, "you {\"namespace\":\"/admin\",\"token\":\"secret\"}\n")
        XCTAssertTrue(run.stderr.contains("socket.io: joined namespace /admin"), run.summary)
    }

    func testBadTokenIsAConnectErrorAndExits5() throws {
        let peer = try startServer("socketio_server.py")
        let run = try wsc("--socketio", "--namespace", "admin", "--socketio-auth", "{\"token\":\"wrong\"}",
                          "-x", "\"whoami\"", httpURL(peer))
        assertExitStatus(run, 5)
        assertStdout(run, "")
        assertErrorLine(run, containing: "namespace /admin refused the connection: not authorized")
    }

    func testServerSideDisconnectEndsTheSessionCleanly() throws {
        let peer = try startServer("socketio_server.py")
        let run = try wsc("--socketio", "-x", "\"bye\"", "-w", "10", httpURL(peer))
        assertExitStatus(run, 0)
        assertStdout(run, "")
        XCTAssertTrue(run.stderr.contains("socket.io: the server disconnected us from namespace /"), run.summary)
        XCTAssertLessThan(run.elapsed, 5, "the disconnect ends the -w wait\n\(run.summary)")
    }

    func testCustomEngineIOPath() throws {
        let peer = try startServer("socketio_server.py", "--path", "realtime")
        let run = try wsc("--socketio", "--socketio-path", "/realtime/", "-x", "chat \"hi\"", peer.url)
        assertExitStatus(run, 0)
        assertStdout(run, "chat \"hi\"\n")
    }

    func testManyEventsArriveInOrder() throws {
        let peer = try startServer("socketio_server.py")
        let run = try wsc("--socketio", "-x", "count 200", peer.url)
        assertExitStatus(run, 0)
        assertStdout(run, (1...200).map { "n \($0)\n" }.joined() + "\"done\"\n")
    }

    func testEngineIOPingsAreAnswered() throws {
        let peer = try startServer("socketio_fake.py", "pinging")
        let run = try wsc("--socketio", "-x", "\"x\"", "-w", "3", peer.url)
        assertExitStatus(run, 0)
        assertStdout(run, "pongs 3\n")
    }

    func testSilentServerIsDeadAfterPingIntervalPlusTimeout() throws {
        let peer = try startServer("socketio_fake.py", "silent")
        let run = try wsc("--socketio", "-w", "10", "-x", "\"x\"", peer.url)
        assertExitStatus(run, 7)
        assertErrorLine(run, containing: "no Engine.IO ping within 0.5 s")
        XCTAssertLessThan(run.elapsed, 3, run.summary)
    }

    func testReconnectRepeatsTheHandshake() throws {
        let report = try reportPath()
        let peer = try startServer("socketio_fake.py", "silent", "--report", report)
        let run = try wsc("--socketio", "-r", "--reconnect-delay", "0.05", "--reconnect-attempts", "1",
                          "-x", "\"x\"", "-w", "10", peer.url)
        assertExitStatus(run, 7)
        XCTAssertTrue(run.stderr.contains("reconnected to"), run.summary)
        XCTAssertEqual(run.stderr.components(separatedBy: "socket.io: joined namespace /").count - 1, 2, run.summary)
        XCTAssertEqual(waitForFile(report)?.split(separator: "\n").first, "connections=2 connects=2")
    }

    // MARK: - The server's requests for an acknowledgement

    /// The server `call()`s the client; the line `ack 1 ...` answers, written once the
    /// question was shown (a shell pipeline paces stdin).
    func testServerCallIsAnsweredByAnAckLine() throws {
        let peer = try startServer("socketio_server.py")
        let command = #"(echo 'callme 7'; sleep 1; echo 'ack 1 {"ok":1} "x"'; sleep 1) | "$0" --socketio "$1""#
        let outcome = try ChildProcess.run(executable: "/bin/sh",
                                           arguments: ["-c", command, PackagePaths.wscBinary, httpURL(peer)],
                                           stdin: [], timeout: 20)
        let stderr = String(decoding: outcome.stderr, as: UTF8.self)
        XCTAssertEqual(outcome.status, 0, stderr)
        XCTAssertEqual(String(decoding: outcome.stdout, as: UTF8.self),
                       "question {\"q\":7} [ack 1]\nanswered [{\"ok\":1},\"x\"]\n", stderr)
        XCTAssertTrue(stderr.contains("answer with 'ack 1 JSON...'"), stderr)
    }

    func testAutoAckAnswersTheServersCallAtOnce() throws {
        let peer = try startServer("socketio_server.py")
        let run = try wsc("--socketio", "--auto-ack", "-x", "callme 5", "-w", "1", httpURL(peer))
        assertExitStatus(run, 0)
        assertStdout(run, "question {\"q\":5} [ack 1]\nanswered []\n")
    }

    func testAnsweringARequestNeverMadeIsAnInputError() throws {
        let peer = try startServer("socketio_server.py")
        let run = try wsc("--socketio", "-x", "ack 4 1", httpURL(peer))
        assertExitStatus(run, 9)
        assertErrorLine(run, containing: "the server has not asked for acknowledgement 4")
    }

    // MARK: - Binary attachments

    func testReceivedAttachmentsAreShownInPlaceAsHexOrBase64() throws {
        let peer = try startServer("socketio_server.py")
        let hex = try wsc("--socketio", "-x", "\"sendbin\"", httpURL(peer))
        assertExitStatus(hex, 0)
        assertStdout(hex, "bin {\"$hex\":\"000102ff\"} {\"n\":1}\n")
        let base64 = try wsc("--socketio", "--binary-format", "base64", "-x", "\"sendbin\"", httpURL(peer))
        assertExitStatus(base64, 0)
        assertStdout(base64, "bin {\"$binary\":\"AAEC/w==\"} {\"n\":1}\n")
    }

    /// Both markers go out as real attachments (the server sees bytes), and the server's
    /// BINARY_ACK comes back in the same form.
    func testMarkedArgumentsAreSentAsBinaryAttachments() throws {
        let peer = try startServer("socketio_server.py")
        let run = try wsc("--socketio", "--ack", "-x", #"echobin {"$hex":"00ff"} 1 {"$binary":"AAEC/w=="}"#, httpURL(peer))
        assertExitStatus(run, 0)
        assertStdout(run, #"gotbin [["bytes","00ff"],["json",1],["bytes","000102ff"]]"# + "\n"
                     + #"ack 1: {"$hex":"00ff"} 1 {"$hex":"000102ff"}"# + "\n")
    }

    func testJSONLinesRecordTheAttachmentsBothWays() throws {
        let peer = try startServer("socketio_server.py")
        let run = try wsc("--socketio", "--jsonl", "-x", #"echobin {"$hex":"0a0b"}"#, "-x", "\"sendbin\"", httpURL(peer))
        assertExitStatus(run, 0)
        let records = run.stdoutText.split(separator: "\n")
        XCTAssertTrue(records.contains { $0.contains(#""direction":"out","kind":"text""#) && $0.contains(#"451-[\"echobin\",{\"_placeholder\":true,\"num\":0}]"#) },
                      run.summary)
        XCTAssertTrue(records.contains { $0.contains(#""direction":"out","kind":"binary","length":2"#) }, run.summary)
        XCTAssertTrue(records.contains { $0.contains(#""direction":"in","kind":"binary","length":4"#) }, run.summary)
    }

    func testBadBinaryMarkerIsAnInputError() throws {
        let peer = try startServer("socketio_server.py")
        let run = try wsc("--socketio", "-x", #"echobin {"$hex":"0g"}"#, httpURL(peer))
        assertExitStatus(run, 9)
        assertErrorLine(run, containing: "is not hex bytes")
    }

    func testSocketIOOptionsAreCheckedBeforeConnecting() throws {
        let needs = try wsc("--ack", "ws://127.0.0.1:1/")
        assertExitStatus(needs, 2)
        assertErrorLine(needs, containing: "--ack needs --socketio")
        let badAuth = try wsc("--socketio", "--socketio-auth", "token", "ws://127.0.0.1:1/")
        assertExitStatus(badAuth, 2)
        assertErrorLine(badAuth, containing: "--socketio-auth <json>': not valid JSON")
        let notObject = try wsc("--socketio", "--socketio-auth", "[1]", "ws://127.0.0.1:1/")
        assertExitStatus(notObject, 2)
        let binary = try wsc("--socketio", "-b", "ws://127.0.0.1:1/")
        assertExitStatus(binary, 2)
        let autoAck = try wsc("--auto-ack", "ws://127.0.0.1:1/")
        assertExitStatus(autoAck, 2)
        assertErrorLine(autoAck, containing: "--auto-ack needs --socketio")
    }
}

/// -r with --socketio: what was kept from a lost connection waits for the namespace.
final class SocketIOReconnectTests: EndToEndTestCase {
    func testLinesKeptAcrossAReconnectAreSentOnlyAfterTheNamespaceIsJoinedAgain() throws {
        let report = try reportPath()
        let peer = try startServer("socketio_fake.py", "drop", "--report", report)
        let producer = PackagePaths.root + "/Tests/EndToEndTests/Servers/slow_lines.py"
        let command = "\"$0\" \"$1\" 20 4 0.3 | \"$2\" --socketio -r --reconnect-delay 0.05 -w 1 \"$3\""
        let outcome = try ChildProcess.run(
            executable: "/bin/sh",
            arguments: ["-c", command, PackagePaths.python, producer, PackagePaths.wscBinary, peer.url],
            stdin: [], timeout: 30)
        let stderr = String(decoding: outcome.stderr, as: UTF8.self)
        XCTAssertEqual(outcome.status, 0, stderr)
        XCTAssertTrue(stderr.contains("reconnected to"), stderr)
        var lines: [Substring] = []
        let deadline = Date().addingTimeInterval(5)
        repeat {
            lines = (waitForFile(report) ?? "").split(separator: "\n")
            if lines.count == 3, lines[2].contains("\"20\"") { break }
            usleep(50_000)
        } while Date() < deadline
        XCTAssertEqual(lines.first, "connections=2 connects=2", "\(lines)\n\(stderr)")
        guard lines.count == 3 else { return XCTFail("\(lines)\n\(stderr)") }
        let second = lines[2].split(separator: " ")
        XCTAssertEqual(second.first, "40", "CONNECT comes first on the new connection: \(lines[2])")
        XCTAssertFalse(lines[2].contains("!"), "nothing before the namespace's answer: \(lines[2])")
        // The events of both connections, in order, ending with the last line.
        let numbers = (lines[1] + " " + lines[2]).split(separator: " ").compactMap { packet -> Int? in
            guard packet.hasPrefix("42[\"message\",\"") else { return nil }
            return Int(packet.dropFirst("42[\"message\",\"".count).dropLast(2))
        }
        XCTAssertEqual(numbers.last, 20, "\(lines)")
        XCTAssertEqual(numbers, numbers.sorted(), "\(lines)")
        XCTAssertEqual(Set(numbers).count, numbers.count, "no line sent twice: \(lines)")
    }

    /// -x is the preamble: emitted again once the namespace is joined on the new connection,
    /// exactly once there; --jsonl records the Engine.IO packets that went out and came in.
    func testPreambleIsEmittedAgainAfterTheRejoinAndRecordedAsPackets() throws {
        let report = try reportPath()
        let peer = try startServer("socketio_fake.py", "drop", "--report", report)
        let run = try wsc("--socketio", "--jsonl", "-r", "--reconnect-delay", "0.05", "-x", "chat 1", "-w", "1.5", peer.url)
        assertExitStatus(run, 0)
        var lines: [Substring] = []
        let deadline = Date().addingTimeInterval(5)
        repeat {
            lines = (waitForFile(report) ?? "").split(separator: "\n")
            if lines.count == 3, lines[2].hasSuffix("41") { break }
            usleep(50_000)
        } while Date() < deadline
        XCTAssertEqual(lines.map(String.init), ["connections=2 connects=2", "40 42[\"chat\",1]", "40 42[\"chat\",1] 41"],
                       run.summary)
        let outgoing = run.stdoutText.split(separator: "\n").filter { $0.contains(#""direction":"out""#) }
        XCTAssertEqual(outgoing.filter { $0.contains(#""data":"42[\"chat\",1]""#) }.count, 2, run.summary)
        XCTAssertEqual(outgoing.filter { $0.contains(#""data":"40""#) }.count, 2, run.summary)
        XCTAssertFalse(run.stdoutText.contains("chat 1\n"), "with --jsonl the records are the output\n\(run.summary)")
    }
}

/// The transports: python-socketio allowing WebSocket only, polling only, or both (its default:
/// polling, then the upgrade), and one that offers the upgrade but refuses the WebSocket.
final class SocketIOTransportTests: EndToEndTestCase {
    /// The chat event, a binary event, binary sent, and the server's call() answered.
    private func exchange(_ peer: TestServer, _ flags: [String] = []) throws -> WscRun {
        let arguments = ["--socketio", "--auto-ack"] + flags
            + ["-x", "chat {\"a\":1}", "-x", "\"sendbin\"", "-x", #"echobin {"$hex":"0aff"}"#, "-x", "callme 2",
               "-w", "1.5", "http://127.0.0.1:\(peer.port)"]
        return try WscRun.run(arguments, stdin: .empty, keepStdinOpen: false, interruptAfter: nil, timeout: 20)
    }

    private let expected = "chat {\"a\":1}\nbin {\"$hex\":\"000102ff\"} {\"n\":1}\n"
        + #"gotbin [["bytes","0aff"]]"# + "\nquestion {\"q\":2} [ack 1]\nanswered []\n"

    func testAutoAgainstAPollingOnlyServerStaysOnPolling() throws {
        let peer = try startServer("socketio_server.py", "--transports", "polling")
        let run = try exchange(peer)
        assertExitStatus(run, 0)
        assertStdout(run, expected)
        XCTAssertTrue(run.stderr.contains("engine.io: transport polling"), run.summary)
        XCTAssertTrue(run.stderr.contains("the WebSocket upgrade failed"), run.summary)
    }

    func testAutoAgainstTheDefaultServerUpgradesToWebSocket() throws {
        let peer = try startServer("socketio_server.py", "--transports", "both")
        let run = try exchange(peer)
        assertExitStatus(run, 0)
        assertStdout(run, expected)
        XCTAssertTrue(run.stderr.contains("engine.io: transport polling (HTTP long-polling); probing a WebSocket upgrade"), run.summary)
        XCTAssertTrue(run.stderr.contains("engine.io: upgraded to WebSocket"), run.summary)
        XCTAssertTrue(run.stderr.contains("closed (1000 normal closure)"), "the close went over the WebSocket\n\(run.summary)")
    }

    func testAutoAgainstAWebSocketOnlyServerGoesStraightToWebSocket() throws {
        let peer = try startServer("socketio_server.py", "--transports", "websocket")
        let run = try exchange(peer)
        assertExitStatus(run, 0)
        assertStdout(run, expected)
        XCTAssertTrue(run.stderr.contains("polling failed (HTTP/1.1 400 Bad Request"), run.summary)
        XCTAssertTrue(run.stderr.contains("connecting over WebSocket"), run.summary)
    }

    /// The server offers the upgrade, then refuses the WebSocket (403): polling goes on, and
    /// nothing sent meanwhile is lost.
    func testRefusedUpgradeFallsBackToPolling() throws {
        let peer = try startServer("socketio_server.py", "--transports", "both", "--refuse-websocket")
        let run = try exchange(peer, ["--binary-format", "base64"])
        assertExitStatus(run, 0)
        assertStdout(run, expected.replacingOccurrences(of: #"{"$hex":"000102ff"}"#, with: #"{"$binary":"AAEC/w=="}"#))
        XCTAssertTrue(run.stderr.contains("the WebSocket upgrade failed (handshake rejected: 403 Forbidden"), run.summary)
        XCTAssertFalse(run.stderr.contains("upgraded to WebSocket"), run.summary)
    }

    func testExplicitTransportsUseOnlyThatTransport() throws {
        let both = try startServer("socketio_server.py", "--transports", "both")
        let polling = try exchange(both, ["--socketio-transport", "polling"])
        assertExitStatus(polling, 0)
        assertStdout(polling, expected)
        XCTAssertFalse(polling.stderr.contains("probing"), polling.summary)
        XCTAssertFalse(polling.stderr.contains("upgraded"), polling.summary)
        let websocket = try exchange(both, ["--socketio-transport", "websocket"])
        assertExitStatus(websocket, 0)
        assertStdout(websocket, expected)
        XCTAssertTrue(websocket.stderr.contains("transport=websocket"), websocket.summary)
        let pollingOnly = try startServer("socketio_server.py", "--transports", "polling")
        let refused = try wsc("--socketio", "--socketio-transport", "websocket", "-x", "chat 1", "http://127.0.0.1:\(pollingOnly.port)")
        assertExitStatus(refused, 5)
    }

    /// Behind a load balancer with sticky sessions: the cookie set on the handshake goes back
    /// with every poll, every POST and the upgrade request (the server refuses them without it).
    func testTheServersCookieKeepsTheSessionSticky() throws {
        let peer = try startServer("socketio_server.py", "--transports", "both", "--sticky-cookie")
        let run = try exchange(peer)
        assertExitStatus(run, 0)
        assertStdout(run, expected)
        XCTAssertTrue(run.stderr.contains("engine.io: upgraded to WebSocket"), run.summary)
    }

    /// Lines written while the polling session is down wait, and go out in order once the
    /// namespace is joined on the new session. "chat 1" gets 0.3 s to come back before the drop:
    /// sent in one POST with it, python-socketio may run the drop handler first and lose the
    /// echo with the session, as a restarting server would (seen once in a full run).
    func testLinesWrittenWhileReconnectingArePostedAfterTheRejoin() throws {
        let peer = try startServer("socketio_server.py", "--transports", "polling")
        let command = #"(echo 'chat 1'; sleep 0.3; echo '"drop"'; sleep 0.4; echo 'chat 2'; echo 'chat 3'; sleep 2) | "$0" --socketio --socketio-transport polling -r --reconnect-delay 1 "$1""#
        let outcome = try ChildProcess.run(executable: "/bin/sh",
                                           arguments: ["-c", command, PackagePaths.wscBinary, "http://127.0.0.1:\(peer.port)"],
                                           stdin: [], timeout: 20)
        let stderr = String(decoding: outcome.stderr, as: UTF8.self)
        XCTAssertEqual(outcome.status, 0, stderr)
        XCTAssertEqual(String(decoding: outcome.stdout, as: UTF8.self), "chat 1\nchat 2\nchat 3\n", stderr)
        XCTAssertTrue(stderr.contains("reconnected to"), stderr)
        // Both lines were written during the 1 s reconnect delay.
        XCTAssertTrue(stderr.contains("reconnecting in"), stderr)
    }

    /// -r over polling: the server forgets the session (a restart); wsc reconnects, joins again
    /// and emits the -x preamble again.
    func testReconnectOverPolling() throws {
        let peer = try startServer("socketio_server.py", "--transports", "polling")
        let run = try wsc("--socketio", "--socketio-transport", "polling", "-r", "--reconnect-delay", "0.05",
                          "-x", "chat \"a\"", "-x", "\"drop\"", "-x", "chat \"b\"", "-w", "2", "http://127.0.0.1:\(peer.port)")
        assertExitStatus(run, 0)
        XCTAssertTrue(run.stderr.contains("reconnected to"), run.summary)
        XCTAssertEqual(run.stderr.components(separatedBy: "socket.io: joined namespace /").count - 1, 2, run.summary)
        XCTAssertTrue(run.stdoutText.hasSuffix("chat \"a\"\nchat \"b\"\n"), run.summary)
    }
}

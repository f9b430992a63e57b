import Foundation
import XCTest

/// Listen mode (`wsc -l PORT`) against real clients: python-websockets' client, and raw sockets
/// for requests a real client would not send. wsc listens on 127.0.0.1 port 0 and the tests read
/// the port from its `listening on ws://127.0.0.1:PORT/` status line.
final class ListenModeTests: EndToEndTestCase {
    private var children: [ListenTestChild] = []

    override func tearDown() {
        let failed = (testRun?.totalFailureCount ?? 0) > 0
        for child in children {
            child.stop()
            if failed {
                print("--- \(child.name) stdout ---\n\(child.stdout)\n--- \(child.name) stderr ---\n\(child.stderr)")
            }
        }
        children.removeAll()
        super.tearDown()
    }

    // MARK: - Tests

    func testPrintsWhatAClientSendsAndSendsItStdinLinesTypedBeforeItConnected() throws {
        let server = try startListening("-l", "0")
        // Written before any client exists: the line waits for one instead of being dropped.
        server.write("typed before the client came\n")
        let client = try startPython(Self.sendThenReceiveOne, server.url, "hello from python")

        XCTAssertEqual(client.waitForExit(timeout: 20), 0, "the python client failed")
        XCTAssertEqual(client.stdout, "received: typed before the client came\n")
        XCTAssertTrue(server.waitForStdout("[1] hello from python\n"), "wsc did not print the client's message")
        XCTAssertTrue(server.waitForStderr("client 1 connected from 127.0.0.1:"))
        XCTAssertTrue(server.waitForStderr("client 1 closed the connection (1000 normal closure)"))

        server.interrupt()
        XCTAssertEqual(server.waitForExit(timeout: 10), 0)
        XCTAssertEqual(server.stdout, "[1] hello from python\n", "stdout must carry messages only")
    }

    func testEchoServerSendsEveryMessageBackToItsOwnSenderAndOutlivesStdin() throws {
        let server = try startListening("-l", "0", "--echo", closeStdin: true)
        let client = try startPython(Self.twoEchoClients, server.url)

        XCTAssertEqual(client.waitForExit(timeout: 20), 0, "the python clients failed")
        XCTAssertEqual(Set(client.stdout.split(separator: "\n")), ["A ok", "B ok"])
        // Both clients' messages are printed, text as lines and binary as a hex line (stdout is a
        // file), each labelled with its client: A's three under one number, B's under the other.
        let printed = server.stdout.split(separator: "\n").map(String.init)
        let byClient = Dictionary(grouping: printed) { String($0.prefix(4)) }
        XCTAssertEqual(Set(byClient.keys), ["[1] ", "[2] "], server.stdout)
        let contents = byClient.values.map { Set($0.map { String($0.dropFirst(4)) }) }
        XCTAssertEqual(Set(contents), [["A says 1", "0001ff", "A says 2"], ["B says 1", "0001ff", "B says 2"]])
        XCTAssertTrue(server.stderr.contains("end of stdin; still serving"), server.stderr)

        server.interrupt()
        XCTAssertEqual(server.waitForExit(timeout: 10), 0)
    }

    func testAPlainHTTPRequestGetsA400WithTheReasonAndTheServerCarriesOn() throws {
        let server = try startListening("-l", "0", "--echo")
        let answer = try rawExchange(port: server.port, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        XCTAssertTrue(answer.hasPrefix("HTTP/1.1 400 Bad Request\r\n"), answer)
        XCTAssertTrue(answer.contains("Connection: close\r\n"), answer)
        XCTAssertTrue(answer.hasSuffix("this is a WebSocket endpoint; the request lacks 'Upgrade: websocket'\n"), answer)
        XCTAssertTrue(server.waitForStderr("client 1 from 127.0.0.1:"))
        XCTAssertTrue(server.waitForStderr("rejected with 400"))

        // Garbage that is not HTTP at all is refused the same way.
        let garbage = try rawExchange(port: server.port, "\u{16}\u{03}\u{01}hello\r\n\r\n")
        XCTAssertTrue(garbage.hasPrefix("HTTP/1.1 400 Bad Request\r\n"), garbage)

        // The server is still up and serves a real client.
        let client = try startPython(Self.sendThenReceiveOne, server.url, "still there?")
        XCTAssertEqual(client.waitForExit(timeout: 20), 0)
        XCTAssertEqual(client.stdout, "received: still there?\n")

        server.interrupt()
        XCTAssertEqual(server.waitForExit(timeout: 10), 0)
    }

    func testAnUnsupportedWebSocketVersionGets426NamingVersion13() throws {
        let server = try startListening("-l", "0")
        let answer = try rawExchange(port: server.port, """
            GET /chat HTTP/1.1\r
            Host: 127.0.0.1\r
            Upgrade: websocket\r
            Connection: Upgrade\r
            Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r
            Sec-WebSocket-Version: 8\r
            \r

            """)
        XCTAssertTrue(answer.hasPrefix("HTTP/1.1 426 Upgrade Required\r\n"), answer)
        XCTAssertTrue(answer.contains("Sec-WebSocket-Version: 13\r\n"), answer)
        server.interrupt()
        XCTAssertEqual(server.waitForExit(timeout: 10), 0)
    }

    func testCtrlCClosesEveryClientWith1001AndExitsZero() throws {
        let server = try startListening("-l", "0", "--close-timeout", "3")
        let clients = try startPython(Self.twoClientsAwaitingClose, server.url)
        XCTAssertTrue(server.waitForStderr("client 2 connected from 127.0.0.1:"), "the clients did not connect")

        let interruptedAt = ContinuousClock.now
        server.interrupt()
        XCTAssertEqual(server.waitForExit(timeout: 10), 0, "Ctrl-C in listen mode is a clean stop")
        XCTAssertLessThan((ContinuousClock.now - interruptedAt).seconds, 3, "the clients answered at once")
        XCTAssertEqual(clients.waitForExit(timeout: 10), 0)
        XCTAssertEqual(clients.stdout, "A closed 1001 server shutting down\nB closed 1001 server shutting down\n")
        XCTAssertTrue(server.stderr.contains("shutting down: closing 2 connections"), server.stderr)
        XCTAssertTrue(server.stderr.contains("closed client 1 (1001 going away \"server shutting down\")"), server.stderr)
    }

    func testCtrlCWaitsForAClientThatNeverAnswersOnlyUntilTheCloseTimeout() throws {
        let server = try startListening("-l", "0", "--close-timeout", "1")
        let client = try startPython(Self.silentRawClient, String(server.port))
        XCTAssertTrue(server.waitForStderr("client 1 connected"))
        let interruptedAt = ContinuousClock.now
        server.interrupt()
        XCTAssertEqual(server.waitForExit(timeout: 10), 0)
        let elapsed = (ContinuousClock.now - interruptedAt).seconds
        XCTAssertGreaterThan(elapsed, 0.8)
        XCTAssertLessThan(elapsed, 4)
        XCTAssertTrue(server.stderr.contains("client 1 did not answer the close frame within 1 s"), server.stderr)
        client.stop()
    }

    /// A client that sends its last messages and its close in one burst gets every echo, then
    /// the close: the server answers what it read before the close frame first.
    func testEchoServerAnswersEveryMessageThatArrivedWithTheClientsClose() throws {
        let server = try startListening("-l", "0", "--echo", closeStdin: true)
        let lines = (1...100_000).map { "\($0)\n" }.joined()
        let run = try wsc("-w", "0", server.url, stdin: StandardInput(Array(lines.utf8)), timeout: 60)
        assertExitStatus(run, 0)
        let echoes = run.stdoutText.split(separator: "\n")
        XCTAssertEqual(echoes.count, 100_000, "echoes lost\n\(run.errorLines)")
        XCTAssertTrue(echoes.elementsEqual((1...100_000).map { Substring(String($0)) }), "echoes out of order")
        server.interrupt()
        XCTAssertEqual(server.waitForExit(timeout: 10), 0)
    }

    /// permessage-deflate is negotiated as a server, with the four RFC 7692 parameters the
    /// client asks for, and messages go both ways compressed.
    func testEchoServerNegotiatesPermessageDeflateWithTheClientsParameters() throws {
        let server = try startListening("-l", "0", "--echo", closeStdin: true)
        let client = try startPython(Self.compressedEchoClient, server.url, "all")
        XCTAssertEqual(client.waitForExit(timeout: 20), 0, "the python client failed: \(client.stderr)")
        XCTAssertEqual(client.stdout, """
            extensions: permessage-deflate; server_no_context_takeover; client_no_context_takeover; \
            server_max_window_bits=10; client_max_window_bits=12
            echoed 3 compressed messages

            """)
        server.interrupt()
        XCTAssertEqual(server.waitForExit(timeout: 10), 0)
    }

    func testEchoServerAcceptsAPlainPermessageDeflateOffer() throws {
        let server = try startListening("-l", "0", "--echo", closeStdin: true)
        let client = try startPython(Self.compressedEchoClient, server.url, "plain")
        XCTAssertEqual(client.waitForExit(timeout: 20), 0, "the python client failed: \(client.stderr)")
        XCTAssertEqual(client.stdout, "extensions: permessage-deflate\nechoed 3 compressed messages\n")
        server.interrupt()
        XCTAssertEqual(server.waitForExit(timeout: 10), 0)
    }

    func testNoCompressionDeclinesPermessageDeflateInListenMode() throws {
        let server = try startListening("-l", "0", "--echo", "--no-compression", closeStdin: true)
        let client = try startPython(Self.compressedEchoClient, server.url, "plain")
        XCTAssertEqual(client.waitForExit(timeout: 20), 0, "the python client failed: \(client.stderr)")
        XCTAssertEqual(client.stdout, "extensions: none\nechoed 3 uncompressed messages\n")
        server.interrupt()
        XCTAssertEqual(server.waitForExit(timeout: 10), 0)
    }

    /// Clients that flood pings and never read: each keeps one unwritten pong at most.
    func testClientsFloodingPingsWithoutReadingCannotGrowMemory() throws {
        let server = try startListening("-l", "0")
        let flood = try ListenTestChild(
            name: "ping flood", executable: PackagePaths.python,
            arguments: [PackagePaths.servers + "/ping_flood.py", "connect", String(server.port),
                        "--pings", "400000", "--connections", "2"],
            directory: try temporaryDirectory())
        children.append(flood)
        flood.closeStdin()
        XCTAssertEqual(flood.waitForExit(timeout: 60), 0, "the flooding clients failed: \(flood.stderr)")
        XCTAssertEqual(flood.stdout, "sent 401408\nsent 401408\n")
        // Both floods were read to their end: each client's end is reported after its pings
        // (listening, two connected, two ended).
        XCTAssertTrue(server.waitForStderrLines(5, timeout: 30), server.stderr)
        let peak = try XCTUnwrap(server.peakResidentKiB, "no VmHWM for wsc")
        print("peak RSS of wsc -l under two floods of 400,000 pings: \(peak) KiB")
        XCTAssertLessThan(peak, 50 * 1024, "wsc kept the pongs it could not write")
        server.interrupt()
        XCTAssertEqual(server.waitForExit(timeout: 10), 0)
    }

    /// stdout that cannot be written stops the server as Ctrl-C does, but exits 1: it would
    /// otherwise read and discard what every client sends.
    func testAFailedStdoutWriteClosesEveryClientWith1001AndExits1() throws {
        let server = try startListening("-l", "0", stdout: "/dev/full")
        let client = try startPython(Self.sendOneThenAwaitClose, server.url, "hello")
        XCTAssertEqual(server.waitForExit(timeout: 10), 1, server.stderr)
        XCTAssertEqual(client.waitForExit(timeout: 10), 0, client.stderr)
        XCTAssertEqual(client.stdout, "closed 1001 server shutting down\n")
        XCTAssertTrue(server.stderr.contains("wsc: cannot write output: No space left on device"), server.stderr)
    }

    /// A flooding client and a stdout nobody reads (a FIFO held open, never read): wsc stops
    /// reading the client, its memory stays bounded, and Ctrl-C still stops it at once.
    func testABlockedStdoutHoldsClientsBackAndCtrlCStillStops() throws {
        let flood = try floodWithStdoutBlocked()
        defer { _ = close(flood.heldOpen) }
        print("peak RSS of wsc -l with a blocked stdout under a flooding client: \(flood.peakKiB) KiB")
        XCTAssertLessThan(flood.peakKiB, 50 * 1024)
        let interruptedAt = ContinuousClock.now
        flood.server.interrupt()
        XCTAssertEqual(flood.server.waitForExit(timeout: 10), 0, flood.server.stderr)
        XCTAssertLessThan((ContinuousClock.now - interruptedAt).seconds, 3, "Ctrl-C waited for the reader")
        XCTAssertEqual(flood.client.waitForExit(timeout: 10), 0, flood.client.stderr)
        XCTAssertEqual(flood.client.stdout, "closed 1001\n")
    }

    /// The same with --exec and --jsonl: messages go to each client's command, but their
    /// records still go to stdout, so a blocked stdout must hold the clients back too.
    func testABlockedStdoutHoldsClientsBackWithExecAndJSONL() throws {
        let flood = try floodWithStdoutBlocked("--jsonl", "--exec", "cat > /dev/null")
        defer { _ = close(flood.heldOpen) }
        print("peak RSS of wsc -l --exec --jsonl with a blocked stdout under a flooding client: \(flood.peakKiB) KiB")
        // Held back, it stays near the plain case's ~23 MB; read on, it passed 54 MB in the 2 s.
        XCTAssertLessThan(flood.peakKiB, 35 * 1024)
        flood.server.interrupt()
        XCTAssertEqual(flood.server.waitForExit(timeout: 10), 0, flood.server.stderr)
        XCTAssertEqual(flood.client.waitForExit(timeout: 10), 0, flood.client.stderr)
    }

    /// `wsc -l 0 --close-timeout 2 ARGUMENTS` with stdout a FIFO whose reader (`heldOpen`, for
    /// the caller to close) never reads, after 2 s of a client flooding it; wsc's peak RSS then.
    private func floodWithStdoutBlocked(_ arguments: String...) throws
        -> (server: ListenTestChild, client: ListenTestChild, peakKiB: Int, heldOpen: Int32) {
        let fifo = try temporaryDirectory() + "/stdout.fifo"
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let heldOpen = open(fifo, O_RDWR | O_NONBLOCK | O_CLOEXEC)
        XCTAssertGreaterThanOrEqual(heldOpen, 0)
        let server = try ListenTestChild(name: "wsc", executable: PackagePaths.wscBinary,
                                         arguments: ["-l", "0", "--close-timeout", "2"] + arguments,
                                         directory: try temporaryDirectory(), stdout: fifo)
        children.append(server)
        try server.readListeningLine()
        let client = try startPython(Self.floodUntilClosed, server.url)
        XCTAssertTrue(server.waitForStderr("client 1 connected"))
        usleep(2_000_000)
        let peak = try XCTUnwrap(server.peakResidentKiB, "no VmHWM for wsc")
        return (server, client, peak, heldOpen)
    }

    func testAPortInUseExitsWithStatus3() throws {
        let first = try startListening("-l", "0")
        let run = try wsc("-l", String(first.port))
        assertExitStatus(run, 3)
        assertErrorLine(run, containing: "cannot listen on 127.0.0.1:\(first.port): Address already in use")
    }

    func testClientOnlyOptionsAndBadPortsAreUsageErrors() throws {
        for arguments in [["-l", "0", "-x", "hi"], ["-l", "0", "ws://127.0.0.1:1/"], ["-l", "70000"],
                          ["--host", "127.0.0.1", "ws://127.0.0.1:1/"], ["-l", "0", "--demo"], ["--demo", "--echo"]] {
            let run = try WscRun.run(arguments, timeout: 10)
            assertExitStatus(run, 2)
            assertErrorLine(run)
        }
    }

    func testOutputOptionsAreHonouredAndEveryLineIsLabelled() throws {
        let server = try startListening("-l", "0", "--echo", "--timestamps", "--binary-format", "base64", closeStdin: true)
        let client = try startPython(Self.twoEchoClients, server.url)
        XCTAssertEqual(client.waitForExit(timeout: 20), 0, "the python clients failed")
        server.interrupt()
        XCTAssertEqual(server.waitForExit(timeout: 10), 0)
        let printed = server.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(printed.count, 6, server.stdout)
        let labelled = try Regex(#"^\d\d:\d\d:\d\d\.\d{3} \[[12]\] (A says [12]|B says [12]|AAH/)$"#)
        for line in printed {
            XCTAssertNotNil(line.wholeMatch(of: labelled), "not a timestamped, labelled line: \(line)")
        }
        XCTAssertEqual(printed.filter { $0.hasSuffix("] AAH/") }.count, 2, "binary is not shown as base64")

        let pretty = try startListening("-l", "0", "--pretty")
        let sender = try startPython(Self.sendThenReceiveOne, pretty.url, #"{"a":[1,2]}"#)
        XCTAssertTrue(pretty.waitForStdout("[1] }\n"), pretty.stdout)
        pretty.write("ok\n")
        XCTAssertEqual(sender.waitForExit(timeout: 20), 0)
        pretty.interrupt()
        XCTAssertEqual(pretty.waitForExit(timeout: 10), 0)
        XCTAssertEqual(pretty.stdout, "[1] {\n[1]   \"a\": [\n[1]     1,\n[1]     2\n[1]   ]\n[1] }\n")
    }

    func testJSONLinesInListenModeCarryTheClient() throws {
        let transcript = try temporaryDirectory() + "/listen.jsonl"
        let server = try startListening("-l", "0", "--jsonl", "--transcript", transcript)
        server.write("to everyone\n")
        let client = try startPython(Self.sendThenReceiveOne, server.url, "hello")
        XCTAssertEqual(client.waitForExit(timeout: 20), 0, "the python client failed")
        XCTAssertEqual(client.stdout, "received: to everyone\n")
        XCTAssertTrue(server.waitForStderr("client 1 closed the connection"))
        server.interrupt()
        XCTAssertEqual(server.waitForExit(timeout: 10), 0)
        let records = try server.stdout.split(separator: "\n").map { line in
            try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], String(line))
        }
        let summary = records.map { "\($0["client"] ?? "-") \($0["direction"] ?? "") \($0["kind"] ?? "") \($0["data"] ?? $0["code"] ?? "")" }
        XCTAssertTrue(summary.contains("1 out text to everyone"), "\(summary)")
        XCTAssertTrue(summary.contains("1 in text hello"), "\(summary)")
        XCTAssertTrue(summary.contains("1 in close 1000"), "\(summary)")
        XCTAssertEqual(try String(contentsOfFile: transcript, encoding: .utf8), server.stdout)
    }

    /// As in client mode, a ping is recorded with the pong the connection answered it with.
    func testListenModeTranscriptRecordsTheAutomaticPong() throws {
        let transcript = try temporaryDirectory() + "/listen.jsonl"
        let server = try startListening("-l", "0", "-P", "--transcript", transcript, closeStdin: true)
        let client = try startPython(Self.pingThenClose, server.url, "knock")
        XCTAssertEqual(client.waitForExit(timeout: 20), 0, "the python client failed")
        XCTAssertTrue(server.waitForStderr("client 1 closed the connection"))
        server.interrupt()
        XCTAssertEqual(server.waitForExit(timeout: 10), 0)
        let records = try String(contentsOfFile: transcript, encoding: .utf8).split(separator: "\n")
            .map { $0.replacingOccurrences(of: #""time":"[^"]*","#, with: "", options: .regularExpression) }
        XCTAssertEqual(Array(records.prefix(2)), [
            #"{"client":1,"direction":"in","kind":"ping","length":5,"data":"a25vY2s="}"#,
            #"{"client":1,"direction":"out","kind":"pong","length":5,"data":"a25vY2s="}"#,
        ], records.joined(separator: "\n"))
    }

    /// Echoes and the server's own close (Ctrl-C: 1001 to every client) are recorded as they go
    /// out, like everything else a client is sent.
    func testJSONLinesRecordEchoesAndTheShutdownClose() throws {
        let server = try startListening("-l", "0", "--echo", "--jsonl", closeStdin: true)
        let client = try startPython(Self.sendThenWaitForClose, server.url, "hi")
        XCTAssertTrue(client.waitForStdout("received: hi\n"), client.stdout)
        server.interrupt()
        XCTAssertEqual(client.waitForExit(timeout: 20), 0, "the python client failed")
        XCTAssertEqual(client.stdout, "received: hi\nclosed 1001\n")
        XCTAssertEqual(server.waitForExit(timeout: 10), 0)
        let records = try server.stdout.split(separator: "\n").map { line in
            try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], String(line))
        }
        let summary = records.map { "\($0["client"] ?? "-") \($0["direction"] ?? "") \($0["kind"] ?? "") \($0["data"] ?? $0["code"] ?? "")" }
        XCTAssertEqual(summary, ["1 in text hi", "1 out text hi", "1 out close 1001", "1 in close 1001"])
        XCTAssertEqual(records[2]["reason"] as? String, "server shutting down")
    }

    func testOptionsListenModeDoesNotUseAreRefused() throws {
        for (option, extra) in [("--no-history", [String]()), ("--no-slash", []), ("--stats", []), ("--count", ["2"])] {
            let run = try wsc(["-l", "0", option] + extra)
            assertExitStatus(run, 2)
            assertErrorLine(run, containing: option)
        }
    }

    // MARK: - TLS (--cert, --key, --ca)

    /// `-l --cert --key` serves wss:// to python-websockets' TLS client; a client that connects
    /// and sends nothing (not even a ClientHello) is dropped at the handshake deadline and does
    /// not stop anyone else meanwhile; TLS 1.1 and plain ws:// are refused.
    func testServesWssToATLSClientAndDropsASilentOneAtTheHandshakeDeadline() throws {
        let certificate = try makeCertificate()
        let server = try startListening("-l", "0", "--echo", "--cert", certificate.certificatePath,
                                        "--key", certificate.keyPath, closeStdin: true)
        XCTAssertEqual(server.scheme, "wss", server.stderr)
        let silent = try startPython(Self.silentTCPClient, String(server.port))

        let client = try startPython(Self.tlsClient, server.url, "over TLS", certificate.certificatePath)
        XCTAssertEqual(client.waitForExit(timeout: 20), 0, "the TLS client failed: \(client.stdout)")
        XCTAssertEqual(client.stdout, "received: over TLS\n")
        XCTAssertTrue(server.waitForStderr("connected from 127.0.0.1:"), server.stderr)

        let old = try startPython(Self.tlsClient, server.url, "old", certificate.certificatePath, "", "", "TLSv1_1")
        XCTAssertEqual(old.waitForExit(timeout: 20), 3, "TLS 1.1 must be refused: \(old.stdout)")
        XCTAssertTrue(server.waitForStderr("unsupported protocol"), "the refusal came from the client: \(server.stderr)")
        let plain = try startPython(Self.sendThenReceiveOne, "ws://127.0.0.1:\(server.port)/", "plain")
        XCTAssertNotEqual(plain.waitForExit(timeout: 20), 0, "plain ws:// to a wss:// server must fail")
        XCTAssertTrue(server.waitForStderr("the client does not speak TLS"), server.stderr)

        // The silent client holds its slot only until the upgrade deadline (10 s).
        XCTAssertEqual(silent.waitForExit(timeout: 20), 0, "the silent client was never dropped")
        XCTAssertEqual(silent.stdout, "closed\n")
        XCTAssertTrue(server.stderr.contains("no complete upgrade request within 10 s; dropped"), server.stderr)
        XCTAssertNotNil(server.stdout.wholeMatch(of: /\[[12]\] over TLS\n/), server.stdout)
        server.interrupt()
        XCTAssertEqual(server.waitForExit(timeout: 10), 0)
    }

    /// `--ca` with -l: mutual TLS. A client without a certificate, or with one from another CA,
    /// is refused (and the server serves on); one with a certificate the CA issued gets its
    /// echo, and the connect line names its certificate's subject.
    func testWithCAOnlyClientsWithACertificateItIssuedAreServed() throws {
        let directory = try temporaryDirectory()
        let authority = try TLSAuthority.generate(in: directory)
        let serverCertificate = try authority.issueServerCertificate()
        let alice = try authority.issueClientCertificate(commonName: "alice")
        let stranger = try TLSAuthority.generate(name: "Other CA", in: directory).issueClientCertificate(commonName: "mallory")
        let server = try startListening("-l", "0", "--echo", "--cert", serverCertificate.certificatePath,
                                        "--key", serverCertificate.keyPath, "--ca", authority.certificatePath,
                                        closeStdin: true)

        let anonymous = try startPython(Self.tlsClient, server.url, "anonymous", authority.certificatePath)
        XCTAssertEqual(anonymous.waitForExit(timeout: 20), 3, "a client without a certificate was served: \(anonymous.stdout)")
        XCTAssertTrue(server.waitForStderr("client 1 from 127.0.0.1:"), server.stderr)
        XCTAssertTrue(server.waitForStderr("the client sent no certificate; one is required"), server.stderr)

        let foreign = try startPython(Self.tlsClient, server.url, "foreign", authority.certificatePath,
                                      stranger.certificatePath, stranger.keyPath)
        XCTAssertEqual(foreign.waitForExit(timeout: 20), 3, "a certificate from another CA was accepted: \(foreign.stdout)")
        XCTAssertTrue(server.waitForStderr("client 2 from 127.0.0.1:"), server.stderr)
        XCTAssertTrue(server.waitForStderr("client certificate refused"), server.stderr)

        let trusted = try startPython(Self.tlsClient, server.url, "from alice", authority.certificatePath,
                                      alice.certificatePath, alice.keyPath)
        XCTAssertEqual(trusted.waitForExit(timeout: 20), 0, "alice was refused: \(trusted.stdout)")
        XCTAssertEqual(trusted.stdout, "received: from alice\n")
        XCTAssertTrue(server.waitForStderr("client 3 connected from 127.0.0.1:"), server.stderr)
        XCTAssertTrue(server.stderr.contains("(certificate CN=alice)"), server.stderr)
        XCTAssertEqual(server.stdout, "[3] from alice\n")
        server.interrupt()
        XCTAssertEqual(server.waitForExit(timeout: 10), 0)
    }

    func testListenTLSSetupErrorsAreReportedBeforeListening() throws {
        let certificate = try makeCertificate()
        let missing = try wsc("-l", "0", "--cert", certificate.certificatePath + ".missing", timeout: 10)
        assertExitStatus(missing, 4)
        assertErrorLine(missing, containing: "certificate")
        let mismatched = try makeCertificate(commonName: "other")
        let wrongKey = try wsc("-l", "0", "--cert", certificate.certificatePath, "--key", mismatched.keyPath, timeout: 10)
        assertExitStatus(wrongKey, 4)
        assertErrorLine(wrongKey, containing: "private key")
        let caAlone = try wsc("-l", "0", "--ca", certificate.certificatePath, timeout: 10)
        assertExitStatus(caAlone, 2)
        assertErrorLine(caAlone, containing: "--cert")
        let noCheck = try wsc("-l", "0", "-n", timeout: 10)
        assertExitStatus(noCheck, 2)
    }

    // MARK: - Unix domain socket (-l unix:PATH, --listen-unix)

    /// `-l unix:PATH` replaces a socket file nothing answers on, creates the socket with mode
    /// 0600, serves python-websockets' unix client, and removes the file on SIGINT; with
    /// `--listen-unix` the same on SIGTERM.
    func testListensOnAUnixSocketWithMode0600AndRemovesItOnExit() throws {
        let path = try temporaryDirectory() + "/wsc.sock"
        let stale = try startPython(Self.staleUnixSocket, path)
        XCTAssertEqual(stale.waitForExit(timeout: 20), 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: path), "no stale socket to replace")

        let server = try startListeningUnix("-l", "unix:" + path, "--echo", path: path)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600)
        let client = try startPython(Self.unixClient, path, "over a unix socket")
        XCTAssertEqual(client.waitForExit(timeout: 20), 0, "the unix client failed: \(client.stdout)")
        XCTAssertEqual(client.stdout, "received: over a unix socket\n")
        XCTAssertTrue(server.waitForStderr("client 1 connected from unix:\(path)"), server.stderr)
        server.interrupt()
        XCTAssertEqual(server.waitForExit(timeout: 10), 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path), "the socket file was left behind after SIGINT")

        let again = try startListeningUnix("--listen-unix", path, path: path)
        _ = kill(again.pid, SIGTERM)
        XCTAssertEqual(again.waitForExit(timeout: 10), 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path), "the socket file was left behind after SIGTERM")
    }

    /// With --exec, a Unix socket's client has no address of its own: its command finds the
    /// socket it came through in WSC_REMOTE_ADDR (unix:PATH) and an empty WSC_REMOTE_PORT; a TCP
    /// client's finds its IP address and port.
    func testExecOnAUnixSocketNamesTheSocketAsTheRemoteAddress() throws {
        let command = "echo \"addr=[$WSC_REMOTE_ADDR] port=[$WSC_REMOTE_PORT] path=[$WSC_PATH]\"; exec cat"
        let path = try temporaryDirectory() + "/exec.sock"
        let server = try startListeningUnix("-l", "unix:" + path, "--exec", command, path: path)
        let client = try startPython(Self.unixClient, path, "hello")
        XCTAssertEqual(client.waitForExit(timeout: 20), 0, "the unix client failed: \(client.stdout)")
        XCTAssertEqual(client.stdout, "received: addr=[unix:\(path)] port=[] path=[/]\n")
        server.interrupt()
        XCTAssertEqual(server.waitForExit(timeout: 10), 0)

        let tcp = try startListening("-l", "0", "--exec", command)
        let tcpClient = try startPython(Self.sendThenReceiveOne, tcp.url, "hello")
        XCTAssertEqual(tcpClient.waitForExit(timeout: 20), 0, "the TCP client failed: \(tcpClient.stdout)")
        let line = tcpClient.stdout
        XCTAssertTrue(line.hasPrefix("received: addr=[127.0.0.1] port=["), line)
        XCTAssertFalse(line.hasPrefix("received: addr=[127.0.0.1] port=[]"), line)
        XCTAssertTrue(line.hasSuffix("] path=[/]\n"), line)
        tcp.interrupt()
        XCTAssertEqual(tcp.waitForExit(timeout: 10), 0)
    }

    /// A socket a server still answers on, or a file that is not a socket, is never replaced:
    /// exit 3 with a line saying why, the file untouched.
    func testALiveSocketOrAnotherFileIsNotReplaced() throws {
        let path = try temporaryDirectory() + "/live.sock"
        let live = try startPython(Self.listeningUnixSocket, path)
        XCTAssertTrue(live.waitForStdout("listening\n"), live.stderr)
        let refused = try wsc("-l", "unix:" + path, timeout: 10)
        assertExitStatus(refused, 3)
        assertErrorLine(refused, containing: "a server is already listening on it")
        XCTAssertTrue(FileManager.default.fileExists(atPath: path))

        let file = try temporaryDirectory() + "/notes.txt"
        try "keep me".write(toFile: file, atomically: true, encoding: .utf8)
        let notSocket = try wsc("--listen-unix", file, timeout: 10)
        assertExitStatus(notSocket, 3)
        assertErrorLine(notSocket, containing: "not a socket")
        XCTAssertEqual(try String(contentsOfFile: file, encoding: .utf8), "keep me")

        let withHost = try wsc("-l", "unix:" + path, "--host", "::", timeout: 10)
        assertExitStatus(withHost, 2)
    }

    // MARK: - Helpers

    /// Starts `wsc ARGUMENTS` listening on the Unix socket `path` and waits for its `listening on` line.
    private func startListeningUnix(_ arguments: String..., path: String) throws -> ListenTestChild {
        let child = try ListenTestChild(name: "wsc", executable: PackagePaths.wscBinary, arguments: arguments,
                                        directory: try temporaryDirectory())
        children.append(child)
        child.closeStdin()
        guard child.waitForStderr("listening on ws+unix://\(path):/") else {
            throw HarnessError("wsc printed no 'listening on' line; stderr: \(child.stderr.debugDescription)")
        }
        return child
    }

    /// Starts `wsc ARGUMENTS` and waits for its `listening on` line.
    private func startListening(_ arguments: String..., closeStdin: Bool = false, stdout: String? = nil) throws -> ListenTestChild {
        let child = try ListenTestChild(name: "wsc", executable: PackagePaths.wscBinary, arguments: arguments,
                                        directory: try temporaryDirectory(), stdout: stdout)
        children.append(child)
        if closeStdin { child.closeStdin() }
        try child.readListeningLine()
        return child
    }

    /// Runs one of the python client scripts below with the venv's python, in the background.
    private func startPython(_ script: String, _ arguments: String...) throws -> ListenTestChild {
        guard FileManager.default.isExecutableFile(atPath: PackagePaths.python) else {
            throw HarnessError("no python at \(PackagePaths.python): run Scripts/test (it creates .venv), or set WSC_TEST_PYTHON")
        }
        let child = try ListenTestChild(name: "python client", executable: PackagePaths.python,
                                        arguments: ["-c", script] + arguments, directory: try temporaryDirectory())
        children.append(child)
        child.closeStdin()
        return child
    }

    /// Sends `request` on a fresh connection to 127.0.0.1:`port` and reads the answer until the
    /// server closes (at most 5 s).
    private func rawExchange(port: UInt16, _ request: String) throws -> String {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw HarnessError("socket: \(ChildProcess.errnoText())") }
        defer { _ = close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard connected else { throw HarnessError("connect 127.0.0.1:\(port): \(ChildProcess.errnoText())") }
        let bytes = Array(request.utf8)
        guard send(descriptor, bytes, bytes.count, Int32(MSG_NOSIGNAL)) == bytes.count else {
            throw HarnessError("send: \(ChildProcess.errnoText())")
        }
        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        let deadline = ContinuousClock.now + .seconds(5)
        while ContinuousClock.now < deadline {
            var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&entry, 1, 100) > 0 else { continue }
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count <= 0 { return String(decoding: answer, as: UTF8.self) }
            answer += buffer[0..<count]
        }
        throw HarnessError("the server did not close within 5 s; got \(String(decoding: answer, as: UTF8.self).debugDescription)")
    }

    // MARK: - Python clients (python-websockets' asyncio client)

    /// argv: URL, MESSAGE. Sends MESSAGE, prints the first message received, closes normally.
    private static let sendThenReceiveOne = """
        import asyncio, sys
        from websockets.asyncio.client import connect
        async def main(url, message):
            async with connect(url, open_timeout=5) as ws:
                await ws.send(message)
                print("received:", await asyncio.wait_for(ws.recv(), 10), flush=True)
        asyncio.run(asyncio.wait_for(main(sys.argv[1], sys.argv[2]), 15))
        """

    /// argv: URL, MESSAGE. Sends MESSAGE, prints the answer, then waits for the server to close.
    private static let sendThenWaitForClose = """
        import asyncio, sys
        from websockets.asyncio.client import connect
        async def main(url, message):
            async with connect(url, open_timeout=5) as ws:
                await ws.send(message)
                print("received:", await asyncio.wait_for(ws.recv(), 10), flush=True)
                await asyncio.wait_for(ws.wait_closed(), 10)
                print("closed", ws.close_code, flush=True)
        asyncio.run(asyncio.wait_for(main(sys.argv[1], sys.argv[2]), 15))
        """

    /// argv: URL, DATA. Pings with DATA, waits for the pong, closes.
    private static let pingThenClose = """
        import asyncio, sys
        from websockets.asyncio.client import connect
        async def main(url, data):
            async with connect(url, open_timeout=5) as ws:
                await asyncio.wait_for(await ws.ping(data.encode()), 10)
        asyncio.run(asyncio.wait_for(main(sys.argv[1], sys.argv[2]), 15))
        """

    /// argv: URL. Two clients at once, each sending text and binary and expecting exactly its own
    /// messages back, in order.
    private static let twoEchoClients = """
        import asyncio, sys
        from websockets.asyncio.client import connect
        async def client(url, name):
            async with connect(url, open_timeout=5) as ws:
                sent = [f"{name} says 1", b"\\x00\\x01\\xff", f"{name} says 2"]
                for message in sent:
                    await ws.send(message)
                got = [await asyncio.wait_for(ws.recv(), 10) for _ in sent]
                assert got == sent, (name, got)
                print(name, "ok", flush=True)
        async def main(url):
            await asyncio.gather(client(url, "A"), client(url, "B"))
        asyncio.run(asyncio.wait_for(main(sys.argv[1]), 15))
        """

    /// argv: URL, "all" or "plain". Offers permessage-deflate (with all four parameters, or
    /// none), prints the server's Sec-WebSocket-Extensions answer, sends three compressible
    /// messages and checks each echo, and whether the frames were compressed.
    private static let compressedEchoClient = """
        import asyncio, sys
        from websockets.asyncio.client import connect
        from websockets.extensions.permessage_deflate import ClientPerMessageDeflateFactory
        async def main(url, mode):
            if mode == "all":
                factory = ClientPerMessageDeflateFactory(server_no_context_takeover=True,
                    client_no_context_takeover=True, server_max_window_bits=10, client_max_window_bits=12)
            else:
                factory = ClientPerMessageDeflateFactory(client_max_window_bits=None)
            async with connect(url, open_timeout=5, extensions=[factory], compression=None) as ws:
                print("extensions:", ws.response.headers.get("Sec-WebSocket-Extensions", "none"), flush=True)
                for n in range(3):
                    message = f"message {n} " + "abcdefgh" * 500
                    await ws.send(message)
                    assert await asyncio.wait_for(ws.recv(), 10) == message
                kind = "compressed" if ws.protocol.extensions else "uncompressed"
                print("echoed 3", kind, "messages", flush=True)
        asyncio.run(asyncio.wait_for(main(sys.argv[1], sys.argv[2]), 15))
        """

    /// argv: URL. Two clients connect one after the other and wait for the server to close them.
    /// argv: URL TEXT. Sends TEXT, then waits for the server to close and prints how.
    private static let sendOneThenAwaitClose = """
        import asyncio, sys
        from websockets.asyncio.client import connect
        async def main(url, text):
            ws = await connect(url, open_timeout=5)
            await ws.send(text)
            await asyncio.wait_for(ws.wait_closed(), 15)
            print("closed", ws.close_code, ws.close_reason, flush=True)
        asyncio.run(asyncio.wait_for(main(sys.argv[1], sys.argv[2]), 20))
        """

    /// argv: URL. Sends 64 KiB text messages (uncompressed) until the server closes.
    private static let floodUntilClosed = """
        import asyncio, sys
        from websockets.asyncio.client import connect
        from websockets.exceptions import ConnectionClosed
        async def main(url):
            ws = await connect(url, open_timeout=5, compression=None)
            chunk = "x" * 65536
            try:
                while True:
                    await ws.send(chunk)
                    await asyncio.sleep(0)
            except ConnectionClosed:
                pass
            await asyncio.wait_for(ws.wait_closed(), 10)
            print("closed", ws.close_code, flush=True)
        asyncio.run(asyncio.wait_for(main(sys.argv[1]), 40))
        """

    private static let twoClientsAwaitingClose = """
        import asyncio, sys
        from websockets.asyncio.client import connect
        async def main(url):
            a = await connect(url, open_timeout=5)
            b = await connect(url, open_timeout=5)
            for name, ws in (("A", a), ("B", b)):
                await asyncio.wait_for(ws.wait_closed(), 15)
                print(name, "closed", ws.close_code, ws.close_reason, flush=True)
        asyncio.run(asyncio.wait_for(main(sys.argv[1]), 20))
        """

    /// argv: PORT. Completes the handshake by hand, then never reads or answers anything.
    /// argv: URL, MESSAGE, CA file, [client certificate, key, maximum TLS version]. Like
    /// sendThenReceiveOne over TLS, trusting the CA file; exits 3 when the connection is refused.
    private static let tlsClient = """
        import asyncio, ssl, sys
        from websockets.asyncio.client import connect
        async def main(url, message, ca, cert="", key="", maximum=""):
            context = ssl.create_default_context(cafile=ca)
            if cert:
                context.load_cert_chain(cert, key)
            if maximum:
                context.minimum_version = ssl.TLSVersion.MINIMUM_SUPPORTED
                context.maximum_version = getattr(ssl.TLSVersion, maximum)
                context.set_ciphers("DEFAULT:@SECLEVEL=0")
            try:
                async with connect(url, ssl=context, open_timeout=5) as ws:
                    await ws.send(message)
                    print("received:", await asyncio.wait_for(ws.recv(), 5), flush=True)
            except Exception as error:
                print("refused:", type(error).__name__, error, flush=True)
                sys.exit(3)
        asyncio.run(asyncio.wait_for(main(*sys.argv[1:]), 15))
        """

    /// argv: PATH, MESSAGE. sendThenReceiveOne over a Unix socket (python-websockets' unix client).
    private static let unixClient = """
        import asyncio, sys
        from websockets.asyncio.client import unix_connect
        async def main(path, message):
            async with unix_connect(path, "ws://localhost/", open_timeout=5) as ws:
                await ws.send(message)
                print("received:", await asyncio.wait_for(ws.recv(), 5), flush=True)
        asyncio.run(asyncio.wait_for(main(sys.argv[1], sys.argv[2]), 15))
        """

    /// argv: PATH. Leaves a socket file nobody listens on, as a killed server does.
    private static let staleUnixSocket = """
        import socket, sys
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.bind(sys.argv[1])
        s.close()
        """

    /// argv: PATH. Listens on a Unix socket (and never accepts) until stopped.
    private static let listeningUnixSocket = """
        import socket, sys, time
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.bind(sys.argv[1])
        s.listen(8)
        print("listening", flush=True)
        time.sleep(30)
        """

    /// argv: PORT. Connects and sends nothing; prints how the server ended the connection.
    private static let silentTCPClient = """
        import socket, sys
        s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
        s.settimeout(20)
        try:
            print("closed" if s.recv(1) == b"" else "answered", flush=True)
        except ConnectionResetError:
            print("reset", flush=True)
        """

    private static let silentRawClient = """
        import socket, sys, time
        s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
        s.sendall(b"GET / HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\n"
                  b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\\r\\nSec-WebSocket-Version: 13\\r\\n\\r\\n")
        time.sleep(30)
        """
}

/// A child process running in the background for the length of a test: stdin through a pipe,
/// stdout and stderr into files in the test's folder. Stopped by its pid (SIGTERM, then SIGKILL)
/// in tearDown at the latest; every wait is bounded.
private final class ListenTestChild {
    let name: String
    let pid: pid_t
    private let stdoutPath: String
    private let stderrPath: String
    private var stdinWriteEnd: Int32
    private var exitStatus: Int32?
    /// From the `listening on ws://127.0.0.1:PORT/` (or wss://) line (wsc only).
    private(set) var port: UInt16 = 0
    private(set) var scheme = "ws"

    var url: String { "\(scheme)://127.0.0.1:\(port)/" }
    /// What the child wrote on stdout ("" when it went to a given path such as /dev/full).
    var stdout: String { capturesStdout ? (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" : "" }
    private let capturesStdout: Bool
    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    /// `stdout`: a path to write stdout to (such as /dev/full) instead of a file in `directory`.
    init(name: String, executable: String, arguments: [String], directory: String, stdout: String? = nil) throws {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw HarnessError("no executable at \(executable) (run swift build first; Scripts/test does)")
        }
        self.name = name
        let tag = UUID().uuidString.prefix(8)
        capturesStdout = stdout == nil
        stdoutPath = stdout ?? directory + "/\(name.replacingOccurrences(of: " ", with: "-"))-\(tag).out"
        stderrPath = directory + "/\(name.replacingOccurrences(of: " ", with: "-"))-\(tag).err"
        let stdinPipe = try ChildProcess.makePipe()
        let out = try ChildProcess.openForWriting(stdoutPath)
        let err = try ChildProcess.openForWriting(stderrPath)
        do {
            pid = try ChildProcess.spawn(executable: executable, arguments: arguments,
                                         environment: ["PYTHONDONTWRITEBYTECODE": "1", "PYTHONUNBUFFERED": "1"],
                                         stdin: stdinPipe.readEnd, stdout: out, stderr: err)
        } catch {
            [stdinPipe.readEnd, stdinPipe.writeEnd, out, err].forEach { _ = close($0) }
            throw error
        }
        [stdinPipe.readEnd, out, err].forEach { _ = close($0) }
        stdinWriteEnd = stdinPipe.writeEnd
    }

    deinit { stop() }

    func readListeningLine(timeout: Double = 10) throws {
        let deadline = ContinuousClock.now + .seconds(timeout)
        while ContinuousClock.now < deadline {
            if let match = stderr.firstMatch(of: /listening on (wss?):\/\/127\.0\.0\.1:(\d+)\//), let port = UInt16(match.2) {
                self.port = port
                scheme = String(match.1)
                return
            }
            if hasExited { break }
            usleep(20_000)
        }
        throw HarnessError("\(name) printed no 'listening on' line; stderr: \(stderr.debugDescription)")
    }

    func write(_ text: String) {
        guard stdinWriteEnd >= 0 else { return }
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Glibc.write(stdinWriteEnd, $0.baseAddress, $0.count) }
    }

    func closeStdin() {
        if stdinWriteEnd >= 0 { _ = close(stdinWriteEnd) }
        stdinWriteEnd = -1
    }

    func interrupt() {
        if exitStatus == nil { _ = kill(pid, SIGINT) }
    }

    func waitForStderr(_ text: String, timeout: Double = 10) -> Bool {
        waitUntil(timeout: timeout) { self.stderr.contains(text) }
    }

    func waitForStderrLines(_ count: Int, timeout: Double = 10) -> Bool {
        waitUntil(timeout: timeout) { self.stderr.split(separator: "\n").count >= count }
    }

    func waitForStdout(_ text: String, timeout: Double = 10) -> Bool {
        waitUntil(timeout: timeout) { self.stdout.contains(text) }
    }

    /// The exit code (128 + signal if a signal ended it), or nil if still running after `timeout`.
    func waitForExit(timeout: Double) -> Int32? {
        if let exitStatus { return exitStatus }
        guard let raw = ChildProcess.waitForExit(pid, timeout: timeout) else { return nil }
        exitStatus = ChildProcess.decode(raw).status
        return exitStatus
    }

    /// Stops the child by its pid if it is still running; idempotent.
    func stop() {
        closeStdin()
        guard exitStatus == nil else { return }
        if let raw = ChildProcess.terminate(pid) {
            exitStatus = ChildProcess.decode(raw).status
        } else {
            exitStatus = -1
        }
    }

    /// The peak resident set size so far, in KiB (`VmHWM` in /proc), while the child runs.
    var peakResidentKiB: Int? { ChildProcess.residentPeakKiB(pid) }

    private var hasExited: Bool {
        if exitStatus != nil { return true }
        var raw: Int32 = 0
        if waitpid(pid, &raw, WNOHANG) == pid {
            exitStatus = ChildProcess.decode(raw).status
            return true
        }
        return false
    }

    private func waitUntil(timeout: Double, _ condition: () -> Bool) -> Bool {
        let deadline = ContinuousClock.now + .seconds(timeout)
        while ContinuousClock.now < deadline {
            if condition() { return true }
            usleep(20_000)
        }
        return condition()
    }
}

// MARK: - -l --exec: one command per client

extension ListenModeTests {
    func testExecServesTwoConcurrentClientsEachWithItsOwnProcess() throws {
        // tr buffers its output on a pipe; stdbuf -oL makes it write each line at once, as a
        // command serving a conversation must (README, "Running a program").
        let server = try startListening("-l", "0", "--exec", "echo \"pid $$ $WSC_PATH $WSC_QUERY\"; exec stdbuf -oL tr a-z A-Z")
        let client = try startPython(Self.twoConversations, server.url)
        XCTAssertEqual(client.waitForExit(timeout: 30), 0, "the python clients failed")
        let lines = client.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 2, client.stdout)
        var pids: Set<String> = []
        for name in ["a", "b"] {
            let line = try XCTUnwrap(lines.first { $0.hasPrefix(name + " ") }, client.stdout)
            let fields = line.split(separator: " ").map(String.init)
            // name, greeting ("pid", PID, path, query), then the two replies.
            XCTAssertEqual(fields.count, 7, line)
            XCTAssertEqual(Array(fields[3...]), ["/conversation/\(name)", "who=\(name)", "HELLO-\(name.uppercased())", "BYE"], line)
            pids.insert(fields[2])
        }
        XCTAssertEqual(pids.count, 2, "each client must have its own process: \(lines)")
        server.interrupt()
        XCTAssertEqual(server.waitForExit(timeout: 15), 0)
    }

    /// 200 clients at once, each served by a command that exits after one line (before the
    /// client leaves), then 200 more whose command (cat) runs until the client leaves: after
    /// each round wsc holds no more descriptors than before it and has no child left.
    func testExecWithTwoHundredClientsLeaksNoProcessOrDescriptor() throws {
        let early = try startListening("-l", "0", "--exec", "read line; echo \"got $line\"")
        let baseline = try descriptorCount(of: early.pid)
        let first = try startPython(Self.manyClients, early.url, "200", "server-closes")
        XCTAssertEqual(first.waitForExit(timeout: 120), 0, "the python clients failed: \(first.stderr)")
        XCTAssertEqual(first.stdout, "200 ok\n")
        XCTAssertTrue(waitUntil { self.children(of: early.pid).isEmpty }, "commands left: \(children(of: early.pid))")
        XCTAssertTrue(waitUntil { (try? self.descriptorCount(of: early.pid)) == baseline },
                      "descriptors: \((try? descriptorCount(of: early.pid)) ?? -1), before: \(baseline)")
        early.interrupt()
        XCTAssertEqual(early.waitForExit(timeout: 15), 0)

        let lasting = try startListening("-l", "0", "--exec", "cat")
        let before = try descriptorCount(of: lasting.pid)
        let second = try startPython(Self.manyClients, lasting.url, "200", "client-closes")
        XCTAssertEqual(second.waitForExit(timeout: 120), 0, "the python clients failed: \(second.stderr)")
        XCTAssertEqual(second.stdout, "200 ok\n")
        XCTAssertTrue(waitUntil { self.children(of: lasting.pid).isEmpty }, "commands left: \(children(of: lasting.pid))")
        XCTAssertTrue(waitUntil { (try? self.descriptorCount(of: lasting.pid)) == before },
                      "descriptors: \((try? descriptorCount(of: lasting.pid)) ?? -1), before: \(before)")
        lasting.interrupt()
        XCTAssertEqual(lasting.waitForExit(timeout: 15), 0)
    }

    /// A command that ignores the end of its input is sent SIGTERM once the grace
    /// (--close-timeout) has passed after its client left.
    func testExecCommandThatOutlivesItsClientIsTerminated() throws {
        let server = try startListening("-l", "0", "--close-timeout", "1", "--exec", "exec sleep 60")
        let client = try startPython(Self.manyClients, server.url, "1", "client-leaves")
        XCTAssertEqual(client.waitForExit(timeout: 20), 0, "the python client failed: \(client.stderr)")
        XCTAssertTrue(waitUntil(timeout: 1) { !self.children(of: server.pid).isEmpty }, "the command should still run at first")
        XCTAssertTrue(waitUntil(timeout: 5) { self.children(of: server.pid).isEmpty },
                      "the command was not terminated: \(children(of: server.pid))")
        XCTAssertTrue(server.waitForStderr("client 1: command ended by signal 15"), server.stderr)
        server.interrupt()
        XCTAssertEqual(server.waitForExit(timeout: 15), 0)
    }

    private func descriptorCount(of pid: pid_t) throws -> Int {
        try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count
    }

    /// The pids whose parent is `pid` (zombies included: they are not reaped yet).
    private func children(of pid: pid_t) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> pid_t? in
            guard let child = pid_t(entry),
                  let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return nil }
            // After "pid (comm) ": the state, then the parent's pid.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 1 && pid_t(fields[1]) == pid ? child : nil
        }
    }

    private func waitUntil(timeout: Double = 10, _ condition: () -> Bool) -> Bool {
        let deadline = ContinuousClock.now + .seconds(timeout)
        while ContinuousClock.now < deadline {
            if condition() { return true }
            usleep(50_000)
        }
        return condition()
    }

    /// argv: URL. Clients a and b talk at the same time: each reads the greeting, sends a line,
    /// reads its upper-case echo, sends "bye" and reads "BYE".
    private static let twoConversations = """
        import asyncio, sys
        from websockets.asyncio.client import connect
        async def client(base, name):
            async with connect(f"{base}conversation/{name}?who={name}", open_timeout=5) as ws:
                greeting = await asyncio.wait_for(ws.recv(), 10)
                await ws.send(f"hello-{name}")
                reply = await asyncio.wait_for(ws.recv(), 10)
                await ws.send("bye")
                bye = await asyncio.wait_for(ws.recv(), 10)
                return f"{name} {greeting} {reply} {bye}"
        async def main(base):
            for line in await asyncio.gather(client(base, "a"), client(base, "b")):
                print(line, flush=True)
        asyncio.run(asyncio.wait_for(main(sys.argv[1]), 25))
        """

    /// argv: URL, N, mode. N clients at once each send "x"; with server-closes each expects
    /// "got x" and then the server's close (1000); with client-closes each reads the echo and
    /// closes; with client-leaves each closes at once, sending nothing.
    private static let manyClients = """
        import asyncio, sys
        from websockets.asyncio.client import connect
        from websockets.exceptions import ConnectionClosed
        async def client(url, mode, index):
            for attempt in range(20):
                try:
                    ws = await connect(url, open_timeout=30)
                    break
                except OSError:
                    await asyncio.sleep(0.1 * (attempt + 1))
            else:
                raise RuntimeError(f"client {index} could not connect")
            if mode == "client-leaves":
                await ws.close()
                return
            await ws.send("x")
            if mode == "server-closes":
                assert await asyncio.wait_for(ws.recv(), 30) == "got x"
                await asyncio.wait_for(ws.wait_closed(), 30)
                assert ws.close_code == 1000, ws.close_code
            else:
                assert await asyncio.wait_for(ws.recv(), 30) == "x"
                await ws.close()
        async def main(url, count, mode):
            await asyncio.gather(*(client(url, mode, i) for i in range(count)))
            print(count, "ok", flush=True)
        asyncio.run(asyncio.wait_for(main(sys.argv[1], int(sys.argv[2]), sys.argv[3]), 100))
        """
}

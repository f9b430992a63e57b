import Foundation
import XCTest

/// One server under test, as wsc reaches it.
struct InteropTarget {
    /// How failures name it ("node ws").
    var name: String
    /// The WebSocket URL, path included.
    var url: String
    /// Options every run needs (`--ca` for a TLS proxy).
    var options: [String] = []
}

/// The checks each server gets. Every run is bounded (`timeout`), and a failure message names
/// the server and shows the run.
extension InteropTests {
    /// The size limit every server is configured with, where it has one.
    static let messageLimit = 65536

    /// One-shot echo: the message comes back, wsc closes cleanly (exit 0), and the final status
    /// line is the close handshake's.
    func checkOneShotEcho(_ target: InteropTarget) throws {
        let run = try wsc(target, "-x", "hello from wsc")
        check(target, run, status: 0)
        XCTAssertEqual(run.stdoutText, "hello from wsc\n", "\(target.name): one-shot echo\n\(run.summary)")
        XCTAssertEqual(run.stderrLines.last, "closed (1000 normal closure)",
                       "\(target.name): final status line\n\(run.summary)")
    }

    /// 10000 piped lines come back, all of them and in order.
    func checkPipedLinesInOrder(_ target: InteropTarget) throws {
        let lines = (1...10000).map { "line \($0)" }.joined(separator: "\n") + "\n"
        let run = try wsc(target, "-q", stdin: StandardInput(Array(lines.utf8)), timeout: 120)
        check(target, run, status: 0)
        let received = run.stdoutText
        if received != lines {
            let got = received.split(separator: "\n")
            let pairs = Array(zip(got, lines.split(separator: "\n")))
            let firstDifference = pairs.firstIndex { $0 != $1 } ?? pairs.count
            XCTFail("\(target.name): \(got.count) of 10000 lines came back; first difference at line \(firstDifference + 1)\n\(run.summary)")
        }
    }

    /// A binary message comes back as a binary message with the same bytes (printed as hex).
    func checkBinaryRoundTrip(_ target: InteropTarget) throws {
        let run = try wsc(target, "-q", "-b", "--binary-format", "hex", "-x", "hex:00ff10fe80")
        check(target, run, status: 0)
        XCTAssertEqual(run.stdoutText, "00ff10fe80\n", "\(target.name): binary round trip\n\(run.summary)")
    }

    /// The `Sec-WebSocket-Extensions` line of the 101 that `-v` prints: permessage-deflate was
    /// negotiated when `expected`, and nothing when nil.
    func checkNegotiatedExtension(_ target: InteropTarget, expected: String?) throws {
        let run = try wsc(target, "-v", "-q", "-x", "compress me, compress me, compress me")
        check(target, run, status: 0)
        XCTAssertEqual(run.stdoutText, "compress me, compress me, compress me\n", "\(target.name)\n\(run.summary)")
        let answered = run.stderrLines.first { $0.lowercased().hasPrefix("< sec-websocket-extensions:") }
        if let expected {
            XCTAssert(answered?.lowercased().contains(expected) ?? false,
                      "\(target.name): the 101 negotiated no \(expected)\n\(run.summary)")
        } else {
            XCTAssertNil(answered, "\(target.name): an extension was negotiated\n\(run.summary)")
        }
    }

    /// A message over the server's limit: the server closes with 1009, which is exit 8.
    func checkMessageOverTheLimit(_ target: InteropTarget, limit: Int) throws {
        let run = try wsc(target, stdin: StandardInput(Self.incompressibleLine(length: 4 * limit)))
        check(target, run, status: 8)
        XCTAssertEqual(run.stdoutText, "", "\(target.name): nothing should come back\n\(run.summary)")
        XCTAssertTrue(run.errorLines.contains { $0.hasPrefix("wsc: server closed the connection with an error: 1009 message too big") },
                      "\(target.name): no 1009 from the server\n\(run.summary)")
    }

    /// A server without a message limit returns a large message whole.
    func checkLargeMessageWithoutLimit(_ target: InteropTarget, length: Int) throws {
        let line = Self.incompressibleLine(length: length)
        let run = try wsc(target, "-q", stdin: StandardInput(line))
        check(target, run, status: 0)
        XCTAssertTrue(run.stdout == line, "\(target.name): the \(length)-byte message did not come back whole\n\(run.summary)")
    }

    /// The server's own heartbeat: its pings arrive and wsc answers each with a pong, and the
    /// session stays up and closes cleanly (the server pings every second).
    func checkServerHeartbeat(_ target: InteropTarget) throws {
        let run = try wsc(target, "-q", "--jsonl", "-P", "-x", "hi", "-w", "3.5")
        check(target, run, status: 0)
        // Once wsc has sent its close frame it answers no more pings (the close is its last
        // frame), so only the records before it count.
        let records = run.stdoutText.split(separator: "\n")
            .prefix { !$0.contains(#""direction":"out","kind":"close""#) }
        let pings = records.filter { $0.contains(#""direction":"in","kind":"ping""#) }.count
        let pongs = records.filter { $0.contains(#""direction":"out","kind":"pong""#) }.count
        XCTAssertGreaterThanOrEqual(pings, 1, "\(target.name): no ping from the server in 3.5 s\n\(run.summary)")
        XCTAssertEqual(pongs, pings, "\(target.name): every ping is answered\n\(run.summary)")
    }

    /// The checks every echo server gets.
    func checkEchoServer(_ target: InteropTarget, negotiatedExtension: String?, limit: Int?) throws {
        try checkOneShotEcho(target)
        try checkPipedLinesInOrder(target)
        try checkBinaryRoundTrip(target)
        try checkNegotiatedExtension(target, expected: negotiatedExtension)
        if let limit {
            try checkMessageOverTheLimit(target, limit: limit)
        } else {
            try checkLargeMessageWithoutLimit(target, length: 4 * Self.messageLimit)
        }
    }

    // MARK: - Helpers

    func wsc(_ target: InteropTarget, _ arguments: String..., stdin: StandardInput = .empty, timeout: Double = 30,
             file: StaticString = #filePath, line: UInt = #line) throws -> WscRun {
        try WscRun.run(target.options + arguments + [target.url], stdin: stdin, timeout: timeout, file: file, line: line)
    }

    func check(_ target: InteropTarget, _ run: WscRun, status: Int32, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(run.exitStatus, status, "\(target.name): exit status\n\(run.summary)", file: file, line: line)
    }

    /// One line of `length` base64 characters that do not compress: a message this large and
    /// this compressible would hit a bug of older `ws` releases (ws 8.11 answers an oversized,
    /// highly compressed message with 1007 instead of 1009). Deterministic (SplitMix64), so a
    /// failure can be reproduced.
    static func incompressibleLine(length: Int) -> [UInt8] {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        var line = [UInt8]()
        line.reserveCapacity(length + 1)
        while line.count < length {
            state &+= 0x9E37_79B9_7F4A_7C15
            var mixed = state
            mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
            mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
            mixed ^= mixed >> 31
            for shift in stride(from: 0, to: 60, by: 6) where line.count < length {
                line.append(alphabet[Int((mixed >> UInt64(shift)) & 63)])
            }
        }
        return line + [UInt8(ascii: "\n")]
    }
}

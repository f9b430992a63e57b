import Foundation
import XCTest

/// --max-message-size: a larger incoming message is a limit exceeded (exit 6, close 1009).
final class MessageSizeTests: EndToEndTestCase {
    func testMessageOverTheLimitExitsWith6AndCloses1009() throws {
        let report = try reportPath()
        let sender = try startServer("sendn.py", "1", "--size", "2097152", "--no-close", "--report", report)
        let run = try wsc("--max-message-size", "1048576", "-x", "hi", "-w", "5", sender.url)
        assertExitStatus(run, 6)
        assertStdout(run, "")
        let mentionsLimit = run.errorLines.contains { line in
            ["1048576", "1 MiB", "1MiB", "1024 KiB"].contains { line.contains($0) }
        }
        XCTAssertTrue(mentionsLimit, "the error should mention the limit\n\(run.summary)")
        XCTAssertEqual(waitForFile(report), "close=1009\n", "wsc should close with 1009\n\(run.summary)")
    }

    func testMessageExactlyAtTheLimitIsAccepted() throws {
        let sender = try startServer("sendn.py", "1", "--size", "1048576")
        let run = try wsc("--max-message-size", "1048576", "-x", "hi", "-w", "5", sender.url)
        assertExitStatus(run, 0)
        XCTAssertEqual(run.stdout.count, 1_048_577, "the message and a newline\n\(run.summary)")
    }

    /// Above 64 MiB (the default frame limit) a message in a single frame is accepted too: the
    /// frame limit follows the option. Uncompressed, so the frame really is that large.
    func testASingleFrameMessageAbove64MiBIsAcceptedWhenTheLimitAllowsIt() throws {
        let size = (64 << 20) + 1
        let sender = try startServer("sendn.py", "1", "--size", String(size))
        let run = try wsc("--no-compression", "--max-message-size", "65M", "-x", "hi", "-w", "10", sender.url,
                          timeout: 60)
        assertExitStatus(run, 0)
        XCTAssertEqual(run.stdout.count, size + 1, "the message and a newline\n\(run.errorLines)")
    }
}

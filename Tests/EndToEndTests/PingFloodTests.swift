import Foundation
import XCTest

/// A server that floods pings and never reads: every pong wsc owes stays unwritten. Only the
/// latest is kept (RFC 6455 5.5.3), so memory stays bounded however long the flood lasts.
final class PingFloodTests: EndToEndTestCase {
    func testAServerFloodingPingsWithoutReadingCannotGrowMemory() throws {
        let server = try startServer("ping_flood.py", "serve", "--seconds", "3")
        // stdin stays open: the flood, not the input, decides how long wsc runs.
        let run = try wsc(server.url, keepStdinOpen: true, timeout: 30)
        // The peer ends with a reset, without a close frame.
        assertExitStatus(run, 8)
        let peak = try XCTUnwrap(run.peakResidentKiB, "no resource usage for the wsc process")
        print("peak RSS of wsc under a 3 s ping flood: \(peak) KiB")
        XCTAssertLessThan(peak, 50 * 1024, "wsc kept the pongs it could not write\n\(run.summary)")
    }
}

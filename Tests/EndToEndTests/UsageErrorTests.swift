import Foundation
import XCTest

/// Exit 2: bad flags, bad URLs, bad header syntax; reported as one line `wsc: <cause>`.
final class UsageErrorTests: EndToEndTestCase {
    func testUnsupportedURLSchemeIsAUsageError() throws {
        let run = try wsc("-x", "hi", "ftp://x")
        assertExitStatus(run, 2)
        assertErrorLine(run)
        assertStdout(run, "")
    }

    func testUnknownFlagIsAUsageError() throws {
        let port = try unusedPort()
        let run = try wsc("--no-such-flag", "-x", "hi", "ws://127.0.0.1:\(port)")
        assertExitStatus(run, 2)
        assertErrorLine(run)
        assertStdout(run, "")
    }

    func testHeaderWithoutColonIsAUsageError() throws {
        // Checked before connecting: the port refuses connections, which would be exit 3.
        let port = try unusedPort()
        let run = try wsc("-H", "NoColonHere", "-x", "hi", "ws://127.0.0.1:\(port)")
        assertExitStatus(run, 2)
        assertErrorLine(run)
    }

    /// A negative number is taken as the option's value, so the error names the real problem
    /// instead of "missing value".
    func testNegativeNumberIsRefusedByNameNotAsAMissingValue() throws {
        let runs = [
            try wsc("--replay-speed", "-1", "--replay", "t.jsonl", "ws://127.0.0.1:9/"),
            try wsc("-w", "-2", "-x", "hi", "ws://127.0.0.1:9/"),
            try wsc("--ping-interval", "-1", "ws://127.0.0.1:9/"),
        ]
        for run in runs {
            assertExitStatus(run, 2)
            assertErrorLine(run, containing: "not -")
            XCTAssertFalse(run.stderr.contains("Missing value"), run.summary)
        }
    }

    func testNonNumericWaitIsAUsageError() throws {
        let port = try unusedPort()
        let run = try wsc("-w", "soon", "-x", "hi", "ws://127.0.0.1:\(port)")
        assertExitStatus(run, 2)
        assertErrorLine(run)
    }
}

import Foundation
import XCTest

extension EndToEndTestCase {
    /// A spawned wsc's exit status and the seconds it took to exit from now, or a failure (and
    /// SIGKILL) if it is still running after `timeout`.
    func waitForExit(_ pid: pid_t, timeout: Double, file: StaticString = #filePath,
                     line: UInt = #line) -> (status: Int32, elapsed: Double)? {
        let started = ContinuousClock.now
        guard let raw = ChildProcess.waitForExit(pid, timeout: timeout) else {
            XCTFail("wsc still running after \(timeout) s", file: file, line: line)
            _ = kill(pid, SIGKILL)
            _ = ChildProcess.waitForExit(pid, timeout: 10)
            return nil
        }
        return (ChildProcess.decode(raw).status, (ContinuousClock.now - started).seconds)
    }
}

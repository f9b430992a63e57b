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

extension EndToEndTestCase {
    /// What arrives on `fd` within `seconds`, or until its writers are gone.
    func readArriving(on fd: Int32, for seconds: Double) -> [UInt8] {
        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65536)
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, 100) >= 0 else { break }
            if pfd.revents == 0 { continue }
            let count = read(fd, &buffer, buffer.count)
            if count <= 0 { break }
            data += buffer[0..<count]
        }
        return data
    }
}

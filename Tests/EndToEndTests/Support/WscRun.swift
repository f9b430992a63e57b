import Foundation
import XCTest

/// Bytes for a run's standard input; a string literal gives its UTF-8.
struct StandardInput: ExpressibleByStringLiteral {
    var bytes: [UInt8]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    init(stringLiteral text: String) {
        bytes = Array(text.utf8)
    }

    static let empty = StandardInput([])
}

/// One finished run of the wsc binary: its exit status, stdout bytes and stderr text.
struct WscRun {
    let arguments: [String]
    /// The exit code, or 128 + the signal number if a signal ended it.
    let exitStatus: Int32
    /// The signal that ended wsc, if one did (SIGKILL after a timeout).
    let signal: Int32?
    let stdout: [UInt8]
    let stderr: String
    /// Seconds from start to exit.
    let elapsed: Double
    /// wsc was still running at its deadline and was killed.
    let timedOut: Bool
    /// Peak resident set size in KiB (`VmHWM`) as last sampled while wsc ran, when known.
    var peakResidentKiB: Int? = nil

    var stdoutText: String { String(decoding: stdout, as: UTF8.self) }

    var stderrLines: [Substring] { stderr.split(separator: "\n", omittingEmptySubsequences: true) }

    /// Lines in the contract's error format, `wsc: <cause>`.
    var errorLines: [Substring] { stderrLines.filter { $0.hasPrefix("wsc: ") } }

    /// Runs the binary (`WSC_BINARY`, else `.build/debug/wsc`) with `arguments`, writes `stdin` to
    /// it through a pipe and closes the pipe (unless `keepStdinOpen`: then it stays open, without
    /// end of file, until wsc exits). With `interruptAfter`, SIGINT is sent after that many
    /// seconds. A run still going after `timeout` seconds is killed with SIGKILL and the test fails.
    static func run(
        _ arguments: [String],
        stdin: StandardInput = .empty,
        keepStdinOpen: Bool = false,
        interruptAfter: Double? = nil,
        timeout: Double = 20,
        environment: [String: String] = [:],
        file: StaticString = #filePath,
        line: UInt = #line
    ) throws -> WscRun {
        let binary = PackagePaths.wscBinary
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw HarnessError("no wsc binary at \(binary): run swift build first (Scripts/test does), or set WSC_BINARY")
        }
        let outcome = try ChildProcess.run(executable: binary, arguments: arguments, environment: environment,
                                           stdin: stdin.bytes, keepStdinOpen: keepStdinOpen,
                                           signal: interruptAfter.map { (SIGINT, $0) }, timeout: timeout)
        let run = WscRun(arguments: arguments, exitStatus: outcome.status, signal: outcome.signal,
                         stdout: outcome.stdout, stderr: String(decoding: outcome.stderr, as: UTF8.self),
                         elapsed: outcome.elapsed, timedOut: outcome.timedOut,
                         peakResidentKiB: outcome.peakResidentKiB)
        if run.timedOut {
            XCTFail("wsc did not exit within \(timeout) s and was killed\n\(run.summary)", file: file, line: line)
        }
        return run
    }

    /// The run described for a failure message.
    var summary: String {
        let shownStdout = stdout.count > 2000
            ? stdoutText.prefix(2000) + "… (\(stdout.count) bytes)"
            : Substring(stdoutText)
        return """
            $ wsc \(arguments.map(Self.quoted).joined(separator: " "))
            exit status \(exitStatus)\(signal.map { " (signal \($0))" } ?? "") after \(String(format: "%.2f", elapsed)) s
            stdout: \(shownStdout.debugDescription)
            stderr: \(stderr.debugDescription)
            """
    }

    private static func quoted(_ argument: String) -> String {
        let plain = argument.allSatisfy { $0.isLetter || $0.isNumber || "-_./:=@,".contains($0) }
        return plain && !argument.isEmpty ? argument : "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

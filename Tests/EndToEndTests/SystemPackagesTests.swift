import Foundation
import XCTest

/// `Scripts/system-packages` (behind `make demo`, `make test` and .ci/run) on a machine where
/// packages are missing, simulated with stand-ins for dpkg-query, id, apt-get and sudo on a PATH
/// that holds nothing else: it installs only what is missing, as root or through sudo, and
/// otherwise prints the one command to run and exits 2.
final class SystemPackagesTests: EndToEndTestCase {
    private struct Machine {
        var uid = 1000
        var hasSudo = false
        var installed = ["libssl-dev", "zlib1g-dev", "pkg-config"]
    }

    private func run(_ purposes: String..., on machine: Machine) throws -> (outcome: ChildProcess.Outcome, commands: [String]) {
        let folder = try temporaryDirectory() + "/machine-\(UUID().uuidString)"
        let bin = folder + "/bin"
        let log = folder + "/commands.log"
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: log, contents: nil)
        func script(_ name: String, _ body: String) throws {
            let path = bin + "/" + name
            try ("#!/bin/sh\n" + body + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            chmod(path, 0o755)
        }
        try script("dpkg-query", """
            for p in \(machine.installed.joined(separator: " ")); do
                [ "$p" = "$3" ] && { printf 'install ok installed'; exit 0; }
            done
            exit 1
            """)
        try script("id", "echo \(machine.uid)")
        try script("swift", "exit 0")
        try script("apt-get", "echo \"apt-get $*\" >> '\(log)'")
        if machine.hasSudo {
            try script("sudo", "echo sudo >> '\(log)'; exec \"$@\"")
        }
        for tool in ["grep", "env"] {
            let which = try ChildProcess.run(executable: "sh", arguments: ["-c", "command -v \(tool)"], searchPATH: true,
                                             stdin: [], timeout: 10)
            let real = String(decoding: which.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            try FileManager.default.createSymbolicLink(atPath: bin + "/" + tool, withDestinationPath: real)
        }
        let outcome = try ChildProcess.run(executable: "/bin/bash",
                                           arguments: [PackagePaths.root + "/Scripts/system-packages"] + purposes,
                                           environment: ["PATH": bin], stdin: [], timeout: 30)
        let commands = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map(String.init)
        return (outcome, commands)
    }

    func testWithoutRootOrSudoPrintsTheOneCommandAndExits2() throws {
        let (outcome, commands) = try run("build", on: Machine())
        XCTAssertEqual(outcome.status, 2)
        XCTAssertEqual(commands, [], "nothing may be installed without root")
        let stderr = String(decoding: outcome.stderr, as: UTF8.self)
        XCTAssertTrue(stderr.contains("missing libedit-dev; as root, run:"), stderr)
        XCTAssertTrue(stderr.contains("  apt-get update && apt-get install -y -q --no-install-recommends libedit-dev\n"), stderr)
    }

    func testInstallsOnlyTheMissingPackagesThroughSudo() throws {
        let (outcome, commands) = try run("build", on: Machine(hasSudo: true))
        XCTAssertEqual(outcome.status, 0, String(decoding: outcome.stderr, as: UTF8.self))
        XCTAssertEqual(commands, ["sudo", "apt-get update -q",
                                  "sudo", "apt-get install -y -q --no-install-recommends libedit-dev"])
    }

    func testInstallsAsRootWithoutSudo() throws {
        let (outcome, commands) = try run("test", on: Machine(uid: 0, hasSudo: true))
        XCTAssertEqual(outcome.status, 0, String(decoding: outcome.stderr, as: UTF8.self))
        XCTAssertEqual(commands, ["apt-get update -q",
                                  "apt-get install -y -q --no-install-recommends libedit-dev openssl python3 python3-venv"])
    }

    func testDoesNothingWhenEverythingIsInstalled() throws {
        let all = ["libedit-dev", "libssl-dev", "zlib1g-dev", "pkg-config", "openssl", "python3", "python3-venv"]
        let (outcome, commands) = try run("test", on: Machine(installed: all))
        XCTAssertEqual(outcome.status, 0)
        XCTAssertEqual(commands, [])
        XCTAssertEqual(outcome.stderr, [])
    }

    /// CI's call (Scripts/test under CI=true): the interop tests' servers come with the test
    /// packages, in one apt-get update and one install.
    func testInteropServersAreInstalledWithTheTestPackagesInOneRun() throws {
        let (outcome, commands) = try run("test", "interop", on: Machine(uid: 0))
        XCTAssertEqual(outcome.status, 0, String(decoding: outcome.stderr, as: UTF8.self))
        XCTAssertEqual(commands, ["apt-get update -q",
                                  "apt-get install -y -q --no-install-recommends libedit-dev openssl python3 python3-venv node-ws websocketd nginx-light"])
    }
}

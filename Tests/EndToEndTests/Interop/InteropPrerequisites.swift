import Foundation
import XCTest

/// What the interop tests need from the machine (Debian packages, python modules in the venv),
/// the versions they found, and what happens when something is missing: on a developer's
/// machine the test is skipped with a line saying what to install; in CI (`CI=true`, or
/// `WSC_INTEROP_REQUIRED=1`) it fails, because CI must run every interop test.
enum InteropPrerequisites {
    /// Where Debian's node-ws puts the `ws` module (and what NODE_PATH is set to).
    static let debianNodeModules = "/usr/share/nodejs"

    static var isRequired: Bool {
        let environment = ProcessInfo.processInfo.environment
        return environment["CI"] == "true" || environment["WSC_INTEROP_REQUIRED"] == "1"
    }

    /// Skips the test (or fails it, when required) because `what` is missing; `install` says how
    /// to get it.
    static func missing(_ what: String, install: String) -> Error {
        let message = "interop: \(what) is missing (\(install)); .ci/run installs it"
        if isRequired {
            return HarnessError(message + ", and CI (CI=true or WSC_INTEROP_REQUIRED=1) runs every interop test")
        }
        return XCTSkip(message)
    }

    /// The full path of `name` in PATH or the sbin folders (nginx lives in /usr/sbin, which a
    /// developer's PATH may lack), or the missing-package error.
    static func executable(_ name: String, debianPackage: String) throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let folders = path.split(separator: ":").map(String.init) + ["/usr/sbin", "/usr/local/sbin", "/sbin"]
        for folder in folders where !folder.isEmpty {
            let candidate = folder + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw missing(name, install: "Debian: apt-get install \(debianPackage)")
    }

    /// The version of node's `ws` module from Debian's node-ws.
    static func nodeWsVersion() throws -> String {
        let manifest = debianNodeModules + "/ws/package.json"
        guard let data = FileManager.default.contents(atPath: manifest),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let version = object["version"] as? String else {
            throw missing("node's ws module (\(manifest))", install: "Debian: apt-get install node-ws")
        }
        return version
    }

    /// `module.attribute` from the venv's python (e.g. `tornado.version`), or the missing-package
    /// error naming the PyPI package.
    static func pythonModuleVersion(_ module: String, attribute: String = "__version__", pypiPackage: String) throws -> String {
        let outcome = try ChildProcess.run(
            executable: PackagePaths.python,
            arguments: ["-c", "import \(module); print(\(module).\(attribute))"],
            stdin: [], timeout: 60)
        let version = String(decoding: outcome.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard outcome.status == 0, !version.isEmpty else {
            throw missing("the python module \(module) in .venv", install: "Scripts/test installs \(pypiPackage) into .venv")
        }
        return version
    }

    /// The first line a command prints (stdout, else stderr), for a version; "unknown" if it
    /// prints nothing.
    static func firstLine(of executable: String, _ arguments: [String]) -> String {
        guard let outcome = try? ChildProcess.run(executable: executable, arguments: arguments, stdin: [], timeout: 30) else {
            return "unknown"
        }
        let text = String(decoding: outcome.stdout.isEmpty ? outcome.stderr : outcome.stdout, as: UTF8.self)
        let line = text.split(separator: "\n").first.map(String.init) ?? ""
        return line.isEmpty ? "unknown" : line.trimmingCharacters(in: .whitespaces)
    }

    /// The installed version of a Debian package, if dpkg knows it.
    static func debianVersion(_ package: String) -> String? {
        guard let outcome = try? ChildProcess.run(executable: "dpkg-query", arguments: ["-W", "-f=${Version}", package],
                                                  searchPATH: true, stdin: [], timeout: 30),
              outcome.status == 0 else { return nil }
        let version = String(decoding: outcome.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return version.isEmpty ? nil : version
    }

    /// Prints what a test ran against, for the log CI keeps (docs/interop.md's table comes from it).
    static func report(_ server: String, _ versions: String) {
        print("interop: \(server): \(versions)")
    }
}

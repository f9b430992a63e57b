import Foundation
import XCTest

/// `make install` installs the self-contained release binary: Swift's runtime linked in, so
/// removing or upgrading the toolchain cannot break an installed wsc.
final class InstallTests: EndToEndTestCase {
    func testInstalledBinaryLoadsNothingFromTheToolchain() throws {
        let stage = try temporaryDirectory() + "/stage"
        // Builds the release binary first when a source is newer than it (a minute or two).
        let install = try ChildProcess.run(executable: "make", arguments: ["-C", PackagePaths.root, "install",
                                                                          "DESTDIR=\(stage)", "PREFIX=/usr"],
                                           searchPATH: true, stdin: [], timeout: 900)
        XCTAssertEqual(install.status, 0, String(decoding: install.stdout + install.stderr, as: UTF8.self))
        let binary = stage + "/usr/bin/wsc"
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: binary), "make install put no wsc at \(binary)")
        for file in ["/usr/share/man/man1/wsc.1", "/usr/share/bash-completion/completions/wsc",
                     "/usr/share/zsh/site-functions/_wsc", "/usr/share/fish/vendor_completions.d/wsc.fish"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: stage + file), "make install put no \(file)")
        }

        let ldd = try ChildProcess.run(executable: "ldd", arguments: [binary], searchPATH: true, stdin: [], timeout: 30)
        XCTAssertEqual(ldd.status, 0, String(decoding: ldd.stderr, as: UTF8.self))
        let libraries = String(decoding: ldd.stdout, as: UTF8.self)
        let toolchainLibraries = try toolchainLibraryFolder()
        for line in libraries.split(separator: "\n") {
            XCTAssertFalse(line.contains("libswift") || line.contains("libFoundation") || line.contains("libdispatch"),
                           "the installed wsc loads part of the Swift runtime: \(line)")
            XCTAssertFalse(line.contains(toolchainLibraries), "the installed wsc loads from the toolchain: \(line)")
            XCTAssertFalse(line.contains("not found"), "the installed wsc misses a library: \(line)")
        }
        XCTAssertTrue(libraries.contains("libc.so"), "ldd printed no libraries at all:\n\(libraries)")

        // And it runs without any help from the toolchain's directory.
        let version = try ChildProcess.run(executable: binary, arguments: ["--version"], environment: ["LD_LIBRARY_PATH": ""],
                                           stdin: [], timeout: 30)
        XCTAssertEqual(version.status, 0, String(decoding: version.stderr, as: UTF8.self))
    }

    /// The toolchain's shared-library folder (`<toolchain>/usr/lib`), from where `swift` is.
    private func toolchainLibraryFolder() throws -> String {
        let which = try ChildProcess.run(executable: "sh", arguments: ["-c", "readlink -f \"$(command -v swift)\""],
                                         searchPATH: true, stdin: [], timeout: 10)
        let swift = String(decoding: which.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard which.status == 0, !swift.isEmpty else { throw HarnessError("cannot find swift on PATH") }
        // <toolchain>/usr/bin/swift → <toolchain>/usr/lib
        return URL(fileURLWithPath: swift).deletingLastPathComponent().deletingLastPathComponent().path + "/lib"
    }
}

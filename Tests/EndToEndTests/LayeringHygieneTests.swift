import Foundation
import XCTest

/// Only the executable knows its command-line flags: the libraries below it (the protocol core,
/// Socket.IO, the transport) report values and describe settings, and `Sources/wsc` words them
/// with its flag names. A flag name in a library's code, error text or doc comment would drift
/// from the options as they change, so none may appear there.
final class LayeringHygieneTests: XCTestCase {
    private static let libraries = ["Sources/WebSocketCore", "Sources/WebSocketTransport", "Sources/SocketIO"]

    func testNoLibraryNamesACommandLineFlag() throws {
        var found: [String] = []
        for library in Self.libraries {
            let files = try Self.sourceFiles(under: PackagePaths.root + "/" + library)
            XCTAssertGreaterThan(files.count, 5, "no sources found under \(library)")
            for file in files {
                let text = try String(contentsOfFile: file, encoding: .utf8)
                for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
                where Self.namesAFlag(line) {
                    found.append("\(file.dropFirst(PackagePaths.root.count + 1)):\(number + 1): \(line.trimmingCharacters(in: .whitespaces))")
                }
            }
        }
        XCTAssertEqual(found, [], """
            flag names below Sources/wsc (describe the setting instead; wsc adds the flag when it words it):
            \(found.joined(separator: "\n"))
            """)
    }

    func testTheCheckCatchesLongAndQuotedShortFlags() {
        XCTAssertTrue(Self.namesAFlag("/// Skip verification (`--no-check`)."))
        XCTAssertTrue(Self.namesAFlag("throw .tls(\"give it with --cert\")"))
        XCTAssertTrue(Self.namesAFlag("/// The request as lines (`-v`)."))
        XCTAssertTrue(Self.namesAFlag("/// A header (`-H 'Name: value'`)."))
        XCTAssertFalse(Self.namesAFlag("/// `/bin/sh -c COMMAND`, i -= 1, x - 1, -----BEGIN CERTIFICATE-----"))
    }

    /// A long flag (`--name`) anywhere, or a short one quoted as code (`` `-v` ``, `` `-H 'A: b'` ``).
    static func namesAFlag(_ line: Substring) -> Bool {
        let bytes = Array(line.utf8)
        for index in bytes.indices.dropLast(2) {
            let next = bytes[index + 2]
            if bytes[index] == UInt8(ascii: "-"), bytes[index + 1] == UInt8(ascii: "-"),
               next >= UInt8(ascii: "a"), next <= UInt8(ascii: "z") {
                return true
            }
            if bytes[index] == UInt8(ascii: "`"), bytes[index + 1] == UInt8(ascii: "-"), isLetter(next),
               index + 3 == bytes.count || [UInt8(ascii: "`"), UInt8(ascii: " "), UInt8(ascii: "/")].contains(bytes[index + 3]) {
                return true
            }
        }
        return false
    }

    static func namesAFlag(_ line: String) -> Bool { namesAFlag(line[...]) }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    }

    private static func sourceFiles(under directory: String) throws -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else {
            throw HarnessError("cannot read \(directory)")
        }
        return enumerator.compactMap { $0 as? String }
            .filter { $0.hasSuffix(".swift") || $0.hasSuffix(".h") || $0.hasSuffix(".c") }
            .sorted()
            .map { directory + "/" + $0 }
    }
}

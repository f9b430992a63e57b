import Foundation

/// Where the package, its peers, the venv's python and the built binary are.
enum PackagePaths {
    /// The package root: the nearest folder above this file that holds `Package.swift`.
    static let root: String = findRoot()

    /// The python that runs the peers: `WSC_TEST_PYTHON`, else `.venv/bin/python3` in the root
    /// (which `Scripts/test` creates).
    static var python: String {
        if let path = ProcessInfo.processInfo.environment["WSC_TEST_PYTHON"], !path.isEmpty {
            return path
        }
        return root + "/.venv/bin/python3"
    }

    /// The binary under test: `WSC_BINARY`, else `.build/debug/wsc` in the root.
    static var wscBinary: String {
        if let path = ProcessInfo.processInfo.environment["WSC_BINARY"], !path.isEmpty {
            return path
        }
        return root + "/.build/debug/wsc"
    }

    /// The folder of the python peers.
    static var servers: String { root + "/Tests/EndToEndTests/Servers" }

    private static func findRoot(from file: String = #filePath) -> String {
        var folder = URL(fileURLWithPath: file).deletingLastPathComponent()
        for _ in 0..<16 {
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) {
                return folder.path
            }
            folder = folder.deletingLastPathComponent()
        }
        // Tests/EndToEndTests/Support/PackagePaths.swift: three folders below the root.
        return URL(fileURLWithPath: file).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }
}

// swift-tools-version:6.0
import PackageDescription

/// The executable's release build skips the runtime exclusivity checks (a begin/end access call
/// pair on every access to a class's stored property). Debug builds and the tests keep them, so
/// an overlapping access is still caught there. The libraries get no unsafe flags (a package that
/// uses unsafeFlags cannot be a versioned dependency): their per-message classes mark their stored
/// properties `@exclusivity(unchecked)` instead (ConnectionEngine, WebSocketClient,
/// ManagedConnection, EventLoop, the streams, the deflate codecs; SocketIO has no per-message
/// class state).
let executableReleaseFlags: [SwiftSetting] = [
    .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

// Linux only (glibc 2.36 or later): the sources import Glibc and call signalfd, pidfd_open, pipe2
// and getrandom directly; nothing is built or tested on macOS, so no Darwin platform is declared.
let package = Package(
    name: "wsc",
    products: [
        .executable(name: "wsc", targets: ["wsc"]),
        .library(name: "WebSocketCore", targets: ["WebSocketCore"]),
        .library(name: "WebSocketTransport", targets: ["WebSocketTransport"]),
        .library(name: "SocketIO", targets: ["SocketIO"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // System libraries, each a module map plus a shim header.
        // libedit's readline interface, loaded with dlopen by the interactive session only
        // (its headers are needed to build: libedit-dev).
        .target(
            name: "CEditLine",
            linkerSettings: [.linkedLibrary("dl")]
        ),
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]
        ),
        // Linux headers the Glibc module leaves out (signalfd).
        .systemLibrary(name: "CSystemShims"),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),

        // Pure protocol: no sockets, files, clocks or full Foundation.
        .target(
            name: "WebSocketCore",
            dependencies: ["COpenSSL", "CZlib", "CSystemShims"]
        ),
        // Engine.IO/Socket.IO, pure like the core: JSON, the packet codecs, the long-polling
        // client's state machine.
        .target(
            name: "SocketIO",
            dependencies: ["WebSocketCore"]
        ),
        // Sockets, TLS, the poll loop, one connection's life (and Engine.IO long-polling's).
        .target(
            name: "WebSocketTransport",
            dependencies: ["WebSocketCore", "SocketIO", "COpenSSL", "CSystemShims"]
        ),
        // The command-line tool.
        .executableTarget(
            name: "wsc",
            dependencies: [
                "WebSocketCore",
                "SocketIO",
                "WebSocketTransport",
                "CEditLine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: executableReleaseFlags
        ),

        .testTarget(name: "WebSocketCoreTests", dependencies: ["WebSocketCore"]),
        .testTarget(name: "SocketIOTests", dependencies: ["SocketIO", "WebSocketCore"]),
        .testTarget(name: "WebSocketTransportTests", dependencies: ["WebSocketTransport", "WebSocketCore"]),
        .testTarget(name: "wscTests", dependencies: ["wsc", "WebSocketCore", "SocketIO", "WebSocketTransport"]),
        // Runs the built wsc binary against the python peers in Tests/EndToEndTests/Servers.
        .testTarget(name: "EndToEndTests", dependencies: [], exclude: ["Servers"]),
    ]
)

import ArgumentParser

/// wsc as a server (-l) or with its own echo server (--demo).
struct ListenArguments: ParsableArguments {
    @Option(name: [.customShort("l"), .customLong("listen")], parsing: .unconditional,
            help: ArgumentHelp("""
                Be a server: accept WebSocket clients on this port (0 picks a free one; the address is printed on \
                stderr as 'listening on ws://HOST:PORT/'; wss:// with --cert and --key), or on a Unix domain socket \
                with unix:PATH. -s names the subprotocols accepted.
                """, valueName: "port"))
    var listenAddress: ListenAddress?

    @Option(name: .customLong("listen-unix"),
            help: ArgumentHelp("""
                Be a server on this Unix domain socket (as -l unix:PATH): created with mode 0600 and removed on exit; \
                a socket file left behind is replaced only if no server answers on it.
                """, valueName: "path"), completion: .file())
    var listenUnix: String?

    /// Where listen mode listens (-l or --listen-unix); nil when wsc is a client.
    var listen: ListenAddress? {
        listenAddress ?? listenUnix.map(ListenAddress.unixSocket)
    }

    @Option(name: .customLong("host"),
            help: ArgumentHelp("With -l: the address to listen on; :: or 0.0.0.0 accept clients from other hosts.",
                               valueName: "address"))
    var host: String?

    @Flag(name: .customLong("demo"),
          help: "Start an echo server inside wsc on a free loopback port and connect to it: try wsc without a server.")
    var demo = false

    func check() throws {
        if listen != nil && demo {
            throw ValidationError("--demo runs its own server; it cannot be combined with -l/--listen")
        }
        if listenAddress != nil && listenUnix != nil {
            throw ValidationError("give one listen address: -l/--listen or --listen-unix")
        }
        if case let .port(port) = listen, !(0...65535).contains(port) {
            throw ValidationError("-l/--listen: \(port) is not a port (0 to 65535; 0 picks a free one; unix:PATH for a Unix socket)")
        }
        if host != nil, case .unixSocket = listen {
            throw ValidationError("--host is an address to bind; a Unix socket (unix:PATH, --listen-unix) has none")
        }
        if host != nil && listen == nil {
            throw ValidationError("--host is the address -l/--listen binds; it needs -l")
        }
    }
}

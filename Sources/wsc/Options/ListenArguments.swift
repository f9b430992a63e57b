import ArgumentParser

/// wsc as a server (-l) or with its own echo server (--demo).
struct ListenArguments: ParsableArguments {
    @Option(name: [.customShort("l"), .customLong("listen")], parsing: .unconditional,
            help: ArgumentHelp("""
                Be a server: accept WebSocket clients on this port (0 picks a free one; the address is printed on \
                stderr as 'listening on ws://HOST:PORT/'; wss:// with --cert and --key). -s names the subprotocols accepted.
                """, valueName: "port"))
    var listen: Int?

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
        if let listen, !(0...65535).contains(listen) {
            throw ValidationError("-l/--listen: \(listen) is not a port (0 to 65535; 0 picks a free one)")
        }
        if host != nil && listen == nil {
            throw ValidationError("--host is the address -l/--listen binds; it needs -l")
        }
    }
}

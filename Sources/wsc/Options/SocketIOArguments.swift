import ArgumentParser

/// --socketio and what it takes.
struct SocketIOArguments: ParsableArguments {
    @Flag(name: .customLong("socketio"),
          help: ArgumentHelp("""
                Speak Socket.IO v5 (Engine.IO v4) over the WebSocket: connect to the server's Engine.IO path, \
                answer its pings, join the namespace, then emit each input line as an event and print the events \
                that arrive. A server that sends no ping within pingInterval + pingTimeout is taken for dead \
                (exit 7, or reconnect with -r); a refused namespace (CONNECT_ERROR) exits 5.
                """))
    var socketIO = false

    @Option(name: .customLong("socketio-path"),
            help: ArgumentHelp("With --socketio: the server's Engine.IO path. (default: /socket.io/)", valueName: "path"))
    var givenSocketIOPath: String?

    @Option(name: .customLong("socketio-transport"),
            help: ArgumentHelp("""
                With --socketio: how to reach the server. auto (the default, as the official clients do) starts \
                with HTTP long-polling and upgrades to WebSocket when the server offers it, and goes straight to \
                WebSocket when the server refuses polling; websocket and polling use only that transport. \
                (default: auto)
                """, valueName: "auto|websocket|polling"))
    var givenSocketIOTransport: SocketIOTransport?

    @Option(name: .customLong("namespace"),
            help: ArgumentHelp("With --socketio: the namespace to join (default: the URL's path, else /).",
                               valueName: "namespace"))
    var namespace: String?

    @Option(name: .customLong("socketio-auth"),
            help: ArgumentHelp("With --socketio: the CONNECT packet's auth payload, a JSON object, e.g. '{\"token\":\"x\"}'.",
                               valueName: "json"),
            transform: { text in try JSONObjectArgument(parsing: text) })
    var socketIOAuth: JSONObjectArgument?

    @Flag(name: .customLong("ack"),
          help: "With --socketio: ask for an acknowledgement of every emit, and print the reply as 'ack ID: JSON...'.")
    var ack = false

    @Flag(name: .customLong("auto-ack"),
          help: """
            With --socketio: answer every request of the server for an acknowledgement (an event shown with \
            '[ack ID]') at once, with no arguments, so that a server awaiting the answer is never stalled. \
            Without it, the input line 'ack ID JSON...' answers.
            """)
    var autoAck = false

    // The path and the transport are stored as given (nil when left out), so that they can be
    // refused without --socketio; these apply the defaults their help states.
    var socketIOPath: String { givenSocketIOPath ?? "/socket.io/" }
    var socketIOTransport: SocketIOTransport { givenSocketIOTransport ?? .auto }

    func check() throws {
        guard !socketIO else { return }
        let needsSocketIO: [(String, Bool)] = [
            ("--socketio-path", givenSocketIOPath != nil), ("--namespace", namespace != nil),
            ("--socketio-auth", socketIOAuth != nil), ("--ack", ack), ("--auto-ack", autoAck),
            ("--socketio-transport", givenSocketIOTransport != nil),
        ]
        if let (name, _) = needsSocketIO.first(where: { $0.1 }) {
            throw ValidationError("\(name) needs --socketio")
        }
    }
}

/// `--socketio-transport`.
enum SocketIOTransport: String, ExpressibleByArgument, CaseIterable {
    case auto, websocket, polling
}

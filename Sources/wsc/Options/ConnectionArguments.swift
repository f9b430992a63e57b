import ArgumentParser
import WebSocketCore

/// How to reach the server and what the handshake carries; the connection's limits and timers.
struct ConnectionArguments: ParsableArguments {
    @Option(name: [.customShort("c"), .customLong("connect")],
            help: ArgumentHelp("The WebSocket URL (wscat's spelling; same as the positional argument).", valueName: "url"))
    var connect: String?

    @Option(name: [.customShort("H"), .customLong("header")],
            help: ArgumentHelp("Add a request header to the handshake (repeatable).", valueName: "name: value"))
    var headers: [HeaderLine] = []

    @Option(name: [.customShort("o"), .customLong("origin")], help: "Send this Origin header.")
    var origin: String?

    @Option(name: [.customShort("p"), .customLong("protocol")],
            help: ArgumentHelp("""
                The WebSocket protocol version asked for: 13 (RFC 6455) or 8 (draft hybi-08, for old servers; \
                the origin is then sent as Sec-WebSocket-Origin), as wscat's -p. (default: 13)
                """, valueName: "version"))
    var givenProtocolVersion: WebSocketProtocolVersion?

    @Option(name: [.customShort("s"), .customLong("subprotocol")],
            help: ArgumentHelp("Offer this subprotocol (repeatable, in order of preference); with -l, accept it.",
                               valueName: "protocol"))
    var subprotocols: [String] = []

    @Option(name: .customLong("auth"),
            help: ArgumentHelp("HTTP Basic credentials for the handshake (overrides user:pass in the URL).",
                               valueName: "user:pass"))
    var auth: String?

    @Flag(name: [.customShort("L"), .customLong("location")],
          help: ArgumentHelp("""
            Follow redirects (3xx with Location) during the handshake. Authorization and Cookie \
            headers (-H), --auth and the URL's user:password are sent only where scheme, host and port \
            all match the URL given; a redirect from wss:// to ws:// is refused (exit 5) unless \
            --allow-insecure-redirect.
            """))
    var followRedirects = false

    @Option(name: .customLong("max-redirects"), parsing: .unconditional,
            help: ArgumentHelp("How many redirects -L follows at most. (default: 10)", valueName: "count"))
    var givenMaxRedirects: Int?

    @Flag(name: .customLong("allow-insecure-redirect"),
          help: "With -L: follow a redirect from wss:// to ws:// (refused by default: it would leave TLS).")
    var allowInsecureRedirect = false

    @Option(name: .customLong("proxy"),
            help: ArgumentHelp("""
                Connect through this proxy: http://host:port (a CONNECT tunnel), socks5://[user:password@]host:port \
                (SOCKS5; wsc resolves the server's name) or socks5h://... (the proxy resolves it). Without it, \
                https_proxy (wss), http_proxy (ws), all_proxy (either) and no_proxy from the environment apply.
                """, valueName: "url"))
    var proxy: String?

    @Option(name: .customLong("unix-socket"),
            help: ArgumentHelp("""
                Connect to this Unix domain socket instead of the URL's host and port; the URL still gives the Host \
                header and the path (and, with wss://, TLS's server name). A ws+unix:///path.sock:/resource URL does \
                the same.
                """, valueName: "path"),
            completion: .file())
    var unixSocket: String?

    @Option(name: .customLong("connect-timeout"), parsing: .unconditional,
            help: ArgumentHelp("""
                Give up when name resolution, connecting (a host's addresses are tried 250 ms apart, \
                Happy Eyeballs), TLS and the handshake take longer than this. (default: 10)
                """, valueName: "seconds"))
    var givenConnectTimeout: Seconds?

    @Option(name: .customLong("close-timeout"), parsing: .unconditional,
            help: ArgumentHelp("After sending a close frame, wait this long for the server's; after the close handshake, the server closes TCP (RFC 6455 7.1.1), waited for at most 1 s more.", valueName: "seconds"))
    var closeTimeout = Seconds(5)

    @Option(name: .customLong("max-message-size"),
            help: ArgumentHelp("""
                Largest incoming message accepted (e.g. 1048576, 512K, 64M); a larger one closes the connection \
                with 1009.
                """, valueName: "bytes"))
    var maxMessageSize = ByteSize(bytes: 64 << 20, spelled: "64M")

    @Option(name: .customLong("ping-interval"), parsing: .unconditional,
            help: ArgumentHelp("""
                Send a ping this often while connected, to detect a dead peer (with --socketio over polling: once \
                upgraded to WebSocket).
                """, valueName: "seconds"))
    var pingInterval: Seconds?

    @Option(name: .customLong("ping-timeout"), parsing: .unconditional,
            help: ArgumentHelp("""
                With --ping-interval: declare the peer dead when no pong arrives within this time (default: the \
                interval); wsc closes with 1011, then reconnects with -r or exits with status 7.
                """, valueName: "seconds"))
    var pingTimeout: Seconds?

    @Flag(name: .customLong("no-compression"),
          help: "Do not offer permessage-deflate compression (offered by default); with -l, decline clients' offers.")
    var noCompression = false

    // -p, --max-redirects and --connect-timeout are stored as given (nil when left out), so that
    // a mode that does not use them can refuse them; these apply the defaults their help states.
    var protocolVersion: WebSocketProtocolVersion { givenProtocolVersion ?? .rfc6455 }
    var maxRedirects: Int { givenMaxRedirects ?? 10 }
    var connectTimeout: Seconds { givenConnectTimeout ?? Seconds(10) }

    func check() throws {
        let durations: [(String, Seconds?)] = [("--connect-timeout", givenConnectTimeout), ("--close-timeout", closeTimeout),
                                               ("--ping-interval", pingInterval), ("--ping-timeout", pingTimeout)]
        for case let (name, value?) in durations where value.value <= 0 {
            throw ValidationError("\(name) must be a positive number of seconds, not \(value)")
        }
        if pingTimeout != nil && pingInterval == nil {
            throw ValidationError("--ping-timeout needs --ping-interval")
        }
        if maxRedirects < 0 {
            throw ValidationError("--max-redirects must be zero or more")
        }
        if unixSocket != nil && proxy != nil {
            throw ValidationError("--unix-socket and --proxy exclude each other: a Unix socket is reached directly")
        }
        if unixSocket?.isEmpty == true {
            throw ValidationError("--unix-socket needs the path of a socket")
        }
        for (name, given) in [("--allow-insecure-redirect", allowInsecureRedirect), ("--max-redirects", givenMaxRedirects != nil)]
        where given && !followRedirects {
            throw ValidationError("\(name) applies to redirects, which only -L/--location follows")
        }
        if maxMessageSize.bytes == 0 {
            throw ValidationError("--max-message-size must be at least 1 byte")
        }
    }
}

extension WebSocketProtocolVersion: ExpressibleByArgument {
    public init?(argument: String) {
        guard let number = Int(argument) else { return nil }
        self.init(rawValue: number)
    }

    public var defaultValueDescription: String { String(rawValue) }

    public static var allValueStrings: [String] { allCases.map { String($0.rawValue) } }
}

import ArgumentParser

/// How messages and status lines are shown.
struct OutputArguments: ParsableArguments {
    @Flag(name: [.customShort("b"), .customLong("binary")],
          help: """
            Send input as binary messages, and write received binary messages raw. stdin is still cut \
            into one message per line (at LF only: a CR is data); --file sends a file (or --file -, all of \
            stdin) as one message.
            """)
    var binary = false

    @Option(name: .customLong("binary-format"),
            help: ArgumentHelp("""
                How received binary messages are shown: hex (a hex dump on a terminal, one line of hex on a \
                pipe), base64 (one line per message), or raw (the bytes as they are). Default: hex, or raw \
                with -b on a pipe. With --socketio, attachments show inside the JSON as {"$binary":"..."} for \
                base64, else as {"$hex":"..."}.
                """, valueName: "hex|base64|raw"))
    var binaryFormat: BinaryFormat?

    @Flag(name: .customLong("timestamps"),
          help: "Interactive session: prefix every received message with its local arrival time (HH:MM:SS.mmm).")
    var timestamps = false

    @Flag(name: .customLong("pretty"),
          help: """
            Interactive session: print received JSON objects and arrays indented by two spaces (strings and \
            numbers exactly as sent); other messages are printed as they are. Not with --socketio, whose \
            events stay one line each.
            """)
    var pretty = false

    @Flag(name: [.customShort("P"), .customLong("show-ping-pong")],
          help: """
            Print received pings and pongs (on stderr). These are WebSocket control frames: Engine.IO's \
            heartbeat (--socketio) is data, seen with --jsonl.
            """)
    var showPingPong = false

    @Flag(name: [.customShort("q"), .customLong("quiet")], help: "Print no status lines on stderr (errors still).")
    var quiet = false

    @Flag(name: [.customShort("v"), .customLong("verbose")],
          help: """
            Print the handshake request ("> " lines) and response headers ("< " lines) on stderr. The values \
            of Authorization, Proxy-Authorization, Cookie and Set-Cookie are shown as <masked> (the \
            Authorization scheme stays: "Basic <masked>").
            """)
    var verbose = false

    @Flag(name: .customLong("no-color"), help: "Never colour the output (NO_COLOR in the environment does the same).")
    var noColor = false
}

/// `--binary-format`.
enum BinaryFormat: String, ExpressibleByArgument, CaseIterable {
    case hex, base64, raw
}

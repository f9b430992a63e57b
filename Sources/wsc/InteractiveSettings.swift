/// What the interactive session needs beyond the connection itself.
struct InteractiveSettings {
    var closeTimeout: Double
    /// `-b`: lines are sent as binary messages.
    var sendBinary: Bool
    /// `-P`: show received pings and pongs.
    var showPingPong: Bool
    /// `--slash` (the default) / `--no-slash`.
    var slashCommands: Bool
    /// `nil` with `--no-history`, or when no state directory is known.
    var history: HistoryFile?
    /// `--timestamps`.
    var timestamps: Bool
    /// `--pretty`.
    var pretty: Bool
    /// `-q`: no status lines.
    var quiet: Bool
    /// The largest file `/binary @file` sends (the connection's message size limit).
    var maxFileSize: Int
    /// `--binary-format`: how received binary messages are shown (hex: a dump).
    var binaryFormat: BinaryFormat
    /// `--transcript` (interactive never has `--jsonl`).
    var recorder: MessageRecorder?
    /// `-v`: print the handshake heads.
    var verbose: Bool
    /// Colours for messages (stdout) and for status lines and errors (stderr).
    var outputStyle: TerminalStyle
    var statusStyle: TerminalStyle
    /// `--socketio`: lines are emitted as Socket.IO events (style `.prompt`).
    var socketIO: SocketIOSettings? = nil
}

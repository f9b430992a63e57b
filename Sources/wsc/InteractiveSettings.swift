/// What the prompt needs beyond the connection and its core (`SessionCore.Settings`: the
/// recorder, Socket.IO, `-v`, the close timeout).
struct InteractiveSettings {
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
    /// Colours for messages (stdout) and for status lines and errors (stderr).
    var outputStyle: TerminalStyle
    var statusStyle: TerminalStyle
}

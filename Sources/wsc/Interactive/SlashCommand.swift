/// A command typed at the interactive prompt: a line starting with one `/`.
enum SlashCommand: Equatable, Sendable {
    /// Where the payload of `/binary` comes from.
    enum BinarySource: Equatable, Sendable {
        /// Bytes given in hex on the command line.
        case bytes([UInt8])
        /// `@path`: the contents of a file, read when the command runs.
        case file(String)
    }

    /// `/ping [data]`: a ping with `data` (UTF-8) as its payload; the round-trip time is shown
    /// when the matching pong arrives.
    case ping([UInt8])
    /// `/pong [data]`: an unsolicited pong.
    case pong([UInt8])
    /// `/close [code [reason]]`: starts the close handshake; the session ends when it finishes.
    case close(code: UInt16, reason: String)
    /// `/binary <hex or @file>`: a binary message.
    case binary(BinarySource)
    /// `/help`: lists the commands.
    case help
    /// `/quit`: closes with 1000 and exits, like Ctrl-D.
    case quit

    /// What `/help` prints.
    static let helpText = """
        Commands (a line starting with // sends the text after the first /):
          /ping [data]             send a ping; the round-trip time is shown when its pong arrives
          /pong [data]             send an unsolicited pong
          /close [code [reason]]   close the connection (default 1000) and exit
          /binary <hex | @file>    send a binary message: hex bytes ("48 65 6c" or "48656c") or a file
          /help                    show this list
          /quit                    close with 1000 and exit (also Ctrl-D on an empty line)
        Keys: Enter sends the message, Alt-Enter (Esc Enter) inserts a line break (a paste of
        several lines is one message too), Ctrl-C clears the line (on an empty line: exit),
        Up/Down browse the history, Ctrl-R recalls the previous entry containing the text typed so far.
        """
}

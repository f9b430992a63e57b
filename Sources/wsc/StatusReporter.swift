/// Status lines and errors, always on stderr so stdout carries messages only.
final class StatusReporter {
    private let stderr = OutputBuffer(fd: 2)
    private let style: TerminalStyle
    private let quiet: Bool

    init(style: TerminalStyle, quiet: Bool) {
        self.style = style
        self.quiet = quiet
    }

    /// "connected to …", "server closed …": silenced by `-q`.
    func status(_ text: String) {
        guard !quiet else { return }
        stderr.append(StatusLine.render(text, .status, style: style) + "\n")
        stderr.flush()
    }

    /// Printed even with `-q`, because it changes what the user gets.
    func warning(_ text: String) {
        stderr.append(StatusLine.render("wsc: warning: " + text, .warning, style: style) + "\n")
        stderr.flush()
    }

    fileprivate func eventSink(_ text: String) {
        stderr.append(StatusLine.render(text, .event, style: style) + "\n")
        stderr.flush()
    }

    /// `-v` output (already prefixed lines, each ending in a newline): shown even with `-q`.
    func trace(_ lines: String) {
        stderr.append(StatusLine.render(lines, .trace, style: style))
        stderr.flush()
    }

    /// `--stats`: asked for, so shown even with `-q`; neutralised like every stderr line (it
    /// quotes the close reason).
    func summary(_ text: String) {
        stderr.append(StatusLine.render(text, .trace, style: style) + "\n")
        stderr.flush()
    }

    /// The one line that explains a non-zero exit.
    func error(_ text: String) {
        stderr.append(StatusLine.render(text, .error, style: style) + "\n")
        stderr.flush()
    }
}

extension StatusReporter {
    /// Something the user asked to see (`-P`): shown even with `-q`.
    func event(_ text: String) {
        eventSink(text)
    }
}

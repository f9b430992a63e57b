import WebSocketTransport

/// Status lines and errors, always on stderr so stdout carries messages only.
///
/// Once attached to the poll loop, stderr is written like stdout (`OutputBuffer`): never with a
/// write that waits, so a stderr nobody reads (`2>&1 | pager` left paused) cannot stop signals,
/// timers or the socket. Status lines are diagnostics: while more than `highWaterMark` bytes of
/// them wait, new ones are dropped rather than holding up the session, and once stderr drains
/// one warning says how many were lost. Before the loop runs and after it stopped (the exit
/// line), a write waits for room at most `exitWait` seconds.
final class StatusReporter {
    static let highWaterMark = 256 * 1024
    static let exitWait = 1.0

    private let stderr = OutputBuffer(fd: 2, highWaterMark: StatusReporter.highWaterMark,
                                      unattachedWait: StatusReporter.exitWait)
    private let style: TerminalStyle
    private let quiet: Bool
    /// Lines dropped while stderr was full, not yet reported.
    private var droppedLines = 0

    init(style: TerminalStyle, quiet: Bool) {
        self.style = style
        self.quiet = quiet
    }

    /// From now on stderr never holds up `loop`; `detach()` once it has stopped.
    func attach(to loop: EventLoop) {
        stderr.attach(to: loop)
        stderr.onDrained = { [unowned self] in self.reportDroppedLines() }
    }

    /// The loop has stopped: what waits, and the lines still to come (the exit line, `--stats`),
    /// are written within `exitWait`.
    func detach() {
        stderr.detach()
        reportDroppedLines()
        stderr.flush()
    }

    /// "connected to …", "server closed …": silenced by `-q`.
    func status(_ text: String) {
        guard !quiet else { return }
        write(StatusLine.render(text, .status, style: style) + "\n")
    }

    /// Printed even with `-q`, because it changes what the user gets.
    func warning(_ text: String) {
        write(StatusLine.render("wsc: warning: " + text, .warning, style: style) + "\n")
    }

    fileprivate func eventSink(_ text: String) {
        write(StatusLine.render(text, .event, style: style) + "\n")
    }

    /// `-v` output (already prefixed lines, each ending in a newline): shown even with `-q`.
    func trace(_ lines: String) {
        write(StatusLine.render(lines, .trace, style: style))
    }

    /// `--stats`: asked for, so shown even with `-q`; neutralised like every stderr line (it
    /// quotes the close reason).
    func summary(_ text: String) {
        write(StatusLine.render(text, .trace, style: style) + "\n")
    }

    /// The one line that explains a non-zero exit: never dropped.
    func error(_ text: String) {
        write(StatusLine.render(text, .error, style: style) + "\n", droppable: false)
    }

    private func write(_ text: String, droppable: Bool = true) {
        if droppable && stderr.isFull {
            droppedLines += max(1, text.utf8.lazy.filter { $0 == 0x0A }.count)
            return
        }
        stderr.append(text)
        stderr.flush()
    }

    private func reportDroppedLines() {
        guard droppedLines > 0 else { return }
        let count = droppedLines
        droppedLines = 0
        let text = "\(count) status line\(count == 1 ? "" : "s") dropped: stderr was not read in time"
        stderr.append(StatusLine.render("wsc: warning: " + text, .warning, style: style) + "\n")
        stderr.flush()
    }
}

extension StatusReporter {
    /// Something the user asked to see (`-P`): shown even with `-q`.
    func event(_ text: String) {
        eventSink(text)
    }
}

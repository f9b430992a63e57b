/// The one place where lines for stderr are rendered: status lines, warnings, errors, `-P`
/// events and the `-v` trace, in every mode. They quote the server (a close reason, a Socket.IO
/// CONNECT_ERROR message, session ids, a redirect's Location, an error page), so the text is
/// neutralised here, before colours are added: a hostile server's terminal escapes (OSC 52 to
/// the clipboard, a window title, clearing the screen) are shown as visible stand-ins, never run.
enum StatusLine {
    enum Kind {
        case status, warning, error, event, trace
    }

    /// `text` as it is written to stderr, without the final newline: each line of it neutralised
    /// (`TerminalSafeText`), painted for its kind, errors prefixed with `wsc:`.
    static func render(_ text: String, _ kind: Kind, style: TerminalStyle) -> String {
        let safe = text.split(separator: "\n", omittingEmptySubsequences: false)
            .map(TerminalSafeText.sanitize)
            .joined(separator: "\n")
        switch kind {
        case .status: return style.status(safe)
        case .warning: return style.warning(safe)
        case .error: return style.error("wsc:") + " " + safe
        case .event: return style.incoming(safe)
        case .trace: return safe
        }
    }
}

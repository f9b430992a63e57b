/// What the user did at the prompt of a ``LineEditor``.
enum LineEditorEvent: Equatable, Sendable {
    /// Enter was pressed; the text of the line without the newline (may be empty).
    case line(String)
    /// Ctrl-D on an empty line, or the terminal went away.
    case endOfInput
}

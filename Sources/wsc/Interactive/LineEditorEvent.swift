/// What the user did at the prompt of a ``LineEditor``.
enum LineEditorEvent: Equatable, Sendable {
    /// Enter was pressed; the text of the line without the newline (may be empty).
    case line(String)
    /// Ctrl-D on an empty line, or the terminal went away.
    case endOfInput
    /// A paste was not put into the line: the line would have been `bytes` long, more than
    /// ``LineEditor/maximumLineBytes``.
    case pasteTooLong(bytes: Int)
}

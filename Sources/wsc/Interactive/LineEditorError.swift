/// Why a ``LineEditor`` could not start.
enum LineEditorError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Standard input or standard output is not a terminal; the interactive session needs both.
    case notATerminal
    /// Another line editor is active. libedit's readline interface is one editor per process.
    case alreadyActive
    /// libedit could not be loaded (it is loaded only for the interactive session).
    case libraryUnavailable(String)
    /// libedit could not set itself up (`rl_initialize` failed).
    case initializationFailed

    var description: String {
        switch self {
        case .notATerminal:
            return "the interactive session needs a terminal on standard input and standard output"
        case .alreadyActive:
            return "a line editor is already active in this process"
        case let .libraryUnavailable(problem):
            return "the line editor is not available: \(problem)"
        case .initializationFailed:
            return "the line editor (libedit) could not be initialised"
        }
    }
}

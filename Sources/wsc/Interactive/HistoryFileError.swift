import Glibc

/// A failure to read or write the persistent history of the interactive session.
/// History is a convenience: these errors are reported once as a warning, never fatal.
struct HistoryFileError: Error, Equatable, Sendable, CustomStringConvertible {
    enum Operation: String, Equatable, Sendable {
        case createDirectory = "create the history directory"
        case open = "open the history file"
        case read = "read the history file"
        case write = "write the history file"
        case setPermissions = "restrict the permissions of the history file"
    }

    var operation: Operation
    var path: String
    /// The `errno` value of the failed system call.
    var code: Int32

    init(_ operation: Operation, path: String, code: Int32) {
        self.operation = operation
        self.path = path
        self.code = code
    }

    var description: String {
        "cannot \(operation.rawValue) \(path): \(String(cString: strerror(code)))"
    }
}

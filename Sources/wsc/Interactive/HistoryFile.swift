import Glibc

/// The persistent history of the interactive session: one entry per line, UTF-8, newest last.
///
/// The file lives in the user's state directory (``defaultPath(environment:)``), is created with
/// mode 0600 in a directory created with mode 0700, and a file found with wider permissions is
/// narrowed to 0600: messages typed into a WebSocket session may hold tokens or passwords.
/// Each entry is appended as soon as it is entered, so a crash loses at most the line being
/// typed; the file is compacted to the newest `limit` entries when it is loaded.
///
/// A backslash and line breaks inside an entry are written as `\\`, `\n` and `\r`, so every
/// entry stays on one line of the file.
struct HistoryFile: Equatable, Sendable {
    /// Where the history is kept.
    var path: String
    /// How many entries are kept, in memory and in the file (at least 1).
    var limit: Int

    static let defaultLimit = 1000

    init(path: String, limit: Int = HistoryFile.defaultLimit) {
        self.path = path
        self.limit = max(1, limit)
    }

    /// `$XDG_STATE_HOME/wsc/history` when `XDG_STATE_HOME` is an absolute path, else
    /// `$HOME/.local/state/wsc/history`; `nil` when neither variable gives an absolute path
    /// (the XDG Base Directory specification says relative paths are to be ignored).
    static func defaultPath(environment: [String: String]) -> String? {
        if let state = absoluteDirectory(environment["XDG_STATE_HOME"]) {
            return state + "/wsc/history"
        }
        if let home = absoluteDirectory(environment["HOME"]) {
            return home + "/.local/state/wsc/history"
        }
        return nil
    }

    /// Creates the directory and the file when missing, narrows the file's permissions to 0600
    /// when they are wider, and returns the newest `limit` entries, oldest first. When the file
    /// holds more than `limit` entries it is rewritten with only those.
    func load() throws(HistoryFileError) -> [String] {
        try createParentDirectories()
        let descriptor = Glibc.open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw HistoryFileError(.open, path: path, code: errno) }
        defer { close(descriptor) }
        try restrictPermissions(of: descriptor)

        let contents = try readAll(descriptor)
        var entries: [String] = []
        for line in contents.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
            entries.append(Self.decode(String(decoding: line, as: UTF8.self)))
        }
        if entries.count > limit {
            entries.removeFirst(entries.count - limit)
            try rewrite(with: entries)
        }
        return entries
    }

    /// Appends one entry to the file (created 0600 if it has gone missing meanwhile), in a
    /// single `write` so concurrent sessions do not interleave within a line.
    func append(_ entry: String) throws(HistoryFileError) {
        let descriptor = Glibc.open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw HistoryFileError(.open, path: path, code: errno) }
        defer { close(descriptor) }
        try writeAll(Array((Self.encode(entry) + "\n").utf8), to: descriptor)
    }

    /// The file form of an entry: one line without its newline.
    static func encode(_ entry: String) -> String {
        var encoded = ""
        encoded.reserveCapacity(entry.utf8.count)
        for scalar in entry.unicodeScalars {
            switch scalar {
            case "\\": encoded += "\\\\"
            case "\n": encoded += "\\n"
            case "\r": encoded += "\\r"
            default: encoded.unicodeScalars.append(scalar)
            }
        }
        return encoded
    }

    /// The entry a line of the file stands for; an unknown escape is kept as written.
    static func decode(_ line: String) -> String {
        var decoded = ""
        var escaping = false
        for scalar in line.unicodeScalars {
            if escaping {
                switch scalar {
                case "\\": decoded += "\\"
                case "n": decoded += "\n"
                case "r": decoded += "\r"
                default:
                    decoded += "\\"
                    decoded.unicodeScalars.append(scalar)
                }
                escaping = false
            } else if scalar == "\\" {
                escaping = true
            } else {
                decoded.unicodeScalars.append(scalar)
            }
        }
        if escaping { decoded += "\\" }
        return decoded
    }

    // MARK: - Files

    private static func absoluteDirectory(_ value: String?) -> String? {
        guard var value, value.hasPrefix("/") else { return nil }
        while value.count > 1, value.hasSuffix("/") { value.removeLast() }
        return value == "/" ? "" : value
    }

    /// Creates every missing directory above the file with mode 0700; existing ones are left as
    /// they are.
    private func createParentDirectories() throws(HistoryFileError) {
        var components = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard !components.isEmpty else { return }
        components.removeLast()
        var directory = path.hasPrefix("/") ? "" : "."
        for component in components {
            directory += "/" + component
            if mkdir(directory, 0o700) != 0, errno != EEXIST {
                throw HistoryFileError(.createDirectory, path: directory, code: errno)
            }
        }
    }

    private func restrictPermissions(of descriptor: Int32) throws(HistoryFileError) {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw HistoryFileError(.open, path: path, code: errno)
        }
        let permissions = status.st_mode & 0o7777
        if permissions & ~mode_t(0o600) != 0, fchmod(descriptor, permissions & 0o600) != 0 {
            throw HistoryFileError(.setPermissions, path: path, code: errno)
        }
    }

    private func readAll(_ descriptor: Int32) throws(HistoryFileError) -> [UInt8] {
        var contents: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                contents += chunk[0..<count]
            } else if count == 0 {
                return contents
            } else if errno != EINTR {
                throw HistoryFileError(.read, path: path, code: errno)
            }
        }
    }

    private func writeAll(_ bytes: [UInt8], to descriptor: Int32) throws(HistoryFileError) {
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes {
                write(descriptor, $0.baseAddress! + offset, $0.count - offset)
            }
            if count >= 0 {
                offset += count
            } else if errno != EINTR {
                throw HistoryFileError(.write, path: path, code: errno)
            }
        }
    }

    /// Replaces the file atomically: a temporary file (mkstemp creates it 0600) in the same
    /// directory, then `rename`.
    private func rewrite(with entries: [String]) throws(HistoryFileError) {
        var template = Array((path + ".XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw HistoryFileError(.write, path: path, code: errno) }
        let temporaryPath = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        var text = ""
        for entry in entries { text += Self.encode(entry) + "\n" }
        do throws(HistoryFileError) {
            try writeAll(Array(text.utf8), to: descriptor)
        } catch {
            close(descriptor)
            unlink(temporaryPath)
            throw error
        }
        close(descriptor)
        guard rename(temporaryPath, path) == 0 else {
            let code = errno
            unlink(temporaryPath)
            throw HistoryFileError(.write, path: path, code: code)
        }
    }
}

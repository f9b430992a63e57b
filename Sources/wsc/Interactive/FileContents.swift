import Glibc

/// Reads a whole file for `/binary @file`, `--file` and `--replay`.
enum FileContents {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The file's bytes, refusing files larger than `limit`.
    static func read(_ path: String, limit: Int) throws(Failure) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw Failure(description: "cannot open \(path): \(errorText())") }
        defer { close(descriptor) }
        return try read(descriptor: descriptor, name: path, limit: limit)
    }

    /// Everything up to end of file on an open descriptor (stdin for `--file -`); `name` is
    /// what error messages call it.
    static func read(descriptor: Int32, name: String, limit: Int) throws(Failure) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN {
                    // A non-blocking descriptor (stdin set up so by someone else): wait for data.
                    var pfd = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                    _ = poll(&pfd, 1, -1)
                    continue
                }
                throw Failure(description: "cannot read \(name): \(errorText())")
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
            if bytes.count > limit {
                throw Failure(description: "\(name) is larger than \(ByteSize.describe(limit))")
            }
        }
    }

    private static func errorText() -> String { String(cString: strerror(errno)) }
}

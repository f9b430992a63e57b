import ArgumentParser

/// Where `-l` listens: a TCP port (on `--host`), or `unix:PATH`, a Unix domain socket.
enum ListenAddress: ExpressibleByArgument, Equatable {
    case port(Int)
    case unixSocket(String)

    init?(argument: String) {
        if argument.hasPrefix("unix:") {
            let path = String(argument.dropFirst("unix:".count))
            guard !path.isEmpty else { return nil }
            self = .unixSocket(path)
        } else if let port = Int(argument) {
            self = .port(port)   // the range is checked with the other listen rules, with its own message
        } else {
            return nil
        }
    }
}

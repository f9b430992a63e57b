import Glibc
import CSystemShims

/// Why a listening socket could not be set up.
public struct ListenError: Error, Equatable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}

/// A host and port in the form a user reads and types: `127.0.0.1:8080`, `[::1]:8080`; or a
/// Unix domain socket's path (`unix:/run/app.sock`; host "" and port 0).
public struct SocketEndpoint: Sendable, Equatable, CustomStringConvertible {
    /// Numeric host, IPv6 without brackets.
    public var host: String
    public var port: UInt16
    public var unixSocketPath: String?

    public init(host: String, port: UInt16) {
        self.host = host
        self.port = port
    }

    public init(unixSocketPath: String) {
        host = ""
        port = 0
        self.unixSocketPath = unixSocketPath
    }

    public var description: String {
        if let unixSocketPath { return "unix:\(unixSocketPath)" }
        return "\(hostForDisplay(host)):\(port)"
    }

    /// `ws://127.0.0.1:8080/`, `ws://[::1]:8080/`, `ws+unix:///run/app.sock:/`: where a client connects.
    public var webSocketURL: String { url(scheme: "ws") }

    /// `wss://127.0.0.1:8443/`: the same for a server that speaks TLS.
    public var secureWebSocketURL: String { url(scheme: "wss") }

    private func url(scheme: String) -> String {
        if let unixSocketPath { return "\(scheme)+unix://\(unixSocketPath):/" }
        return "\(scheme)://\(description)/"
    }

    /// Reads a socket address as filled in by `accept`, `getsockname` or `getaddrinfo`.
    init(_ storage: UnsafePointer<sockaddr>, length: socklen_t) {
        var hostBuffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        var serviceBuffer = [CChar](repeating: 0, count: Int(NI_MAXSERV))
        let rc = getnameinfo(storage, length, &hostBuffer, socklen_t(hostBuffer.count),
                             &serviceBuffer, socklen_t(serviceBuffer.count), NI_NUMERICHOST | NI_NUMERICSERV)
        if rc == 0 {
            host = String(decoding: hostBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            port = UInt16(String(decoding: serviceBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) },
                                 as: UTF8.self)) ?? 0
        } else {
            host = "?"
            port = 0
        }
    }
}

/// A non-blocking listening socket: TCP, or a Unix domain socket.
///
/// TCP: it binds the first address `host` resolves to (a numeric address resolves to itself),
/// with `SO_REUSEADDR` so a restarted server does not wait out TIME_WAIT. Port 0 asks the
/// system for a free port; `endpoint` tells which one it chose. Unix: the socket file is
/// created with mode 0600 and removed by `close()`.
public final class StreamListener {
    /// The outcome of one `accept`.
    public enum AcceptResult {
        /// A new connection, already non-blocking, with `TCP_NODELAY` set.
        case connection(fd: Int32, peer: SocketEndpoint)
        /// No pending connection: wait until the listener is readable.
        case wouldBlock
        /// accept failed (for example out of file descriptors); the message says why.
        case failed(errno: Int32, message: String)
    }

    public let fileDescriptor: Int32
    /// Where the socket is bound, with the port the system picked for port 0.
    public let endpoint: SocketEndpoint
    private var isClosed = false
    /// The socket file this listener created (Unix sockets), removed when it closes.
    private var ownedPath: String?

    /// Listens on a Unix domain socket at `path`. A file already there is replaced only when it
    /// is a socket nothing answers on (left behind by a server that was killed); a live one,
    /// or any other kind of file, is an error.
    public init(unixSocketPath path: String, backlog: Int32 = 128) throws(ListenError) {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        let bytes = Array(path.utf8)
        guard !bytes.isEmpty, bytes.count < capacity else {
            throw ListenError("cannot listen on unix:\(path): the path must be 1 to \(capacity - 1) bytes long")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
        }
        let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + bytes.count + 1)
        try Self.removeStaleSocket(at: path, address: address, length: length)

        let sock = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard sock >= 0 else { throw ListenError("cannot listen on unix:\(path): \(systemErrorMessage(errno))") }
        // The socket file gets its mode from the umask at bind time: 0600 from the start, so
        // there is no moment when others may connect (listen mode has no other threads).
        let previousMask = umask(0o177)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(sock, $0, length) }
        }
        let bindError = errno
        umask(previousMask)
        guard bound == 0 else {
            Glibc.close(sock)
            throw ListenError("cannot listen on unix:\(path): \(systemErrorMessage(bindError))")
        }
        ownedPath = path
        guard listen(sock, backlog) == 0 else {
            let reason = systemErrorMessage(errno)
            Glibc.close(sock)
            unlink(path)
            throw ListenError("cannot listen on unix:\(path): \(reason)")
        }
        _ = fcntl(sock, F_SETFL, fcntl(sock, F_GETFL) | O_NONBLOCK)
        fileDescriptor = sock
        endpoint = SocketEndpoint(unixSocketPath: path)
    }

    /// Removes a socket file nothing answers on; refuses to touch anything else.
    private static func removeStaleSocket(at path: String, address: sockaddr_un, length: socklen_t) throws(ListenError) {
        var status = stat()
        guard lstat(path, &status) == 0 else { return }   // nothing there
        guard status.st_mode & S_IFMT == S_IFSOCK else {
            throw ListenError("cannot listen on unix:\(path): the file exists and is not a socket")
        }
        let probe = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard probe >= 0 else { throw ListenError("cannot listen on unix:\(path): \(systemErrorMessage(errno))") }
        defer { Glibc.close(probe) }
        var target = address
        // A connect to a Unix socket answers at once: accepted (or queued) by a live server,
        // ECONNREFUSED when no one listens any more.
        let answered = withUnsafePointer(to: &target) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(probe, $0, length) }
        } == 0
        let code = errno
        if answered || code == EAGAIN {
            throw ListenError("cannot listen on unix:\(path): a server is already listening on it")
        }
        guard code == ECONNREFUSED else {
            throw ListenError("cannot listen on unix:\(path): \(systemErrorMessage(code))")
        }
        guard unlink(path) == 0 else {
            throw ListenError("cannot replace the stale socket unix:\(path): \(systemErrorMessage(errno))")
        }
    }

    public init(host: String, port: UInt16, backlog: Int32 = 128) throws(ListenError) {
        let addresses: [ResolvedAddress]
        switch AddressResolver.lookup(host: host, port: port, flags: AI_PASSIVE) {
        case let .success(found): addresses = found
        case let .failure(failure): throw ListenError("cannot resolve the listen address \(host): \(failure.reason)")
        }

        var lastError = "no address to bind"
        for address in addresses {
            let wanted = address.withSocketAddress { SocketEndpoint($0, length: address.length) }
            let sock = socket(address.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            if sock < 0 {
                lastError = "cannot listen on \(wanted): \(systemErrorMessage(errno))"
                continue
            }
            var one: Int32 = 1
            setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
            if address.withSocketAddress({ bind(sock, $0, address.length) }) != 0 || listen(sock, backlog) != 0 {
                let code = errno
                var reason = systemErrorMessage(code)
                if code == EADDRINUSE { reason += " (another program listens there; choose another port, or 0 for any free one)" }
                if code == EACCES && port < 1024 { reason += " (ports below 1024 need privileges)" }
                lastError = "cannot listen on \(wanted): \(reason)"
                Glibc.close(sock)
                continue
            }
            _ = fcntl(sock, F_SETFL, fcntl(sock, F_GETFL) | O_NONBLOCK)
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let named = withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(sock, $0, &length) }
            }
            fileDescriptor = sock
            if named == 0 {
                endpoint = withUnsafePointer(to: &storage) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { SocketEndpoint($0, length: length) }
                }
            } else {
                endpoint = wanted
            }
            return
        }
        throw ListenError(lastError)
    }

    /// Takes one pending connection, if any.
    public func accept() -> AcceptResult {
        while true {
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let fd = withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.accept(fileDescriptor, $0, &length)
                }
            }
            if fd >= 0 {
                // Accepted sockets inherit neither flag on Linux (Swift's Glibc has no accept4).
                _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
                // A Unix socket's clients are unnamed: they are known by the socket they came through.
                if ownedPath != nil { return .connection(fd: fd, peer: endpoint) }
                var one: Int32 = 1
                // A typed line or an echoed message must not wait for Nagle's timer.
                setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                let peer = withUnsafePointer(to: &storage) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { SocketEndpoint($0, length: length) }
                }
                return .connection(fd: fd, peer: peer)
            }
            switch errno {
            case EINTR, ECONNABORTED:
                // Interrupted, or a client gave up while queued: try the next one.
                continue
            case EAGAIN, EWOULDBLOCK:
                return .wouldBlock
            case let code:
                return .failed(errno: code, message: systemErrorMessage(code))
            }
        }
    }

    public func close() {
        guard !isClosed else { return }
        isClosed = true
        Glibc.close(fileDescriptor)
        if let ownedPath { unlink(ownedPath) }
    }

    deinit { close() }
}

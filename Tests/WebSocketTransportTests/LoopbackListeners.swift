import Glibc

/// Listening sockets on 127.0.0.1 for connect tests, closed by `close()`.
///
/// `blackHoled`: a listener with a backlog of 0 whose one queue place is taken by a connection
/// made here, so Linux drops every further SYN (the accept queue is full) and a connect to it
/// hangs as it would towards an unreachable address, without any packet leaving loopback.
struct LoopbackListener {
    let port: UInt16
    private var descriptors: [Int32]

    static func listening(backlog: Int32 = 16) -> LoopbackListener? {
        guard let (fd, port) = bound() else { return nil }
        guard listen(fd, backlog) == 0 else { Glibc.close(fd); return nil }
        return LoopbackListener(port: port, descriptors: [fd])
    }

    static func blackHoled() -> LoopbackListener? {
        guard let (fd, port) = bound() else { return nil }
        guard listen(fd, 0) == 0 else { Glibc.close(fd); return nil }
        let filler = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = loopback(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(filler, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard connected else { Glibc.close(filler); Glibc.close(fd); return nil }
        return LoopbackListener(port: port, descriptors: [fd, filler])
    }

    /// The listening socket (blocking), for tests that accept and play the server.
    var listeningSocket: Int32 { descriptors[0] }

    func close() {
        for fd in descriptors { _ = Glibc.close(fd) }
    }

    private static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        return address
    }

    private static func bound() -> (Int32, UInt16)? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        var address = loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard ok else { Glibc.close(fd); return nil }
        return (fd, UInt16(bigEndian: address.sin_port))
    }
}

import Glibc

/// A connected non-blocking TCP socket.
public final class TCPStream: ByteStream {
    public let fileDescriptor: Int32
    @exclusivity(unchecked) private var isClosed = false

    public init(connectedSocket fd: Int32) {
        fileDescriptor = fd
    }

    public var hasBufferedInput: Bool { false }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(TransportError) -> StreamResult {
        while true {
            let n = recv(fileDescriptor, buffer.baseAddress, buffer.count, 0)
            if n > 0 { return .bytes(n) }
            if n == 0 { return .endOfStream }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock(.readable)
            case let code: throw TransportError.io("connection lost: \(systemErrorMessage(code))")
            }
        }
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws(TransportError) -> StreamResult {
        while true {
            let n = send(fileDescriptor, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL))
            if n >= 0 { return .bytes(n) }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock(.writable)
            case let code: throw TransportError.io("connection lost: \(systemErrorMessage(code))")
            }
        }
    }

    /// Tells the peer we will send nothing more, keeping the read side open.
    public func shutdownWrite() {
        shutdown(fileDescriptor, Int32(SHUT_WR))
    }

    public func close() {
        guard !isClosed else { return }
        isClosed = true
        Glibc.close(fileDescriptor)
    }

    deinit { close() }
}

/// strerror, as a Swift string.
public func systemErrorMessage(_ code: Int32) -> String {
    guard let text = strerror(code) else { return "error \(code)" }
    return String(cString: text)
}

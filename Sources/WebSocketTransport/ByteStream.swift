/// The outcome of one non-blocking read or write.
public enum StreamResult: Equatable {
    /// This many bytes moved.
    case bytes(Int)
    /// Nothing moved; retry when the descriptor is ready for this.
    /// (TLS may need the socket writable to read, and readable to write.)
    case wouldBlock(IOInterest)
    /// The peer closed its side (reads only).
    case endOfStream
}

/// A non-blocking byte stream over one socket: plain TCP or TLS on top of it.
public protocol ByteStream: AnyObject {
    var fileDescriptor: Int32 { get }
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(TransportError) -> StreamResult
    func write(_ bytes: UnsafeRawBufferPointer) throws(TransportError) -> StreamResult
    /// Bytes the stream has already decrypted and buffered: poll will not report them.
    var hasBufferedInput: Bool { get }
    /// Ends the writing direction (a FIN, after close_notify over TLS); reads go on.
    func shutdownWrite()
    func close()
}

import COpenSSL
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// TLS over an already connected non-blocking TCP socket, through OpenSSL.
///
/// The handshake is stepped by the poll loop: `handshakeStep` returns what the socket
/// must become ready for next. SNI and hostname (or IP) verification are set up before it.
public final class TLSStream: ByteStream {
    private let tcp: TCPStream
    private let ssl: OpaquePointer
    private let host: String
    private let verifies: Bool
    private var isClosed = false

    public var fileDescriptor: Int32 { tcp.fileDescriptor }

    public init(tcp: TCPStream, context: TLSContext, host: String) throws(TransportError) {
        guard let ssl = SSL_new(context.context) else {
            throw .tls("cannot create a TLS session: \(TLSContext.lastErrorMessage())")
        }
        self.tcp = tcp
        self.ssl = ssl
        self.host = host
        self.verifies = !context.options.skipVerification
        SSL_set_fd(ssl, tcp.fileDescriptor)
        let isIPAddress = TLSStream.isIPAddress(host)
        if !isIPAddress {
            // SNI carries names only; RFC 6066 forbids IP literals in it.
            _ = wsc_SSL_set_tlsext_host_name(ssl, host)
        }
        if verifies {
            let param = SSL_get0_param(ssl)
            let ok = isIPAddress ? X509_VERIFY_PARAM_set1_ip_asc(param, host) : SSL_set1_host(ssl, host)
            guard ok == 1 else {
                throw .tls("cannot set the expected host name \(host)")
            }
        }
        SSL_set_connect_state(ssl)
    }

    deinit {
        SSL_free(ssl)
    }

    /// One step of the TLS handshake: nil when done, otherwise what to wait for.
    public func handshakeStep() throws(TransportError) -> IOInterest? {
        ERR_clear_error()
        let rc = SSL_do_handshake(ssl)
        if rc == 1 { return nil }
        let error = SSL_get_error(ssl, rc)
        switch error {
        case SSL_ERROR_WANT_READ: return .readable
        case SSL_ERROR_WANT_WRITE: return .writable
        default:
            let verifyResult = SSL_get_verify_result(ssl)
            if verifies && verifyResult != X509_V_OK {
                let reason = String(cString: X509_verify_cert_error_string(verifyResult))
                throw .certificate(host: host, reason: reason)
            }
            if error == SSL_ERROR_SYSCALL && ERR_peek_error() == 0 {
                throw .tls("handshake failed: connection closed by the server")
            }
            throw .tls("handshake failed: \(TLSContext.lastErrorMessage())")
        }
    }

    public var hasBufferedInput: Bool { SSL_pending(ssl) > 0 }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(TransportError) -> StreamResult {
        ERR_clear_error()
        let n = SSL_read(ssl, buffer.baseAddress, Int32(min(buffer.count, Int(Int32.max))))
        if n > 0 { return .bytes(Int(n)) }
        switch SSL_get_error(ssl, n) {
        case SSL_ERROR_WANT_READ: return .wouldBlock(.readable)
        case SSL_ERROR_WANT_WRITE: return .wouldBlock(.writable)
        case SSL_ERROR_ZERO_RETURN: return .endOfStream
        case SSL_ERROR_SYSCALL where ERR_peek_error() == 0:
            // EOF without close_notify: many servers do this; the WebSocket layer
            // decides whether the close was clean.
            return .endOfStream
        default:
            throw .io("TLS read failed: \(TLSContext.lastErrorMessage())")
        }
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws(TransportError) -> StreamResult {
        guard bytes.count > 0 else { return .bytes(0) }
        ERR_clear_error()
        let n = SSL_write(ssl, bytes.baseAddress, Int32(min(bytes.count, 1 << 30)))
        if n > 0 { return .bytes(Int(n)) }
        switch SSL_get_error(ssl, n) {
        case SSL_ERROR_WANT_READ: return .wouldBlock(.readable)
        case SSL_ERROR_WANT_WRITE: return .wouldBlock(.writable)
        default:
            throw .io("TLS write failed: \(TLSContext.lastErrorMessage())")
        }
    }

    public func close() {
        guard !isClosed else { return }
        isClosed = true
        _ = SSL_shutdown(ssl)   // best effort close_notify; the socket is non-blocking
        tcp.close()
    }

    static func isIPAddress(_ host: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }
}

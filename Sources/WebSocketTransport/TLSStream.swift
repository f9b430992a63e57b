import COpenSSL
import CSystemShims
import Glibc

/// TLS over an already connected non-blocking TCP socket, through OpenSSL, as a client or
/// on a connection a server accepted.
///
/// The handshake is stepped by the poll loop: `handshakeStep` returns what the socket
/// must become ready for next. SNI and hostname (or IP) verification are set up before it.
public final class TLSStream: ByteStream {
    private let tcp: TCPStream
    private let ssl: OpaquePointer
    private let role: TLSRole
    /// The server's name (client role), or the client's address (server role), for messages.
    private let host: String
    private let verifies: Bool
    /// Whether we present a client certificate (to say which refusal it was).
    private let hasClientCertificate: Bool
    @exclusivity(unchecked) private var isClosed = false
    /// After a fatal error OpenSSL must not be asked to send close_notify.
    @exclusivity(unchecked) private var failed = false
    /// Set (to 1) by OpenSSL's message callback when the server asks for a client certificate.
    private let certificateRequested = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
    /// Whether any application data has arrived (after it, an EOF is no refusal of the handshake).
    @exclusivity(unchecked) private var receivedData = false

    public var fileDescriptor: Int32 { tcp.fileDescriptor }

    public init(tcp: TCPStream, context: TLSContext, host: String) throws(TransportError) {
        guard let ssl = SSL_new(context.context) else {
            throw .tls("cannot create a TLS session: \(TLSContext.lastErrorMessage())")
        }
        self.tcp = tcp
        self.ssl = ssl
        self.role = .client
        self.host = host
        self.verifies = !context.options.skipVerification
        self.hasClientCertificate = context.options.certificateFile != nil
        SSL_set_fd(ssl, tcp.fileDescriptor)
        certificateRequested.pointee = 0
        wsc_watch_certificate_request(ssl, certificateRequested)
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

    /// The server side of TLS on an accepted connection: presents the context's certificate and,
    /// when the context has a CA file, requires and verifies the client's (`peer` names the
    /// client in messages).
    public init(accepted tcp: TCPStream, context: TLSContext, peer: String) throws(TransportError) {
        guard let ssl = SSL_new(context.context) else {
            throw .tls("cannot create a TLS session: \(TLSContext.lastErrorMessage())")
        }
        self.tcp = tcp
        self.ssl = ssl
        self.role = .server
        self.host = peer
        self.verifies = context.options.caFile != nil
        self.hasClientCertificate = false
        certificateRequested.pointee = 0
        SSL_set_fd(ssl, tcp.fileDescriptor)
        SSL_set_accept_state(ssl)
    }

    deinit {
        SSL_free(ssl)
        certificateRequested.deallocate()
    }

    /// One step of the TLS handshake: nil when done, otherwise what to wait for.
    public func handshakeStep() throws(TransportError) -> IOInterest? {
        ERR_clear_error()
        let rc = withoutSIGPIPE { SSL_do_handshake(ssl) }
        if rc == 1 { return nil }
        let error = SSL_get_error(ssl, rc)
        switch error {
        case SSL_ERROR_WANT_READ: return .readable
        case SSL_ERROR_WANT_WRITE: return .writable
        default:
            failed = true
            if role == .server { throw acceptFailure(error) }
            let verifyResult = SSL_get_verify_result(ssl)
            if verifies && verifyResult != X509_V_OK {
                if verifyResult == X509_V_ERR_HOSTNAME_MISMATCH || verifyResult == X509_V_ERR_IP_ADDRESS_MISMATCH {
                    throw .hostnameMismatch(host: host, certificateNames: peerCertificateNames())
                }
                let reason = String(cString: X509_verify_cert_error_string(verifyResult))
                throw .certificate(host: host, reason: reason)
            }
            let reason = wsc_ERR_GET_REASON(ERR_peek_error())
            if error == SSL_ERROR_SYSCALL || reason == wsc_SSL_R_UNEXPECTED_EOF_WHILE_READING() {
                // Closed or reset: by a server that never spoke TLS, or one refusing our certificate.
                ERR_clear_error()
                if wsc_SSL_bytes_received(ssl) == 0 { throw .notTLS(host: host, answered: false) }
                if let refusal = refusalByClosing() { throw refusal }
                throw .tls("handshake failed: connection closed by the server")
            }
            if [wsc_SSL_R_WRONG_VERSION_NUMBER(), wsc_SSL_R_PACKET_LENGTH_TOO_LONG(), wsc_SSL_R_UNKNOWN_PROTOCOL()].contains(reason) {
                ERR_clear_error()
                throw .notTLS(host: host, answered: true)
            }
            if let refusal = clientCertificateRefusal(reason) { throw refusal }
            throw .tls("handshake failed: \(TLSContext.lastErrorMessage())")
        }
    }

    /// Why a client's TLS handshake with this server failed.
    private func acceptFailure(_ error: Int32) -> TransportError {
        let verifyResult = SSL_get_verify_result(ssl)
        if verifies && verifyResult != X509_V_OK {
            let reason = String(cString: X509_verify_cert_error_string(verifyResult))
            ERR_clear_error()
            return .tls("client certificate refused (\(reason))")
        }
        let reason = wsc_ERR_GET_REASON(ERR_peek_error())
        if error == SSL_ERROR_SYSCALL || reason == wsc_SSL_R_UNEXPECTED_EOF_WHILE_READING() {
            ERR_clear_error()
            return .tls(wsc_SSL_bytes_received(ssl) == 0
                ? "the client closed the connection without starting a TLS handshake"
                : "the client closed the connection during the TLS handshake")
        }
        if reason == wsc_SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE() {
            ERR_clear_error()
            return .tls("the client sent no certificate; one is required")
        }
        if [wsc_SSL_R_HTTP_REQUEST(), wsc_SSL_R_WRONG_VERSION_NUMBER(), wsc_SSL_R_PACKET_LENGTH_TOO_LONG(),
            wsc_SSL_R_UNKNOWN_PROTOCOL()].contains(reason) {
            ERR_clear_error()
            return .tls("the client does not speak TLS (plain ws:// to a wss:// server?)")
        }
        return .tls("handshake failed: \(TLSContext.lastErrorMessage())")
    }

    /// The subject of the certificate the peer presented (RFC 2253, e.g. `CN=alice,O=Example`),
    /// or nil when it presented none. For a server with a CA file, it has been verified.
    public var peerCertificateSubject: String? {
        var buffer = [CChar](repeating: 0, count: 1024)
        let length = wsc_peer_certificate_subject(ssl, &buffer, buffer.count)
        guard length > 0 else { return nil }
        return String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// TLS alerts a server sends about the client's certificate (RFC 8446 6.2: bad_certificate,
    /// unsupported_certificate, certificate_revoked, certificate_expired, certificate_unknown,
    /// unknown_ca, certificate_required). Only a client certificate can draw them from a server.
    private static let clientCertificateAlerts: Set<Int32> = [42, 43, 44, 45, 46, 48, 116]

    /// The error for a received client-certificate alert (OpenSSL reports a received alert as
    /// reason 1000 + its code), or nil for any other reason.
    private func clientCertificateRefusal(_ reason: Int32) -> TransportError? {
        let alert = reason - wsc_SSL_AD_REASON_OFFSET()
        guard Self.clientCertificateAlerts.contains(alert) else { return nil }
        let text = TLSContext.lastErrorMessage()
        return .clientCertificateRefused(host: host, alert: text, certificateSent: hasClientCertificate)
    }

    /// A server that asked for a client certificate and closes before any application data
    /// has refused it (or its absence): on TLS 1.3 the alert that says so is often lost to the
    /// reset that follows it.
    private func refusalByClosing() -> TransportError? {
        guard certificateRequested.pointee != 0, !receivedData else { return nil }
        return .clientCertificateRefused(host: host, alert: nil, certificateSent: hasClientCertificate)
    }

    private func peerCertificateNames() -> [String] {
        var buffer = [CChar](repeating: 0, count: 1024)
        let length = wsc_peer_certificate_names(ssl, &buffer, buffer.count)
        let text = String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return text.split(separator: ",").map(String.init)
    }

    /// The error for a failed read or write (`SSL_ERROR_SSL`): a refused client certificate,
    /// which TLS 1.3 servers report only after the handshake, or a generic failure.
    private func failure(_ operation: String) -> TransportError {
        failed = true
        if let refusal = clientCertificateRefusal(wsc_ERR_GET_REASON(ERR_peek_error())) { return refusal }
        return .io("TLS \(operation) failed: \(TLSContext.lastErrorMessage())")
    }

    public var hasBufferedInput: Bool { SSL_pending(ssl) > 0 }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(TransportError) -> StreamResult {
        ERR_clear_error()
        let n = withoutSIGPIPE { SSL_read(ssl, buffer.baseAddress, Int32(min(buffer.count, Int(Int32.max)))) }
        if n > 0 {
            receivedData = true
            return .bytes(Int(n))
        }
        switch SSL_get_error(ssl, n) {
        case SSL_ERROR_WANT_READ: return .wouldBlock(.readable)
        case SSL_ERROR_WANT_WRITE: return .wouldBlock(.writable)
        case SSL_ERROR_ZERO_RETURN: return .endOfStream
        case SSL_ERROR_SYSCALL where ERR_peek_error() == 0,
             SSL_ERROR_SSL where wsc_ERR_GET_REASON(ERR_peek_error()) == wsc_SSL_R_UNEXPECTED_EOF_WHILE_READING():
            // EOF (or a reset) without close_notify, as OpenSSL 1.1 and 3 report it: many servers
            // do this, and an HTTP answer (a 403, a redirect) followed by a bare FIN must read as
            // that answer, as it does over ws://. The WebSocket layer decides whether a close was clean.
            ERR_clear_error()
            failed = true
            if let refusal = refusalByClosing() { throw refusal }
            return .endOfStream
        default:
            throw failure("read")
        }
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws(TransportError) -> StreamResult {
        guard bytes.count > 0 else { return .bytes(0) }
        ERR_clear_error()
        let n = withoutSIGPIPE { SSL_write(ssl, bytes.baseAddress, Int32(min(bytes.count, 1 << 30))) }
        if n > 0 { return .bytes(Int(n)) }
        switch SSL_get_error(ssl, n) {
        case SSL_ERROR_WANT_READ: return .wouldBlock(.readable)
        case SSL_ERROR_WANT_WRITE: return .wouldBlock(.writable)
        default:
            throw failure("write")
        }
    }

    /// Sends close_notify and shuts the socket's write side; reading goes on until the peer's end.
    public func shutdownWrite() {
        if !failed && !isClosed {
            _ = withoutSIGPIPE { SSL_shutdown(ssl) }
        }
        tcp.shutdownWrite()
    }

    public func close() {
        guard !isClosed else { return }
        isClosed = true
        if !failed {
            _ = withoutSIGPIPE { SSL_shutdown(ssl) }   // best effort close_notify; the socket is non-blocking
        }
        tcp.close()
    }

    /// Runs an OpenSSL call with SIGPIPE blocked (see `wsc_block_sigpipe`).
    @inline(__always)
    private func withoutSIGPIPE<R>(_ call: () -> R) -> R {
        var old = sigset_t()
        wsc_block_sigpipe(&old)
        defer { wsc_restore_sigpipe(&old) }
        return call()
    }

    static func isIPAddress(_ host: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }
}

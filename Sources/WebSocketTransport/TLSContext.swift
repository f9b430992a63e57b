import COpenSSL

/// Which end of the TLS handshake a context serves.
public enum TLSRole: Sendable {
    /// wss:// connections: verify the server (trust store or `caFile`), maybe present a certificate.
    case client
    /// Listen mode: present `certificateFile`; with `caFile`, require and verify client certificates.
    case server
}

/// An OpenSSL context configured once from `TLSOptions` and shared by every connection
/// (reconnects and redirects reuse the loaded trust store; a server's clients share its certificate).
public final class TLSContext {
    let context: OpaquePointer
    let options: TLSOptions
    public let role: TLSRole
    /// Kept alive for OpenSSL's passphrase callback, which receives a pointer to it.
    private let passphraseBox: PassphraseBox

    public init(options: TLSOptions, role: TLSRole = .client) throws(TransportError) {
        guard let ctx = SSL_CTX_new(role == .client ? TLS_client_method() : TLS_server_method()) else {
            throw .tlsConfiguration(.contextUnavailable(reason: TLSContext.lastErrorMessage()))
        }
        context = ctx
        self.options = options
        self.role = role
        if role == .server && options.certificateFile == nil {
            throw .tlsConfiguration(.serverWithoutCertificate)
        }
        _ = wsc_SSL_CTX_set_min_proto_version(ctx, wsc_TLS1_2_VERSION())
        // Writes are retried from a buffer that may move or shrink between attempts.
        _ = wsc_SSL_CTX_set_mode(ctx, wsc_SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER() | wsc_SSL_MODE_ENABLE_PARTIAL_WRITE())

        if role == .server {
            try TLSContext.configureClientVerification(ctx, caFile: options.caFile)
        } else if options.skipVerification {
            SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nil)
        } else {
            SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nil)
            if let ca = options.caFile {
                guard SSL_CTX_load_verify_locations(ctx, ca, nil) == 1 else {
                    throw .tlsConfiguration(.caFile(path: ca, role: .client, reason: TLSContext.lastErrorMessage()))
                }
            } else if SSL_CTX_set_default_verify_paths(ctx) != 1 {
                throw .tlsConfiguration(.systemTrustStore(reason: TLSContext.lastErrorMessage()))
            }
        }

        // Always our callback: without one OpenSSL would prompt "Enter PEM pass phrase:" on the
        // terminal for an encrypted key. Without a passphrase it answers nothing, and the load
        // fails with an error that says so.
        let box = PassphraseBox(options.passphrase)
        passphraseBox = box
        SSL_CTX_set_default_passwd_cb_userdata(ctx, Unmanaged.passUnretained(box).toOpaque())
        SSL_CTX_set_default_passwd_cb(ctx) { buffer, size, _, userdata in
            guard let buffer, let userdata else { return -1 }
            let box = Unmanaged<PassphraseBox>.fromOpaque(userdata).takeUnretainedValue()
            box.wasAsked = true
            guard let bytes = box.bytes else { return -1 }
            let count = min(Int(size), bytes.count)
            for i in 0..<count { buffer[i] = CChar(bitPattern: bytes[i]) }
            return Int32(count)
        }
        switch (options.certificateFile, options.keyFile) {
        case let (cert?, key):
            guard SSL_CTX_use_certificate_chain_file(ctx, cert) == 1 else {
                throw .tlsConfiguration(.certificate(path: cert, role: role, reason: TLSContext.lastErrorMessage()))
            }
            let keyPath = key ?? cert
            guard SSL_CTX_use_PrivateKey_file(ctx, keyPath, SSL_FILETYPE_PEM) == 1 else {
                if box.wasAsked {
                    ERR_clear_error()
                    throw .privateKeyPassphrase(path: keyPath, passphraseGiven: options.passphrase != nil)
                }
                throw .tlsConfiguration(.privateKey(path: keyPath, inCertificateFile: key == nil, reason: TLSContext.lastErrorMessage()))
            }
            guard SSL_CTX_check_private_key(ctx) == 1 else {
                throw .tlsConfiguration(.keyMismatch(keyPath: keyPath, certificatePath: cert))
            }
        case (nil, .some):
            throw .tlsConfiguration(.keyWithoutCertificate)
        case (nil, nil):
            break
        }
    }

    deinit { SSL_CTX_free(context) }

    /// A server's view of client certificates: without a CA file none is asked for; with one,
    /// every client must present a certificate that chains to it (mutual TLS), and the CA's
    /// names are sent in the CertificateRequest so a client can pick the right certificate.
    private static func configureClientVerification(_ ctx: OpaquePointer, caFile: String?) throws(TransportError) {
        guard let ca = caFile else {
            SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nil)
            return
        }
        guard SSL_CTX_load_verify_locations(ctx, ca, nil) == 1, let names = SSL_load_client_CA_file(ca) else {
            throw .tlsConfiguration(.caFile(path: ca, role: .server, reason: TLSContext.lastErrorMessage()))
        }
        SSL_CTX_set_client_CA_list(ctx, names)
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nil)
        // Session resumption with client verification needs an id context, or OpenSSL refuses it.
        let id: [UInt8] = Array("wsc".utf8)
        _ = SSL_CTX_set_session_id_context(ctx, id, UInt32(id.count))
    }

    /// The first queued OpenSSL error as text, clearing the queue.
    static func lastErrorMessage() -> String {
        let code = ERR_get_error()
        ERR_clear_error()
        guard code != 0 else { return "unknown error" }
        var buffer = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &buffer, buffer.count)
        let full = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        // "error:0A000086:SSL routines::certificate verify failed" → the readable tail.
        return full.split(separator: ":", omittingEmptySubsequences: false).last.map(String.init) ?? full
    }
}

/// What the passphrase callback answers (nil: no passphrase given) and whether it was asked.
final class PassphraseBox {
    let bytes: [UInt8]?
    var wasAsked = false
    init(_ text: String?) { bytes = text.map { Array($0.utf8) } }
}

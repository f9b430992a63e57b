#ifndef WSC_COPENSSL_SHIM_H
#define WSC_COPENSSL_SHIM_H
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/sha.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <time.h>

// The helpers below wrap OpenSSL macros, which Swift cannot import.
static inline long wsc_SSL_set_tlsext_host_name(SSL *ssl, const char *name) {
    return SSL_set_tlsext_host_name(ssl, name);
}
static inline int wsc_SSL_CTX_set_min_proto_version(SSL_CTX *ctx, int version) {
    return (int)SSL_CTX_set_min_proto_version(ctx, version);
}
static inline long wsc_SSL_CTX_set_mode(SSL_CTX *ctx, long mode) {
    return SSL_CTX_set_mode(ctx, mode);
}
// SHA-1 through the low-level interface: OpenSSL 3's one-shot SHA1() goes through EVP and
// loads the default provider, which costs about 2 MiB of resident memory in a process that
// needs no other cryptography (a ws:// connection). Deprecated in 3.0, still supported.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
static inline int wsc_sha1(const unsigned char *data, size_t length, unsigned char *digest) {
    SHA_CTX context;
    if (!SHA1_Init(&context)) return 0;
    if (!SHA1_Update(&context, data, length)) return 0;
    return SHA1_Final(digest, &context);
}
#pragma GCC diagnostic pop
static inline int wsc_TLS1_2_VERSION(void) { return TLS1_2_VERSION; }
// OpenSSL writes to the socket with write(2), not send(2) with MSG_NOSIGNAL: TLSStream wraps
// each OpenSSL call in CSystemShims' wsc_block_sigpipe/wsc_restore_sigpipe.
// Notes in *flag that the server sent a CertificateRequest: on TLS 1.3 a server that then
// refuses the client's certificate (or its absence) does so after the client's handshake is
// over, and the alert saying so is often lost to the connection reset that follows it.
static void wsc_certificate_request_seen(int write_p, int version, int content_type, const void *buf,
                                         size_t len, SSL *ssl, void *arg) {
    (void)version; (void)ssl;
    if (!write_p && content_type == SSL3_RT_HANDSHAKE && len > 0 && arg
        && ((const unsigned char *)buf)[0] == SSL3_MT_CERTIFICATE_REQUEST) {
        *(int *)arg = 1;
    }
}
static inline void wsc_watch_certificate_request(SSL *ssl, int *flag) {
    SSL_set_msg_callback(ssl, wsc_certificate_request_seen);
    SSL_set_msg_callback_arg(ssl, flag);
}
// Bytes received from the server so far (0: it never answered the ClientHello).
static inline unsigned long wsc_SSL_bytes_received(const SSL *ssl) {
    BIO *bio = SSL_get_rbio(ssl);
    return bio ? (unsigned long)BIO_number_read(bio) : 0;
}
// The reason part of a queued error code (a static inline in OpenSSL 3, a macro before).
static inline int wsc_ERR_GET_REASON(unsigned long code) { return ERR_GET_REASON(code); }
static inline int wsc_SSL_R_UNEXPECTED_EOF_WHILE_READING(void) { return SSL_R_UNEXPECTED_EOF_WHILE_READING; }
static inline int wsc_SSL_R_WRONG_VERSION_NUMBER(void) { return SSL_R_WRONG_VERSION_NUMBER; }
static inline int wsc_SSL_R_PACKET_LENGTH_TOO_LONG(void) { return SSL_R_PACKET_LENGTH_TOO_LONG; }
static inline int wsc_SSL_R_UNKNOWN_PROTOCOL(void) { return SSL_R_UNKNOWN_PROTOCOL; }
static inline int wsc_SSL_AD_REASON_OFFSET(void) { return SSL_AD_REASON_OFFSET; }

// The DNS names and IP addresses of the peer certificate's subjectAltName, comma-separated,
// into `buffer` (truncated to fit); the subject's CN when the certificate has no such names.
// Returns the length written. For a hostname-mismatch message that says which names it has.
static inline size_t wsc_peer_certificate_names(const SSL *ssl, char *buffer, size_t size) {
    if (size == 0) return 0;
    buffer[0] = 0;
    // The chain is kept even when its verification failed; the session's peer is not.
    STACK_OF(X509) *chain = SSL_get_peer_cert_chain(ssl);
    X509 *certificate = chain && sk_X509_num(chain) > 0 ? sk_X509_value(chain, 0) : SSL_get0_peer_certificate(ssl);
    if (!certificate) return 0;
    size_t used = 0;
    GENERAL_NAMES *names = X509_get_ext_d2i(certificate, NID_subject_alt_name, NULL, NULL);
    if (names) {
        for (int i = 0; i < sk_GENERAL_NAME_num(names); i++) {
            const GENERAL_NAME *name = sk_GENERAL_NAME_value(names, i);
            char text[64];
            const char *item = NULL;
            if (name->type == GEN_DNS) {
                item = (const char *)ASN1_STRING_get0_data(name->d.dNSName);
            } else if (name->type == GEN_IPADD) {
                const unsigned char *ip = ASN1_STRING_get0_data(name->d.iPAddress);
                int length = ASN1_STRING_length(name->d.iPAddress);
                if (length == 4) {
                    snprintf(text, sizeof text, "%u.%u.%u.%u", ip[0], ip[1], ip[2], ip[3]);
                    item = text;
                } else if (length == 16) {
                    snprintf(text, sizeof text, "%x:%x:%x:%x:%x:%x:%x:%x",
                             ip[0] << 8 | ip[1], ip[2] << 8 | ip[3], ip[4] << 8 | ip[5], ip[6] << 8 | ip[7],
                             ip[8] << 8 | ip[9], ip[10] << 8 | ip[11], ip[12] << 8 | ip[13], ip[14] << 8 | ip[15]);
                    item = text;
                }
            }
            if (!item) continue;
            int written = snprintf(buffer + used, size - used, "%s%s", used ? "," : "", item);
            if (written < 0 || (size_t)written >= size - used) { buffer[used] = 0; break; }
            used += (size_t)written;
        }
        GENERAL_NAMES_free(names);
    }
    if (used == 0) {
        int length = X509_NAME_get_text_by_NID(X509_get_subject_name(certificate), NID_commonName, buffer, (int)size);
        used = length > 0 ? (size_t)length : 0;
        buffer[used < size ? used : size - 1] = 0;
    }
    return used;
}
// The peer certificate's subject in RFC 2253 form (control characters escaped as \XX), into
// `buffer` (truncated to fit). Returns the length written; 0 when the peer sent no certificate.
static inline size_t wsc_peer_certificate_subject(const SSL *ssl, char *buffer, size_t size) {
    if (size == 0) return 0;
    buffer[0] = 0;
    X509 *certificate = SSL_get0_peer_certificate(ssl);
    if (!certificate) return 0;
    BIO *bio = BIO_new(BIO_s_mem());
    if (!bio) return 0;
    size_t used = 0;
    if (X509_NAME_print_ex(bio, X509_get_subject_name(certificate), 0, XN_FLAG_RFC2253) >= 0) {
        int length = BIO_read(bio, buffer, (int)(size - 1));
        used = length > 0 ? (size_t)length : 0;
    }
    buffer[used] = 0;
    BIO_free(bio);
    return used;
}
static inline int wsc_SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE(void) { return SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE; }
static inline int wsc_SSL_R_HTTP_REQUEST(void) { return SSL_R_HTTP_REQUEST; }
static inline long wsc_SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER(void) { return SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER; }
static inline long wsc_SSL_MODE_ENABLE_PARTIAL_WRITE(void) { return SSL_MODE_ENABLE_PARTIAL_WRITE; }
#endif

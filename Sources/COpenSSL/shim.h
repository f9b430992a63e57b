#ifndef WSC_COPENSSL_SHIM_H
#define WSC_COPENSSL_SHIM_H
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/sha.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

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
static inline long wsc_SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER(void) { return SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER; }
static inline long wsc_SSL_MODE_ENABLE_PARTIAL_WRITE(void) { return SSL_MODE_ENABLE_PARTIAL_WRITE; }
#endif

/*
 * peer.h: the pieces the benchmark peers share (header-only, so each peer
 * still builds with one command: cc -O2 -o ws_count ws_count.c -lcrypto).
 *
 * Everything here is written for one connection at a time on loopback:
 * non-blocking sockets, poll(2), big buffers, no per-message allocation.
 */
#ifndef WSC_BENCH_PEER_H
#define WSC_BENCH_PEER_H

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* ------------------------------------------------------------------ misc */

static inline void die(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(2);
}

static inline double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static inline void *xmalloc(size_t n) {
    void *p = malloc(n ? n : 1);
    if (!p) die("out of memory (%zu bytes)", n);
    return p;
}

static inline void set_nonblocking(int fd) {
    int flags = fcntl(fd, F_GETFL, 0);
    if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) die("fcntl: %s", strerror(errno));
}

static inline unsigned long long parse_count(const char *text, const char *what) {
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno || !end || *end || end == text) die("bad %s: %s", what, text);
    return v;
}

/* Appends one line to FILE (or stdout when path is NULL) and flushes it. */
static inline void report_line(const char *path, const char *fmt, ...) {
    FILE *f = path ? fopen(path, "a") : stdout;
    if (!f) die("cannot open %s: %s", path, strerror(errno));
    va_list ap;
    va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
    fputc('\n', f);
    fflush(f);
    if (path) fclose(f);
}

/* ------------------------------------------------------------- sockets */

/* Listens on 127.0.0.1:port (0 = any free port) and prints the port it got
 * as the first line on stdout, flushed, so a script can read it. */
static inline int listen_loopback(int port) {
    signal(SIGPIPE, SIG_IGN);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) die("socket: %s", strerror(errno));
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) die("bind 127.0.0.1:%d: %s", port, strerror(errno));
    if (listen(fd, 16) < 0) die("listen: %s", strerror(errno));
    socklen_t len = sizeof sa;
    if (getsockname(fd, (struct sockaddr *)&sa, &len) < 0) die("getsockname: %s", strerror(errno));
    printf("%d\n", ntohs(sa.sin_port));
    fflush(stdout);
    return fd;
}

static inline int accept_one(int lfd) {
    for (;;) {
        int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
        if (fd >= 0) {
            int one = 1;
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            return fd;
        }
        if (errno != EINTR && errno != ECONNABORTED) die("accept: %s", strerror(errno));
    }
}

static inline int connect_loopback(const char *host, int port) {
    signal(SIGPIPE, SIG_IGN);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) die("socket: %s", strerror(errno));
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, host, &sa.sin_addr) != 1) die("not an IPv4 address: %s", host);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) die("connect %s:%d: %s", host, port, strerror(errno));
    return fd;
}

/* Waits until fd is ready for `events` or timeout_ms passes. Returns revents, 0 on timeout. */
static inline int wait_fd(int fd, short events, int timeout_ms) {
    struct pollfd p = {.fd = fd, .events = events};
    for (;;) {
        int r = poll(&p, 1, timeout_ms);
        if (r >= 0) return r ? p.revents : 0;
        if (errno != EINTR) die("poll: %s", strerror(errno));
    }
}

/* Half-closes, then reads and discards until the peer closes too (at most
 * about two seconds), so that close() does not turn into a reset. */
static inline void linger_close(int fd) {
    unsigned char buf[65536];
    shutdown(fd, SHUT_WR);
    double deadline = now_seconds() + 2.0;
    for (;;) {
        ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) break;
        if (n > 0) continue;
        int left = (int)((deadline - now_seconds()) * 1000);
        if (left <= 0 || !wait_fd(fd, POLLIN, left)) break;
    }
    close(fd);
}

/* ------------------------------------------------------ output buffer */

typedef struct {
    unsigned char *data;
    size_t len, off, cap;
} outbuf;

static inline void out_reserve(outbuf *o, size_t extra) {
    if (o->off && o->off == o->len) o->off = o->len = 0;
    if (o->len + extra <= o->cap) return;
    if (o->off) {
        memmove(o->data, o->data + o->off, o->len - o->off);
        o->len -= o->off;
        o->off = 0;
        if (o->len + extra <= o->cap) return;
    }
    size_t cap = o->cap ? o->cap : 65536;
    while (cap < o->len + extra) cap *= 2;
    o->data = realloc(o->data, cap);
    if (!o->data) die("out of memory");
    o->cap = cap;
}

static inline void out_append(outbuf *o, const void *p, size_t n) {
    out_reserve(o, n);
    memcpy(o->data + o->len, p, n);
    o->len += n;
}

static inline size_t out_pending(const outbuf *o) { return o->len - o->off; }

/* Writes as much as the socket takes. Returns -1 on a write error (peer gone). */
static inline int out_flush(outbuf *o, int fd) {
    while (o->off < o->len) {
        ssize_t n = send(fd, o->data + o->off, o->len - o->off, MSG_NOSIGNAL);
        if (n > 0) {
            o->off += (size_t)n;
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return 0;
        return -1;
    }
    o->off = o->len = 0;
    return 0;
}

/* Flushes everything, waiting for the socket as needed (up to timeout_ms per wait). */
static inline int out_drain(outbuf *o, int fd, int timeout_ms) {
    while (out_pending(o)) {
        if (out_flush(o, fd) < 0) return -1;
        if (out_pending(o) && !wait_fd(fd, POLLOUT, timeout_ms)) return -1;
    }
    return 0;
}

/* ------------------------------------------------- server handshake */

static inline void base64_encode(const unsigned char *in, size_t n, char *out) {
    static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t i = 0;
    char *o = out;
    for (; i + 3 <= n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
        *o++ = abc[v >> 18];
        *o++ = abc[(v >> 12) & 63];
        *o++ = abc[(v >> 6) & 63];
        *o++ = abc[v & 63];
    }
    if (n - i == 1) {
        uint32_t v = (uint32_t)in[i] << 16;
        *o++ = abc[v >> 18];
        *o++ = abc[(v >> 12) & 63];
        *o++ = '=';
        *o++ = '=';
    } else if (n - i == 2) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;
        *o++ = abc[v >> 18];
        *o++ = abc[(v >> 12) & 63];
        *o++ = abc[(v >> 6) & 63];
        *o++ = '=';
    }
    *o = 0;
}

#ifndef PEER_NO_WEBSOCKET
#include <openssl/sha.h>

#define WS_GUID "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

/* Case-insensitive search for `token` in a comma-separated header value. */
static inline int header_has_token(const char *value, size_t vlen, const char *token) {
    size_t tlen = strlen(token);
    size_t i = 0;
    while (i < vlen) {
        while (i < vlen && (value[i] == ' ' || value[i] == '\t' || value[i] == ',')) i++;
        size_t start = i;
        while (i < vlen && value[i] != ',') i++;
        size_t end = i;
        while (end > start && (value[end - 1] == ' ' || value[end - 1] == '\t')) end--;
        if (end - start == tlen && strncasecmp(value + start, token, tlen) == 0) return 1;
    }
    return 0;
}

/* Looks up a header in a request head (lines separated by CRLF). Returns a pointer
 * to the trimmed value and its length through vlen, or NULL. */
static inline const char *find_header(const char *head, size_t hlen, const char *name, size_t *vlen) {
    size_t nlen = strlen(name);
    const char *p = memchr(head, '\n', hlen); /* skip the request line */
    const char *end = head + hlen;
    while (p && p + 1 < end) {
        const char *line = p + 1;
        const char *eol = memchr(line, '\n', (size_t)(end - line));
        if (!eol) eol = end;
        const char *colon = memchr(line, ':', (size_t)(eol - line));
        if (colon && (size_t)(colon - line) == nlen && strncasecmp(line, name, nlen) == 0) {
            const char *v = colon + 1;
            const char *ve = eol;
            while (v < ve && (*v == ' ' || *v == '\t')) v++;
            while (ve > v && (ve[-1] == '\r' || ve[-1] == ' ' || ve[-1] == '\t')) ve--;
            *vlen = (size_t)(ve - v);
            return v;
        }
        p = eol < end ? eol : NULL;
    }
    return NULL;
}

static inline void reject(int fd, const char *status, const char *why) {
    char buf[512];
    int n = snprintf(buf, sizeof buf,
                     "HTTP/1.1 %s\r\nSec-WebSocket-Version: 13\r\nContent-Type: text/plain\r\n"
                     "Content-Length: %zu\r\nConnection: close\r\n\r\n%s\n",
                     status, strlen(why) + 1, why);
    outbuf o = {0};
    out_append(&o, buf, (size_t)n);
    out_drain(&o, fd, 1000);
    free(o.data);
    fprintf(stderr, "handshake rejected: %s\n", why);
}

/*
 * Reads the client's opening request and answers 101 (RFC 6455 4.2).
 * Bytes that arrived after the request head are left in *extra (malloc'd,
 * *extra_len bytes) for the frame decoder. Returns 0 on success.
 */
static inline int server_handshake(int fd, unsigned char **extra, size_t *extra_len) {
    char head[16384];
    size_t len = 0;
    char *end = NULL;
    while (!end) {
        if (len == sizeof head) {
            reject(fd, "431 Request Header Fields Too Large", "request head too large");
            return -1;
        }
        if (!wait_fd(fd, POLLIN, 10000)) {
            fprintf(stderr, "handshake: timed out waiting for the request\n");
            return -1;
        }
        ssize_t n = recv(fd, head + len, sizeof head - len, 0);
        if (n == 0) return -1;
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN) continue;
            return -1;
        }
        len += (size_t)n;
        end = memmem(head, len, "\r\n\r\n", 4);
    }
    size_t hlen = (size_t)(end - head) + 4;

    if (strncmp(head, "GET ", 4) != 0) {
        reject(fd, "405 Method Not Allowed", "only GET can open a WebSocket");
        return -1;
    }
    const char *eol = memchr(head, '\r', hlen);
    if (!eol || eol - head < 14 || strncmp(eol - 8, "HTTP/1.1", 8) != 0) {
        reject(fd, "400 Bad Request", "request line must end in HTTP/1.1");
        return -1;
    }
    size_t vlen = 0;
    const char *v = find_header(head, hlen, "Upgrade", &vlen);
    if (!v || !header_has_token(v, vlen, "websocket")) {
        reject(fd, "400 Bad Request", "missing Upgrade: websocket");
        return -1;
    }
    v = find_header(head, hlen, "Connection", &vlen);
    if (!v || !header_has_token(v, vlen, "upgrade")) {
        reject(fd, "400 Bad Request", "missing Connection: Upgrade");
        return -1;
    }
    v = find_header(head, hlen, "Sec-WebSocket-Version", &vlen);
    if (!v || vlen != 2 || strncmp(v, "13", 2) != 0) {
        reject(fd, "426 Upgrade Required", "Sec-WebSocket-Version must be 13");
        return -1;
    }
    const char *key = find_header(head, hlen, "Sec-WebSocket-Key", &vlen);
    if (!key || vlen != 24 || key[22] != '=' || key[23] != '=') {
        /* 16 random bytes always encode to 22 characters and "==" */
        reject(fd, "400 Bad Request", "Sec-WebSocket-Key must be 16 bytes in base64");
        return -1;
    }

    char concat[24 + sizeof WS_GUID];
    memcpy(concat, key, 24);
    memcpy(concat + 24, WS_GUID, sizeof WS_GUID - 1);
    unsigned char digest[SHA_DIGEST_LENGTH];
    SHA1((const unsigned char *)concat, 24 + sizeof WS_GUID - 1, digest);
    char accept[32];
    base64_encode(digest, sizeof digest, accept);

    char reply[256];
    int n = snprintf(reply, sizeof reply,
                     "HTTP/1.1 101 Switching Protocols\r\n"
                     "Upgrade: websocket\r\n"
                     "Connection: Upgrade\r\n"
                     "Sec-WebSocket-Accept: %s\r\n\r\n",
                     accept);
    outbuf o = {0};
    out_append(&o, reply, (size_t)n);
    int rc = out_drain(&o, fd, 10000);
    free(o.data);
    if (rc < 0) return -1;

    *extra_len = len - hlen;
    *extra = xmalloc(*extra_len);
    memcpy(*extra, head + hlen, *extra_len);
    return 0;
}

/* ---------------------------------------------------------- frames out */

enum { OP_CONT = 0, OP_TEXT = 1, OP_BINARY = 2, OP_CLOSE = 8, OP_PING = 9, OP_PONG = 10 };

/* Writes an unmasked (server-to-client) frame header for a payload of n bytes. */
static inline size_t frame_header(unsigned char *h, int fin, int opcode, uint64_t n) {
    h[0] = (unsigned char)((fin ? 0x80 : 0) | opcode);
    if (n < 126) {
        h[1] = (unsigned char)n;
        return 2;
    }
    if (n <= 0xFFFF) {
        h[1] = 126;
        h[2] = (unsigned char)(n >> 8);
        h[3] = (unsigned char)n;
        return 4;
    }
    h[1] = 127;
    for (int i = 0; i < 8; i++) h[2 + i] = (unsigned char)(n >> (56 - 8 * i));
    return 10;
}

static inline void out_frame(outbuf *o, int opcode, const void *payload, uint64_t n) {
    unsigned char h[10];
    size_t hl = frame_header(h, 1, opcode, n);
    out_reserve(o, hl + n);
    memcpy(o->data + o->len, h, hl);
    if (n) memcpy(o->data + o->len + hl, payload, n);
    o->len += hl + n;
}

static inline void out_close(outbuf *o, int code) {
    unsigned char p[2] = {(unsigned char)(code >> 8), (unsigned char)code};
    out_frame(o, OP_CLOSE, p, code ? 2 : 0);
}

/* ---------------------------------------------------------- frames in */

/* XORs n bytes with the 4-byte mask, starting at mask position `phase`
 * (0..3), eight bytes at a time. Returns the phase after the last byte. */
static inline unsigned unmask(unsigned char *p, size_t n, const unsigned char key[4], unsigned phase) {
    unsigned char rot[8];
    for (int i = 0; i < 8; i++) rot[i] = key[(phase + (unsigned)i) & 3];
    uint64_t m;
    memcpy(&m, rot, 8);
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        uint64_t a, b, c, d;
        memcpy(&a, p + i, 8);
        memcpy(&b, p + i + 8, 8);
        memcpy(&c, p + i + 16, 8);
        memcpy(&d, p + i + 24, 8);
        a ^= m, b ^= m, c ^= m, d ^= m;
        memcpy(p + i, &a, 8);
        memcpy(p + i + 8, &b, 8);
        memcpy(p + i + 16, &c, 8);
        memcpy(p + i + 24, &d, 8);
    }
    for (; i + 8 <= n; i += 8) {
        uint64_t a;
        memcpy(&a, p + i, 8);
        a ^= m;
        memcpy(p + i, &a, 8);
    }
    for (; i < n; i++) p[i] ^= rot[i & 7];
    return (unsigned)((phase + n) & 3);
}

typedef struct wsdec wsdec;

typedef struct {
    /* A piece of a data message's payload, already unmasked. `opcode` is the
     * message's opcode (text or binary), also for continuation frames. */
    void (*data)(void *ctx, int opcode, unsigned char *p, size_t n);
    /* The final frame of a data message ended. */
    void (*message_end)(void *ctx, int opcode);
    /* A whole ping or pong (close frames are reported through ws_feed's result). */
    void (*control)(void *ctx, int opcode, unsigned char *p, size_t n);
} ws_callbacks;

struct wsdec {
    int in_payload;
    unsigned char hdr[14];
    size_t hdr_len;
    int fin, opcode, masked;
    uint64_t remaining;
    unsigned char key[4];
    unsigned phase;
    int message_opcode; /* text/binary of the message in progress, 0 when none */
    unsigned char ctl[125];
    size_t ctl_len;
    uint64_t max_frame;
    /* After a close frame: its code (1005 when it had none) and reason. */
    int close_code;
    char close_reason[124];
};

enum { FEED_OK = 0, FEED_CLOSE = 1 }; /* any other result is a close code for a protocol error */

static inline size_t header_size(const unsigned char *h) {
    size_t n = 2;
    unsigned len7 = h[1] & 0x7F;
    if (len7 == 126) n += 2;
    if (len7 == 127) n += 8;
    if (h[1] & 0x80) n += 4;
    return n;
}

/* Validates a complete header and sets up the payload state. Returns 0 or a close code. */
static inline int begin_frame(wsdec *d) {
    const unsigned char *h = d->hdr;
    d->fin = h[0] >> 7;
    d->opcode = h[0] & 0x0F;
    d->masked = h[1] >> 7;
    if (h[0] & 0x70) return 1002;  /* no extension negotiated */
    if (!d->masked) return 1002;   /* client frames must be masked */
    unsigned len7 = h[1] & 0x7F;
    size_t pos = 2;
    uint64_t len = len7;
    if (len7 == 126) {
        len = (uint64_t)h[2] << 8 | h[3];
        pos = 4;
    } else if (len7 == 127) {
        len = 0;
        for (int i = 0; i < 8; i++) len = len << 8 | h[2 + i];
        pos = 10;
        if (len >> 63) return 1002;
    }
    memcpy(d->key, h + pos, 4);
    d->remaining = len;
    d->phase = 0;
    if (d->opcode >= 8) {
        if (d->opcode > OP_PONG) return 1002;
        if (!d->fin || len > 125) return 1002;
        d->ctl_len = 0;
    } else if (d->opcode == OP_CONT) {
        if (!d->message_opcode) return 1002;
    } else if (d->opcode == OP_TEXT || d->opcode == OP_BINARY) {
        if (d->message_opcode) return 1002;
        d->message_opcode = d->opcode;
    } else {
        return 1002;
    }
    if (d->max_frame && len > d->max_frame) return 1009;
    return 0;
}

/* Called when a frame's payload is complete. Returns FEED_OK, FEED_CLOSE or a close code. */
static inline int end_frame(wsdec *d, const ws_callbacks *cb, void *ctx) {
    d->in_payload = 0;
    d->hdr_len = 0;
    if (d->opcode >= 8) {
        if (d->opcode == OP_CLOSE) {
            if (d->ctl_len == 1) return 1002;
            d->close_code = d->ctl_len >= 2 ? (d->ctl[0] << 8 | d->ctl[1]) : 1005;
            size_t rl = d->ctl_len >= 2 ? d->ctl_len - 2 : 0;
            memcpy(d->close_reason, d->ctl + 2, rl);
            d->close_reason[rl] = 0;
            return FEED_CLOSE;
        }
        if (cb->control) cb->control(ctx, d->opcode, d->ctl, d->ctl_len);
        return FEED_OK;
    }
    if (d->fin) {
        int op = d->message_opcode;
        d->message_opcode = 0;
        if (cb->message_end) cb->message_end(ctx, op);
    }
    return FEED_OK;
}

/*
 * Feeds received bytes (modified in place: payloads are unmasked where they
 * lie). Stops at a close frame. *used tells how many bytes were consumed.
 */
static inline int ws_feed(wsdec *d, unsigned char *p, size_t n, size_t *used, const ws_callbacks *cb, void *ctx) {
    size_t i = 0;
    int rc = FEED_OK;
    while (i < n) {
        if (!d->in_payload) {
            /* Fast path: a whole header in the buffer. */
            size_t need;
            if (d->hdr_len == 0 && n - i >= 2 && n - i >= (need = header_size(p + i))) {
                memcpy(d->hdr, p + i, need);
                i += need;
            } else {
                d->hdr[d->hdr_len++] = p[i++];
                if (d->hdr_len < 2 || d->hdr_len < header_size(d->hdr)) continue;
            }
            if ((rc = begin_frame(d))) break;
            d->in_payload = 1;
            if (d->remaining == 0 && (rc = end_frame(d, cb, ctx))) break;
            continue;
        }
        size_t take = n - i;
        if ((uint64_t)take > d->remaining) take = (size_t)d->remaining;
        d->phase = unmask(p + i, take, d->key, d->phase);
        if (d->opcode >= 8) {
            memcpy(d->ctl + d->ctl_len, p + i, take);
            d->ctl_len += take;
        } else if (cb->data) {
            cb->data(ctx, d->message_opcode, p + i, take);
        }
        i += take;
        d->remaining -= take;
        if (d->remaining == 0 && (rc = end_frame(d, cb, ctx))) break;
    }
    *used = i;
    return rc;
}

#endif /* PEER_NO_WEBSOCKET */
#endif

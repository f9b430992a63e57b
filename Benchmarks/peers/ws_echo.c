/*
 * ws_echo: a WebSocket server that sends every data message back as it came
 * (same opcode, same payload).
 *
 *   ws_echo [--close-after-echo] [--raw] [--report FILE] [--once] [PORT]
 *
 * Prints the port on stdout's first line (PORT 0 or none picks a free one).
 * Serves one connection at a time; answers pings and the client's close.
 * With --close-after-echo it sends close 1000 right after echoing the first
 * message and waits (up to 5 s) for the client's close frame; that lets a
 * one-shot client that exits on the server's close be timed end to end.
 * --raw skips WebSocket: it sends back every byte it reads until the client
 * half-closes (with --close-after-echo: until the first read), then closes;
 * the raw-TCP ceiling for the one-shot benchmark.
 * A line `messages=N bytes=B seconds=T end=...` per connection goes to
 * stdout or is appended to --report FILE.
 */
#include "peer.h"

typedef struct {
    outbuf *out;
    unsigned char *msg;
    size_t len, cap;
    unsigned long long messages, bytes;
    int close_after_echo, closing;
} echo;

static void on_data(void *ctx, int opcode, unsigned char *p, size_t n) {
    (void)opcode;
    echo *e = ctx;
    if (e->closing) return;
    if (e->len + n > e->cap) {
        size_t cap = e->cap ? e->cap : 65536;
        while (cap < e->len + n) cap *= 2;
        e->msg = realloc(e->msg, cap);
        if (!e->msg) die("out of memory");
        e->cap = cap;
    }
    memcpy(e->msg + e->len, p, n);
    e->len += n;
}

static void on_message_end(void *ctx, int opcode) {
    echo *e = ctx;
    if (e->closing) return;
    out_frame(e->out, opcode, e->msg, e->len);
    e->messages++;
    e->bytes += e->len;
    e->len = 0;
    if (e->close_after_echo) {
        out_close(e->out, 1000);
        e->closing = 1;
    }
}

static void on_control(void *ctx, int opcode, unsigned char *p, size_t n) {
    echo *e = ctx;
    if (opcode == OP_PING && !e->closing) out_frame(e->out, OP_PONG, p, n);
}

/* Raw TCP: echo bytes back (a "message" is one read). */
static void serve_raw(int fd, int close_after_echo, const char *report) {
    double t0 = now_seconds();
    size_t cap = 1 << 16;
    unsigned char *buf = xmalloc(cap);
    unsigned long long messages = 0, bytes = 0;
    for (;;) {
        ssize_t n = recv(fd, buf, cap, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        for (ssize_t off = 0; off < n;) {
            ssize_t w = send(fd, buf + off, (size_t)(n - off), MSG_NOSIGNAL);
            if (w < 0 && errno == EINTR) continue;
            if (w < 0) goto done;
            off += w;
        }
        messages++;
        bytes += (size_t)n;
        if (close_after_echo) break;
    }
done:
    linger_close(fd);
    report_line(report, "messages=%llu bytes=%llu seconds=%.6f end=eof", messages, bytes, now_seconds() - t0);
    free(buf);
}

static void serve(int fd, int close_after_echo, const char *report) {
    unsigned char *extra = NULL;
    size_t extra_len = 0;
    if (server_handshake(fd, &extra, &extra_len) < 0) {
        close(fd);
        return;
    }
    set_nonblocking(fd);
    double t0 = now_seconds();
    outbuf out = {0};
    echo e = {.out = &out, .close_after_echo = close_after_echo};
    ws_callbacks cb = {on_data, on_message_end, on_control};
    wsdec dec = {0};
    size_t cap = 1 << 20, used;
    unsigned char *buf = xmalloc(cap);
    int rc = ws_feed(&dec, extra, extra_len, &used, &cb, &e);
    free(extra);
    const char *end = "eof";
    while (rc == FEED_OK) {
        if (out_pending(&out) && out_flush(&out, fd) < 0) break;
        ssize_t n = recv(fd, buf, cap, 0);
        if (n > 0) {
            rc = ws_feed(&dec, buf, (size_t)n, &used, &cb, &e);
            continue;
        }
        if (n == 0) break;
        if (errno == EINTR) continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK) break;
        int timeout = e.closing ? 5000 : 120000;
        if (!wait_fd(fd, POLLIN | (out_pending(&out) ? POLLOUT : 0), timeout)) {
            end = "timeout";
            break;
        }
    }
    if (rc == FEED_CLOSE) {
        end = "close";
        if (!e.closing) out_close(&out, 1000);
    } else if (rc != FEED_OK) {
        end = "error";
        if (!e.closing) out_close(&out, rc);
    }
    out_drain(&out, fd, 5000);
    linger_close(fd);
    report_line(report, "messages=%llu bytes=%llu seconds=%.6f end=%s", e.messages, e.bytes, now_seconds() - t0, end);
    free(buf);
    free(e.msg);
    free(out.data);
}

int main(int argc, char **argv) {
    const char *report = NULL;
    int once = 0, port = 0, close_after_echo = 0, raw = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--report") && i + 1 < argc) report = argv[++i];
        else if (!strcmp(argv[i], "--once")) once = 1;
        else if (!strcmp(argv[i], "--close-after-echo")) close_after_echo = 1;
        else if (!strcmp(argv[i], "--raw")) raw = 1;
        else if (argv[i][0] != '-') port = (int)parse_count(argv[i], "port");
        else die("usage: ws_echo [--close-after-echo] [--raw] [--report FILE] [--once] [PORT]");
    }
    int lfd = listen_loopback(port);
    do (raw ? serve_raw : serve)(accept_one(lfd), close_after_echo, report);
    while (!once);
    return 0;
}

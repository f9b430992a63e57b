/*
 * ws_count: a WebSocket server that counts the data messages it receives.
 *
 *   ws_count [--report FILE] [--dump FILE] [--once] [PORT]
 *
 * Prints the port on stdout's first line (PORT 0 or none picks a free one).
 * Serves one connection at a time. When the client sends its close frame it
 * writes `messages=N bytes=B seconds=T end=close` (to stdout or appended to
 * FILE), then replies with close 1000. `seconds` runs from the end of the
 * handshake to the client's close. A connection that ends without a close
 * frame is reported with end=eof, a protocol error with end=error:CODE.
 *
 * --dump FILE appends every message's payload to FILE followed by a newline
 * unless it already ends with one (so line-per-message clients that keep or
 * strip the newline produce the same file). --once exits after one connection.
 */
#include "peer.h"

typedef struct {
    unsigned long long messages, bytes;
    FILE *dump;
    unsigned char last; /* last payload byte of the current message, for --dump */
    int empty;          /* current message has no payload so far */
    outbuf *out;
} counter;

static void on_data(void *ctx, int opcode, unsigned char *p, size_t n) {
    (void)opcode;
    counter *c = ctx;
    c->bytes += n;
    if (c->dump && n) {
        fwrite(p, 1, n, c->dump);
        c->last = p[n - 1];
        c->empty = 0;
    }
}

static void on_message_end(void *ctx, int opcode) {
    (void)opcode;
    counter *c = ctx;
    c->messages++;
    if (c->dump) {
        if (c->empty || c->last != '\n') fputc('\n', c->dump);
        c->empty = 1;
    }
}

static void on_control(void *ctx, int opcode, unsigned char *p, size_t n) {
    counter *c = ctx;
    if (opcode == OP_PING) out_frame(c->out, OP_PONG, p, n);
}

static void serve(int fd, const char *report, const char *dump_path) {
    unsigned char *extra = NULL;
    size_t extra_len = 0;
    if (server_handshake(fd, &extra, &extra_len) < 0) {
        close(fd);
        return;
    }
    set_nonblocking(fd);
    double t0 = now_seconds();

    outbuf out = {0};
    counter c = {.out = &out, .empty = 1};
    if (dump_path) {
        c.dump = fopen(dump_path, "a");
        if (!c.dump) die("cannot open %s: %s", dump_path, strerror(errno));
        setvbuf(c.dump, NULL, _IOFBF, 1 << 20);
    }
    ws_callbacks cb = {on_data, on_message_end, on_control};
    wsdec dec = {0};

    size_t cap = 1 << 20;
    unsigned char *buf = xmalloc(cap);
    size_t used = 0;
    int rc = ws_feed(&dec, extra, extra_len, &used, &cb, &c);
    free(extra);
    char end[32] = "eof";
    while (rc == FEED_OK) {
        if (out_pending(&out) && out_flush(&out, fd) < 0) break;
        ssize_t n = recv(fd, buf, cap, 0);
        if (n > 0) {
            rc = ws_feed(&dec, buf, (size_t)n, &used, &cb, &c);
            continue;
        }
        if (n == 0) break;
        if (errno == EINTR) continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK) break;
        short ev = POLLIN | (out_pending(&out) ? POLLOUT : 0);
        if (!wait_fd(fd, ev, 120000)) {
            fprintf(stderr, "ws_count: no data for 120 s, dropping the connection\n");
            snprintf(end, sizeof end, "timeout");
            break;
        }
    }
    double seconds = now_seconds() - t0;
    if (rc == FEED_CLOSE) snprintf(end, sizeof end, "close");
    else if (rc != FEED_OK) snprintf(end, sizeof end, "error:%d", rc);
    if (c.dump) fclose(c.dump);
    report_line(report, "messages=%llu bytes=%llu seconds=%.6f end=%s", c.messages, c.bytes, seconds, end);

    if (rc == FEED_CLOSE) out_close(&out, 1000);
    else if (rc != FEED_OK) out_close(&out, rc);
    out_drain(&out, fd, 5000);
    /* The server closes the TCP connection first (RFC 6455 7.1.1). */
    linger_close(fd);
    free(buf);
    free(out.data);
}

int main(int argc, char **argv) {
    const char *report = NULL, *dump = NULL;
    int once = 0, port = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--report") && i + 1 < argc) report = argv[++i];
        else if (!strcmp(argv[i], "--dump") && i + 1 < argc) dump = argv[++i];
        else if (!strcmp(argv[i], "--once")) once = 1;
        else if (argv[i][0] != '-') port = (int)parse_count(argv[i], "port");
        else die("usage: ws_count [--report FILE] [--dump FILE] [--once] [PORT]");
    }
    int lfd = listen_loopback(port);
    do serve(accept_one(lfd), report, dump);
    while (!once);
    return 0;
}

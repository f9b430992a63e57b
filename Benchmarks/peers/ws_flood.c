/*
 * ws_flood: a WebSocket server that sends N text messages of SIZE bytes to
 * each client, then closes.
 *
 *   ws_flood [--raw] [--report FILE] [--once] N SIZE [PORT]
 *
 * Prints the port on stdout's first line (PORT 0 or none picks a free one).
 * Message k (1-based) is k in decimal, zero-padded to SIZE digits (only the
 * last SIZE digits when k is longer). Messages go out in batches of about
 * 1 MiB per write. After the last message it sends close 1000, waits for the
 * client's close frame and closes the connection. Pings are answered; a
 * client's early close stops the flood and is answered.
 *
 * --raw skips WebSocket altogether: it writes each payload followed by "\n"
 * (the bytes a line-per-message client should write to its output), shuts
 * down its sending side and waits for the client to close. That is the
 * raw-TCP ceiling for the receive benchmark.
 *
 * A line `messages=N bytes=B seconds=T end=...` per connection goes to stdout
 * or is appended to --report FILE (bytes counts payload bytes, plus newlines
 * with --raw; seconds runs from the end of the handshake to the client's close).
 */
#include "peer.h"

#define BATCH (1u << 20)

static void on_control(void *ctx, int opcode, unsigned char *p, size_t n) {
    if (opcode == OP_PING) out_frame((outbuf *)ctx, OP_PONG, p, n);
}

static const ws_callbacks callbacks = {NULL, NULL, on_control};

/* Reads whatever the client sent. Returns FEED_OK, FEED_CLOSE, a close code,
 * or -1 when the connection is gone. */
static int read_client(int fd, wsdec *dec, outbuf *out, unsigned char *buf, size_t cap, int raw) {
    for (;;) {
        ssize_t n = recv(fd, buf, cap, 0);
        if (n > 0) {
            if (raw) continue;
            size_t used;
            int rc = ws_feed(dec, buf, (size_t)n, &used, &callbacks, out);
            if (rc != FEED_OK) return rc;
            continue;
        }
        if (n == 0) return -1;
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) return FEED_OK;
        return -1;
    }
}

static void serve(int fd, unsigned long long count, size_t size, int raw, const char *report) {
    if (!raw) {
        unsigned char *extra = NULL;
        size_t extra_len = 0;
        if (server_handshake(fd, &extra, &extra_len) < 0) {
            close(fd);
            return;
        }
        free(extra); /* a client has nothing to say before it has read something */
    }
    set_nonblocking(fd);
    double t0 = now_seconds();

    unsigned char *digits = xmalloc(size + 1);
    memset(digits, '0', size);
    digits[size] = '\n';
    size_t cap = 1 << 20;
    unsigned char *inbuf = xmalloc(cap);
    outbuf out = {0};
    out_reserve(&out, BATCH + size + 16);
    wsdec dec = {0};
    const char *end = "close";
    unsigned long long sent = 0, bytes = 0;
    int rc = FEED_OK;

    while (sent < count && rc == FEED_OK) {
        if (out_pending(&out) < BATCH / 4) {
            while (sent < count && out_pending(&out) < BATCH) {
                for (size_t i = size; i-- > 0;) {
                    if (digits[i] != '9') {
                        digits[i]++;
                        break;
                    }
                    digits[i] = '0';
                }
                if (raw) {
                    out_append(&out, digits, size + 1);
                    bytes += size + 1;
                } else {
                    out_frame(&out, OP_TEXT, digits, size);
                    bytes += size;
                }
                sent++;
            }
        }
        if (out_flush(&out, fd) < 0) {
            rc = -1;
            break;
        }
        if (out_pending(&out)) {
            int ev = wait_fd(fd, POLLIN | POLLOUT, 120000);
            if (!ev) {
                rc = -1;
                break;
            }
            if (ev & (POLLIN | POLLHUP | POLLERR)) rc = read_client(fd, &dec, &out, inbuf, cap, raw);
        }
    }

    if (raw) {
        if (rc == FEED_OK) out_drain(&out, fd, 120000);
        shutdown(fd, SHUT_WR);
        while (rc == FEED_OK && wait_fd(fd, POLLIN, 120000)) rc = read_client(fd, &dec, &out, inbuf, cap, 1);
        end = rc == -1 ? "eof" : "timeout";
    } else {
        if (rc == FEED_CLOSE) {
            end = "early-close";
            out_close(&out, 1000);
            out_drain(&out, fd, 10000);
        } else if (rc == FEED_OK) {
            out_close(&out, 1000);
            if (out_drain(&out, fd, 120000) < 0) rc = -1;
            /* wait for the client's close frame, answering pings meanwhile */
            while (rc == FEED_OK) {
                if (!wait_fd(fd, POLLIN, 60000)) {
                    end = "timeout";
                    break;
                }
                rc = read_client(fd, &dec, &out, inbuf, cap, 0);
                out_drain(&out, fd, 1000);
            }
            if (rc == -1) end = "eof";
        } else if (rc == -1) {
            end = "eof";
        } else {
            end = "error";
            out_close(&out, rc);
            out_drain(&out, fd, 1000);
        }
    }
    double seconds = now_seconds() - t0;
    linger_close(fd);
    report_line(report, "messages=%llu bytes=%llu seconds=%.6f end=%s", sent, bytes, seconds, end);
    free(digits);
    free(inbuf);
    free(out.data);
}

int main(int argc, char **argv) {
    const char *report = NULL;
    int once = 0, raw = 0, npos = 0;
    unsigned long long pos[3] = {0, 0, 0};
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--report") && i + 1 < argc) report = argv[++i];
        else if (!strcmp(argv[i], "--once")) once = 1;
        else if (!strcmp(argv[i], "--raw")) raw = 1;
        else if (argv[i][0] != '-' && npos < 3) pos[npos++] = parse_count(argv[i], "number");
        else npos = -10;
    }
    if (npos < 2) die("usage: ws_flood [--raw] [--report FILE] [--once] N SIZE [PORT]");
    int lfd = listen_loopback((int)pos[2]);
    do serve(accept_one(lfd), pos[0], (size_t)pos[1], raw, report);
    while (!once);
    return 0;
}

/*
 * tcp_sink: the raw-TCP ceiling for sending. Accepts a connection, reads
 * everything until EOF, then closes.
 *
 *   tcp_sink [--report FILE] [--once] [PORT]
 *
 * Prints the port on stdout's first line (PORT 0 or none picks a free one).
 * Per connection it writes `messages=L bytes=B seconds=T end=eof` to stdout or
 * appends it to --report FILE, where L counts newline characters (lines) and
 * seconds runs from accept to EOF.
 */
#define PEER_NO_WEBSOCKET
#include "peer.h"

static void serve(int fd, const char *report) {
    double t0 = now_seconds();
    size_t cap = 1 << 20;
    unsigned char *buf = xmalloc(cap);
    unsigned long long bytes = 0, lines = 0;
    const char *end = "eof";
    for (;;) {
        ssize_t n = recv(fd, buf, cap, 0);
        if (n > 0) {
            bytes += (size_t)n;
            const unsigned char *p = buf, *e = buf + n;
            while ((p = memchr(p, '\n', (size_t)(e - p)))) lines++, p++;
            continue;
        }
        if (n == 0) break;
        if (errno == EINTR) continue;
        end = "error";
        break;
    }
    double seconds = now_seconds() - t0;
    close(fd);
    report_line(report, "messages=%llu bytes=%llu seconds=%.6f end=%s", lines, bytes, seconds, end);
    free(buf);
}

int main(int argc, char **argv) {
    const char *report = NULL;
    int once = 0, port = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--report") && i + 1 < argc) report = argv[++i];
        else if (!strcmp(argv[i], "--once")) once = 1;
        else if (argv[i][0] != '-') port = (int)parse_count(argv[i], "port");
        else die("usage: tcp_sink [--report FILE] [--once] [PORT]");
    }
    int lfd = listen_loopback(port);
    do serve(accept_one(lfd), report);
    while (!once);
    return 0;
}

/*
 * tcp_recv: the raw-TCP client for the receiving ceiling. Connects to
 * 127.0.0.1:PORT and copies everything it receives to standard output until
 * the server closes.
 *
 *   tcp_recv PORT [HOST]
 */
#define PEER_NO_WEBSOCKET
#include "peer.h"

int main(int argc, char **argv) {
    if (argc < 2 || argc > 3) die("usage: tcp_recv PORT [HOST]");
    int fd = connect_loopback(argc == 3 ? argv[2] : "127.0.0.1", (int)parse_count(argv[1], "port"));
    size_t cap = 1 << 20;
    unsigned char *buf = xmalloc(cap);
    for (;;) {
        ssize_t n = recv(fd, buf, cap, 0);
        if (n == 0) break;
        if (n < 0) {
            if (errno == EINTR) continue;
            die("recv: %s", strerror(errno));
        }
        for (ssize_t off = 0; off < n;) {
            ssize_t w = write(1, buf + off, (size_t)(n - off));
            if (w < 0) {
                if (errno == EINTR) continue;
                die("write stdout: %s", strerror(errno));
            }
            off += w;
        }
    }
    close(fd);
    return 0;
}

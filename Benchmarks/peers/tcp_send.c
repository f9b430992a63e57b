/*
 * tcp_send: the raw-TCP client for the sending ceiling. Copies standard
 * input to 127.0.0.1:PORT in large writes, half-closes, then copies whatever
 * the server sends back to standard output and exits once the server has
 * closed its side (so everything was received). Against `ws_echo --raw` it is
 * the raw-TCP one-shot: connect, send, read the echo, exit.
 *
 *   tcp_send PORT [HOST]
 */
#define PEER_NO_WEBSOCKET
#include "peer.h"

int main(int argc, char **argv) {
    if (argc < 2 || argc > 3) die("usage: tcp_send PORT [HOST]");
    int fd = connect_loopback(argc == 3 ? argv[2] : "127.0.0.1", (int)parse_count(argv[1], "port"));
    size_t cap = 1 << 20;
    unsigned char *buf = xmalloc(cap);
    /* As wsc does: a 1 MiB pipe buffer on stdin (when it is a pipe), so the ceiling is not
     * the 64 KiB default pipe. Best effort. */
#ifdef F_SETPIPE_SZ
    (void)fcntl(0, F_SETPIPE_SZ, 1 << 20);
#endif
    for (;;) {
        ssize_t n = read(0, buf, cap);
        if (n == 0) break;
        if (n < 0) {
            if (errno == EINTR) continue;
            die("read stdin: %s", strerror(errno));
        }
        for (ssize_t off = 0; off < n;) {
            ssize_t w = send(fd, buf + off, (size_t)(n - off), MSG_NOSIGNAL);
            if (w < 0) {
                if (errno == EINTR) continue;
                die("send: %s", strerror(errno));
            }
            off += w;
        }
    }
    shutdown(fd, SHUT_WR);
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

#ifndef WSC_CSYSTEMSHIMS_H
#define WSC_CSYSTEMSHIMS_H
// Linux headers that Swift's Glibc module does not expose.
#include <sys/signalfd.h>
#include <sys/random.h>
#include <sys/ioctl.h>
#include <netinet/tcp.h>
#include <fcntl.h>
#include <spawn.h>
#include <unistd.h>
#include <sys/pidfd.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <time.h>
// A write(2) to a reader that has gone raises SIGPIPE and would kill wsc: OpenSSL writes to
// the socket with write(2), not send(2) with MSG_NOSIGNAL (a TLS 1.3 server that refused our
// certificate, close_notify after a reset), and so does --exec to a command that closed its
// stdin. SIGPIPE is blocked around such a call, and one raised by it is consumed before
// unblocking, so the call just fails with EPIPE.
static inline void wsc_block_sigpipe(sigset_t *old) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &set, old);
}
static inline void wsc_restore_sigpipe(const sigset_t *old) {
    int saved = errno;
    if (saved == EPIPE && !sigismember(old, SIGPIPE)) {
        sigset_t pending;
        sigpending(&pending);
        if (sigismember(&pending, SIGPIPE)) {
            sigset_t set;
            sigemptyset(&set);
            sigaddset(&set, SIGPIPE);
            struct timespec zero = {0, 0};
            sigtimedwait(&set, NULL, &zero);
        }
    }
    pthread_sigmask(SIG_SETMASK, old, NULL);
    errno = saved;
}
// --exec: pipes created close-on-exec in one step, a pidfd that poll sees readable when the
// command exits (-1 where the kernel has none), and "close every descriptor from `low` on" in
// the spawned child (glibc 2.34+), so no descriptor of wsc's can leak into a command.
static inline int wsc_pipe_cloexec(int fds[2]) { return pipe2(fds, O_CLOEXEC); }
static inline int wsc_pidfd_open(pid_t pid) { return pidfd_open(pid, 0); }
static inline int wsc_spawn_close_from(posix_spawn_file_actions_t *actions, int low) {
    return posix_spawn_file_actions_addclosefrom_np(actions, low);
}
#endif

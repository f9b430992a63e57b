#ifndef WSC_CSYSTEMSHIMS_H
#define WSC_CSYSTEMSHIMS_H
// Linux headers that Swift's Glibc module does not expose.
#ifdef __linux__
#include <sys/signalfd.h>
#include <sys/random.h>
#endif
#include <sys/ioctl.h>
#include <netinet/tcp.h>
#ifdef __linux__
#include <fcntl.h>
#include <spawn.h>
#include <unistd.h>
#include <sys/pidfd.h>
// --exec: pipes created close-on-exec in one step, a pidfd that poll sees readable when the
// command exits (-1 where the kernel has none), and "close every descriptor from `low` on" in
// the spawned child (glibc 2.34+), so no descriptor of wsc's can leak into a command.
static inline int wsc_pipe_cloexec(int fds[2]) { return pipe2(fds, O_CLOEXEC); }
static inline int wsc_pidfd_open(pid_t pid) { return pidfd_open(pid, 0); }
static inline int wsc_spawn_close_from(posix_spawn_file_actions_t *actions, int low) {
    return posix_spawn_file_actions_addclosefrom_np(actions, low);
}
#endif
#endif

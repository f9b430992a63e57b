#ifndef WSC_CSYSTEMSHIMS_H
#define WSC_CSYSTEMSHIMS_H
// Linux headers that Swift's Glibc module does not expose.
#ifdef __linux__
#include <sys/signalfd.h>
#include <sys/random.h>
#endif
#include <sys/ioctl.h>
#include <netinet/tcp.h>
#endif

/*
 * signal.h - signals.  Numbers, sigset_t and struct sigaction come from
 * uapi/signal.h (struct sigaction has the kernel's layout, so the library
 * passes it to rt_sigaction as it is).
 */
#ifndef _SIGNAL_H
#define _SIGNAL_H

#include "uapi/types.h"
#include "uapi/signal.h"

typedef void (*sighandler_t)(int);
typedef int sig_atomic_t;

#define SIG_ERR ((sighandler_t)-1)

sighandler_t signal(int sig, sighandler_t handler);
int sigaction(int sig, const struct sigaction *act, struct sigaction *oldact);
int sigprocmask(int how, const sigset_t *set, sigset_t *oldset);
int sigemptyset(sigset_t *set);
int sigfillset(sigset_t *set);
int sigaddset(sigset_t *set, int sig);
int sigdelset(sigset_t *set, int sig);
int sigismember(const sigset_t *set, int sig);
int raise(int sig);
int sigpending(sigset_t *set);
int sigsuspend(const sigset_t *mask);
int sigwait(const sigset_t *set, int *sig);
int sigwaitinfo(const sigset_t *set, siginfo_t *info);
struct timespec;
int sigtimedwait(const sigset_t *set, siginfo_t *info, const struct timespec *timeout);
int sigaltstack(const stack_t *ss, stack_t *old);
void psignal(int sig, const char *msg);
char *strsignal(int sig);
/* Signal names without "SIG" ("HUP"), POSIX.1-2024: sig2str writes at most
 * SIG2STR_MAX bytes; str2sig also takes a decimal number.  0, or -1. */
#define SIG2STR_MAX 32
int sig2str(int sig, char *str);
int str2sig(const char *str, int *sig);
int kill(pid_t pid, int sig);

#endif /* _SIGNAL_H */

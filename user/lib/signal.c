/*
 * signal.c - signal actions, the signal mask, signal sets, and names.
 *
 * sigaction() hands struct sigaction to rt_sigaction unchanged: its layout
 * is the kernel's (uapi/signal.h).  For a real handler the library sets
 * SA_RESTORER and points sa_restorer at __restore_rt (sigreturn.S): when
 * the handler returns, it returns there, and __restore_rt asks the kernel
 * (rt_sigreturn) to put back the interrupted registers.
 *
 * signal() installs a handler with BSD semantics (SA_RESTART, handler
 * stays installed), as glibc does.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "raw_syscall.h"

void __restore_rt(void);        /* sigreturn.S */

int sigaction(int sig, const struct sigaction *act, struct sigaction *oldact)
{
	struct sigaction kact;

	if (act != NULL) {
		kact = *act;
		if (kact.sa_handler != SIG_DFL && kact.sa_handler != SIG_IGN) {
			kact.sa_flags |= SA_RESTORER;
			kact.sa_restorer = __restore_rt;
		}
		act = &kact;
	}
	return syscall_result(raw_syscall4(SYS_rt_sigaction, sig, act, oldact,
					   sizeof(sigset_t)));
}

sighandler_t signal(int sig, sighandler_t handler)
{
	struct sigaction act, old;

	memset(&act, 0, sizeof(act));
	act.sa_handler = handler;
	act.sa_flags = SA_RESTART;
	if (sigaction(sig, &act, &old) < 0)
		return SIG_ERR;
	return old.sa_handler;
}

int sigprocmask(int how, const sigset_t *set, sigset_t *oldset)
{
	return syscall_result(raw_syscall4(SYS_rt_sigprocmask, how, set, oldset,
					   sizeof(sigset_t)));
}

int kill(pid_t pid, int sig)
{
	return syscall_result(raw_syscall2(SYS_kill, pid, sig));
}

int raise(int sig)
{
	return kill(getpid(), sig);
}

/* ---- Signal sets: bit (n - 1) is signal n ---- */

static int sig_valid(int sig)
{
	if (sig <= 0 || sig >= NSIG) {
		errno = EINVAL;
		return 0;
	}
	return 1;
}

int sigemptyset(sigset_t *set)
{
	*set = 0;
	return 0;
}

int sigfillset(sigset_t *set)
{
	*set = ~(sigset_t)0;
	return 0;
}

int sigaddset(sigset_t *set, int sig)
{
	if (!sig_valid(sig))
		return -1;
	*set |= (sigset_t)1 << (sig - 1);
	return 0;
}

int sigdelset(sigset_t *set, int sig)
{
	if (!sig_valid(sig))
		return -1;
	*set &= ~((sigset_t)1 << (sig - 1));
	return 0;
}

int sigismember(const sigset_t *set, int sig)
{
	if (!sig_valid(sig))
		return -1;
	return (*set >> (sig - 1)) & 1;
}

/* ---- Names ---- */

static const char *const signal_names[] = {
	[SIGHUP] = "Hangup",
	[SIGINT] = "Interrupt",
	[SIGQUIT] = "Quit",
	[SIGILL] = "Illegal instruction",
	[SIGTRAP] = "Trace/breakpoint trap",
	[SIGABRT] = "Aborted",
	[SIGBUS] = "Bus error",
	[SIGFPE] = "Floating point exception",
	[SIGKILL] = "Killed",
	[SIGUSR1] = "User defined signal 1",
	[SIGSEGV] = "Segmentation fault",
	[SIGUSR2] = "User defined signal 2",
	[SIGPIPE] = "Broken pipe",
	[SIGALRM] = "Alarm clock",
	[SIGTERM] = "Terminated",
	[SIGSTKFLT] = "Stack fault",
	[SIGCHLD] = "Child exited",
	[SIGCONT] = "Continued",
	[SIGSTOP] = "Stopped (signal)",
	[SIGTSTP] = "Stopped",
	[SIGTTIN] = "Stopped (tty input)",
	[SIGTTOU] = "Stopped (tty output)",
	[SIGURG] = "Urgent I/O condition",
	[SIGXCPU] = "CPU time limit exceeded",
	[SIGXFSZ] = "File size limit exceeded",
	[SIGVTALRM] = "Virtual timer expired",
	[SIGPROF] = "Profiling timer expired",
	[SIGWINCH] = "Window changed",
	[SIGIO] = "I/O possible",
	[SIGPWR] = "Power failure",
	[SIGSYS] = "Bad system call",
};

char *strsignal(int sig)
{
	static char unknown[32];

	if (sig > 0 && sig < (int)(sizeof(signal_names) / sizeof(signal_names[0])) &&
	    signal_names[sig] != NULL)
		return (char *)signal_names[sig];
	snprintf(unknown, sizeof(unknown), "Unknown signal %d", sig);
	return unknown;
}

/*
 * signal.c - signal actions, the signal mask, waiting for signals,
 * alternate stacks, signal sets, and names (strsignal, psignal, sig2str,
 * str2sig).
 *
 * sigaction() hands struct sigaction to rt_sigaction unchanged: its layout
 * is the kernel's (uapi/signal.h).  For a handler function it follows the
 * x86-64 Linux ABI: SA_RESTORER set and sa_restorer pointing at
 * __restore_rt (sigreturn.S), which the kernel pushes as the handler's
 * return address and which calls rt_sigreturn.
 *
 * signal() installs a handler with BSD semantics (SA_RESTART, handler
 * stays installed), as glibc does.
 */
#include <errno.h>
#include <stdbool.h>
#include <setjmp.h>
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

int sigpending(sigset_t *set)
{
	return syscall_result(raw_syscall2(SYS_rt_sigpending, set, sizeof(sigset_t)));
}

/* Always -1 with EINTR (once a signal's handler has run). */
int sigsuspend(const sigset_t *mask)
{
	return syscall_result(raw_syscall2(SYS_rt_sigsuspend, mask, sizeof(sigset_t)));
}

int pause(void)
{
	sigset_t mask;

	if (sigprocmask(SIG_BLOCK, NULL, &mask) < 0)
		return -1;
	return sigsuspend(&mask);
}

/* The signal number, or -1 (EAGAIN after the timeout, EINTR). */
int sigtimedwait(const sigset_t *set, siginfo_t *info, const struct timespec *timeout)
{
	return syscall_result(raw_syscall4(SYS_rt_sigtimedwait, set, info, timeout,
					   sizeof(sigset_t)));
}

int sigwaitinfo(const sigset_t *set, siginfo_t *info)
{
	return sigtimedwait(set, info, NULL);
}

/* POSIX: 0 with the signal in *sig, or an error number (never EINTR:
 * a handler that ran meanwhile does not end the wait). */
int sigwait(const sigset_t *set, int *sig)
{
	long r;

	do
		r = raw_syscall4(SYS_rt_sigtimedwait, set, NULL, NULL, sizeof(sigset_t));
	while (r == -EINTR);
	if (r < 0)
		return (int)-r;
	*sig = (int)r;
	return 0;
}

int sigaltstack(const stack_t *ss, stack_t *old)
{
	return syscall_result(raw_syscall2(SYS_sigaltstack, ss, old));
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

/* Each signal's name without "SIG" (sig2str, str2sig) and its message
 * (strsignal), as Linux prints them. */
static const struct {
	const char *abbrev;
	const char *message;
} signal_table[] = {
	[SIGHUP] = { "HUP", "Hangup" },
	[SIGINT] = { "INT", "Interrupt" },
	[SIGQUIT] = { "QUIT", "Quit" },
	[SIGILL] = { "ILL", "Illegal instruction" },
	[SIGTRAP] = { "TRAP", "Trace/breakpoint trap" },
	[SIGABRT] = { "ABRT", "Aborted" },
	[SIGBUS] = { "BUS", "Bus error" },
	[SIGFPE] = { "FPE", "Floating point exception" },
	[SIGKILL] = { "KILL", "Killed" },
	[SIGUSR1] = { "USR1", "User defined signal 1" },
	[SIGSEGV] = { "SEGV", "Segmentation fault" },
	[SIGUSR2] = { "USR2", "User defined signal 2" },
	[SIGPIPE] = { "PIPE", "Broken pipe" },
	[SIGALRM] = { "ALRM", "Alarm clock" },
	[SIGTERM] = { "TERM", "Terminated" },
	[SIGSTKFLT] = { "STKFLT", "Stack fault" },
	[SIGCHLD] = { "CHLD", "Child exited" },
	[SIGCONT] = { "CONT", "Continued" },
	[SIGSTOP] = { "STOP", "Stopped (signal)" },
	[SIGTSTP] = { "TSTP", "Stopped" },
	[SIGTTIN] = { "TTIN", "Stopped (tty input)" },
	[SIGTTOU] = { "TTOU", "Stopped (tty output)" },
	[SIGURG] = { "URG", "Urgent I/O condition" },
	[SIGXCPU] = { "XCPU", "CPU time limit exceeded" },
	[SIGXFSZ] = { "XFSZ", "File size limit exceeded" },
	[SIGVTALRM] = { "VTALRM", "Virtual timer expired" },
	[SIGPROF] = { "PROF", "Profiling timer expired" },
	[SIGWINCH] = { "WINCH", "Window changed" },
	[SIGIO] = { "IO", "I/O possible" },
	[SIGPWR] = { "PWR", "Power failure" },
	[SIGSYS] = { "SYS", "Bad system call" },
};

#define N_SIGNAL_TABLE ((int)(sizeof(signal_table) / sizeof(signal_table[0])))

static bool signal_named(int sig)
{
	return sig > 0 && sig < N_SIGNAL_TABLE && signal_table[sig].abbrev != NULL;
}

char *strsignal(int sig)
{
	static char unknown[32];

	if (signal_named(sig))
		return (char *)signal_table[sig].message;
	snprintf(unknown, sizeof(unknown), "Unknown signal %d", sig);
	return unknown;
}

/* "msg: Interrupt" on stderr, as perror does for errno. */
void psignal(int sig, const char *msg)
{
	if (msg != NULL && *msg != '\0')
		dprintf(2, "%s: %s\n", msg, strsignal(sig));
	else
		dprintf(2, "%s\n", strsignal(sig));
}

/* siglongjmp: the mask sigsetjmp saved (if it did), then longjmp. */
void siglongjmp(sigjmp_buf env, int val)
{
	if (env[SIGJMP_SAVED])
		sigprocmask(SIG_SETMASK, (sigset_t *)&env[SIGJMP_MASK], NULL);
	longjmp(env, val);
}

/* "HUP" for SIGHUP, into str (SIG2STR_MAX bytes).  -1 for a signal without a name. */
int sig2str(int sig, char *str)
{
	if (!signal_named(sig))
		return -1;
	strcpy(str, signal_table[sig].abbrev);         /* at most "VTALRM" */
	return 0;
}

/* "HUP" (without "SIG", as POSIX has it) or a decimal signal number -> *sig.
 * -1 if str is neither. */
int str2sig(const char *str, int *sig)
{
	if (*str >= '0' && *str <= '9') {
		int n = 0;
		for (; *str >= '0' && *str <= '9' && n < NSIG; str++)
			n = n * 10 + (*str - '0');
		if (*str != '\0' || n <= 0 || n >= NSIG)
			return -1;
		*sig = n;
		return 0;
	}
	for (int i = 1; i < N_SIGNAL_TABLE; i++) {
		if (signal_table[i].abbrev != NULL && strcmp(str, signal_table[i].abbrev) == 0) {
			*sig = i;
			return 0;
		}
	}
	return -1;
}

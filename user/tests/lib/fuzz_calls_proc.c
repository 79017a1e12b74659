/*
 * fuzz_calls_proc.c - fork, kill, wait, setuid, exit, exec, yield, the
 * job-control calls (setpgid, setsid, getpgid, getsid, tcsetpgrp ...) and
 * the signal calls (handlers, masks, waiting, alternate stack, timers).
 *
 * fork is bounded so that a round stays small: the root may fork four
 * children, each child one grandchild, grandchildren none (depth 2,
 * eight processes at most besides the root).  The quota is per process,
 * not shared, so whether a fork is tried does not depend on timing.
 *
 * kill aims only at processes of the round: pids this process (or its
 * parent, before the fork) created.  Two more targets exist only after
 * setuid(1000), when the process is hostile: kill(-1, sig), which on a
 * correct kernel reaches only the round's other uid-1000 processes, and
 * the supervisor's root-owned canary, which it must not reach at all.
 * As root, kill(-1) would be a legitimate way to kill the test runner, so
 * a root process never makes it.  kill(-1) sends only signals the runner
 * and supervisor ignore (fuzz.h): if the kernel lets one through to root,
 * they survive to say so -- the canary, which does not ignore them, dies,
 * and the supervisor reports it with this log (struct fz_shared kill_log).
 * SIGKILL goes only to the round's own pids and to the canary.
 *
 * A hostile process may also broadcast to a group: kill(0, sig) (its own
 * group, which may hold root's processes too) or kill(-pgid) of the
 * canary's group; like kill(-1) these must skip every root process.
 *
 * setuid is one way: setgid(1000) then setuid(1000); from then on a
 * try to get root back must fail with EPERM.
 *
 * The job-control calls move processes of the round between groups and
 * sessions, stop and continue them (SIGSTOP, SIGTSTP, SIGTTIN in kill's
 * list; a stopped process only stalls the round, which ends it with
 * SIGKILL) and ask for the terminal's foreground group with good and bad
 * pointers.  They never give the terminal away: a fuzzing process may
 * only ask tcsetpgrp for a group that does not exist, or with a bad
 * pointer.
 */
#include "fuzz_impl.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include "uapi/syscall.h"

long fz_call_fork(struct fz_call *c)
{
	static const int quota[FZ_MAX_DEPTH + 1] = { 4, 1, 0 };
	int no;
	long r;

	(void)c;
	if (fz.depth >= FZ_MAX_DEPTH || fz.forks >= quota[fz.depth])
		return FZ_SKIP;
	no = fz.forks++;
	r = fz_sys0(SYS_fork);
	if (r == 0) {
		fz_proc_child(no);
		return 0;
	}
	if (r > 0)
		fz_pid_add((int)r);
	fz_note(c, "() = %ld, child p%d", r, fz.id * 8 + no + 1);
	return r;
}

/* Note a hostile process's kill that root processes must not feel. */
static void log_kill(int target, int sig, long result)
{
	struct fz_shared *sh = fz.sh;
	unsigned i = __atomic_fetch_add(&sh->kill_log_n, 1, __ATOMIC_SEQ_CST);

	if (i >= FZ_KILL_LOG)
		return;
	sh->kill_log[i].id = fz.id;
	sh->kill_log[i].pid = (int)fz_sys0(SYS_getpid);
	sh->kill_log[i].call = (int)fz.calls;
	sh->kill_log[i].target = target;
	sh->kill_log[i].sig = sig;
	sh->kill_log[i].result = result;
}

/* Only after setuid(1000): everyone, or root's canary. */
static long hostile_kill(struct fz_call *c, bool all)
{
	static const int sigs[] = { SIGTERM, SIGUSR1, SIGUSR2, SIGHUP, 0 };
	int sig = FZ_PICK(&c->r, sigs), target = all ? -1 : fz.sh->canary_pid;
	long r;

	if (all && fz_percent(&c->r, 40)) {     /* a group: ours, or the canary's */
		long pgid = fz_sys1(SYS_getpgid, fz.sh->canary_pid);

		target = fz_percent(&c->r, 50) || pgid <= 0 ? 0 : (int)-pgid;
	}

	if (!all && fz_percent(&c->r, 30))
		sig = SIGKILL;
	r = fz_sys2(SYS_kill, target, sig);
	fz_note(c, "(%d, %d) as uid %d", target, sig, fz.uid);
	log_kill(target, sig, r);
	if (!all && r == 0)
		fz_report("uid %d could kill(%d, %d) root's canary", fz.uid, target, sig);
	return r;
}

long fz_call_kill(struct fz_call *c)
{
	static const int sigs[] = {
		SIGKILL, SIGKILL, SIGTERM, SIGUSR1, SIGSTOP, SIGCONT, SIGCHLD, 0, 0, SIGINT, 99,
		SIGTSTP, SIGTTIN, SIGCONT,
	};
	unsigned roll = fz_below(&c->r, 100);
	struct fz_pid *p = fz_pid_pick(c);
	int sig = FZ_PICK(&c->r, sigs), pid;

	if (fz.hostile && roll < 20)
		return hostile_kill(c, true);
	if (fz.hostile && roll < 30)
		return hostile_kill(c, false);
	if (roll >= 90 || p == NULL) {          /* myself, or no one */
		pid = fz_percent(&c->r, 50) ? 0 : 0x7ffffff0;
		fz_note(c, "(%d, 0)", pid);
		return fz_sys2(SYS_kill, pid, 0);
	}
	pid = fz_percent(&c->r, 10) ? -p->pid : p->pid;
	fz_note(c, "(%d, %d)", pid, sig);
	return fz_sys2(SYS_kill, pid, sig);
}

long fz_call_wait(struct fz_call *c)
{
	struct fz_pid *p = fz_pid_pick(c);
	unsigned roll = fz_below(&c->r, 100);
	int status, options = fz_percent(&c->r, 95) ? 1 /* WNOHANG */ : 0;
	int pid = -1;
	void *st = fz_percent(&c->r, 90) ? (void *)&status : NULL;
	long r;

	if (roll < 60 && p != NULL)
		pid = p->pid;
	else if (roll >= 92)
		pid = fz_percent(&c->r, 50) ? 1 : 0x7ffffff0;
	if (fz_percent(&c->r, 20))
		options |= 2 | 8;                       /* WUNTRACED | WCONTINUED */
	if (roll >= 60 && roll < 70)
		pid = fz_percent(&c->r, 50) ? 0 : (p != NULL ? -p->pid : -1);  /* by group */
	if (fz_percent(&c->r, 3))
		options = 0x40000;                      /* unknown: EINVAL */
	fz_note(c, "(%d, %#x)", pid, options);
	r = fz_sys4(SYS_wait4, pid, st, options, 0);
	if (r > 0 && (p = fz_pid_find((int)r)) != NULL)
		p->reaped = true;
	return r;
}

/* A pid for the job-control calls: one of ours, 0, ourselves, or nobody's. */
static int pgrp_target(struct fz_call *c)
{
	struct fz_pid *p = fz_pid_pick(c);
	unsigned roll = fz_below(&c->r, 100);

	if (roll < 50 && p != NULL)
		return p->pid;
	if (roll < 70)
		return 0;
	if (roll < 80)
		return (int)fz_sys0(SYS_getpid);
	if (roll < 90)
		return 1;                               /* init: never ours */
	return fz_percent(&c->r, 50) ? -7 : 0x7ffffff0;
}

long fz_call_pgrp(struct fz_call *c)
{
	static const uintptr_t bad[] = { 0, 1, 0xffffffff80100000ul, 0x0000800000000000ul };
	int pid = pgrp_target(c), pgid, value;
	void *arg;

	switch (fz_below(&c->r, 7)) {
	case 0:
		pgid = fz_percent(&c->r, 60) ? 0 : pgrp_target(c);
		fz_note(c, "setpgid(%d, %d)", pid, pgid);
		return fz_sys2(SYS_setpgid, pid, pgid);
	case 1:
		fz_note(c, "setsid()");
		return fz_sys0(SYS_setsid);
	case 2:
		fz_note(c, "getpgid(%d)", pid);
		return fz_sys1(SYS_getpgid, pid);
	case 3:
		fz_note(c, "getsid(%d)", pid);
		return fz_sys1(SYS_getsid, pid);
	case 4:
		fz_note(c, "getpgrp()");
		return fz_sys0(SYS_getpgrp);
	case 5:                                 /* tcgetpgrp, with a good or bad pointer */
		arg = fz_percent(&c->r, 50) ? (void *)&value : (void *)FZ_PICK(&c->r, bad);
		fz_note(c, "ioctl(0, TIOCGPGRP, %p)", arg);
		return fz_sys3(SYS_ioctl, 0, 0x540F, arg);
	default:                                /* tcsetpgrp: no such group, or a bad pointer */
		value = 0x7ffffff0;
		arg = fz_percent(&c->r, 50) ? (void *)&value : (void *)FZ_PICK(&c->r, bad);
		fz_note(c, "ioctl(0, TIOCSPGRP, %p)", arg);
		return fz_sys3(SYS_ioctl, 0, 0x5410, arg);
	}
}

long fz_call_setuid(struct fz_call *c)
{
	long r;

	if (!fz.hostile && fz.depth == 0 && fz_percent(&c->r, 70))
		return FZ_SKIP;                 /* the root stays root for longer */
	if (!fz.hostile) {
		fz_note(c, "(%d)", FZ_HOSTILE_UID);
		fz_sys1(SYS_setgid, FZ_HOSTILE_UID);
		r = fz_sys1(SYS_setuid, FZ_HOSTILE_UID);
		if (r == 0) {
			fz.hostile = true;
			fz.uid = FZ_HOSTILE_UID;
		}
		return r;
	}
	bool gid = fz_percent(&c->r, 30);
	int id = fz_percent(&c->r, 60) ? 0 : FZ_HOSTILE_UID;
	fz_note(c, "%s(%d) as uid %d", gid ? " setgid" : "", id, fz.uid);
	r = fz_sys1(gid ? SYS_setgid : SYS_setuid, id);
	if (r == 0 && id == 0) {
		fz_report("uid %d got %s 0 back", fz.uid, gid ? "gid" : "uid");
		fz_sys1(SYS_exit, 1);   /* not one more call with root's power */
	}
	return r;
}

long fz_call_exit(struct fz_call *c)
{
	static const int statuses[] = { 0, 0, 1, 42 };
	int status = FZ_PICK(&c->r, statuses);

	if (fz.depth == 0 && fz_percent(&c->r, 75))
		return FZ_SKIP;                 /* the root should live to fork */
	fz_proc_count(FZ_EXIT, 0);
	if (fz.verbose >= 2)
		fz_proc_log("p%d #%u exit(%d)", fz.id, fz.calls, status);
	fz_sys1(SYS_exit, status);
	return FZ_COUNTED;
}

long fz_call_exec(struct fz_call *c)
{
	static const char *const bad[] = { "/nonexistent", "/bin", "/dev/null", "" };
	static char *const argv[] = { "true", NULL };
	static char *const envp[] = { NULL };
	long r;

	if (fz_percent(&c->r, 75)) {
		const char *path = FZ_PICK(&c->r, bad);

		fz_note(c, "(\"%s\")", path);
		return fz_sys3(SYS_execve, path, argv, envp);
	}
	fz_proc_count(FZ_EXEC, 0);              /* counted now: it will not return */
	if (fz.verbose >= 2)
		fz_proc_log("p%d #%u exec(/bin/true)", fz.id, fz.calls);
	r = fz_sys3(SYS_execve, "/bin/true", argv, envp);
	fz_note(c, "(/bin/true) failed: %ld", r);
	return FZ_COUNTED;
}

long fz_call_yield(struct fz_call *c)
{
	static const long nsecs[] = { 0, 100000, 1000000, 3000000, 2000000000 };
	struct timespec ts = { 0, FZ_PICK(&c->r, nsecs) };

	if (fz_percent(&c->r, 60)) {
		fz_note(c, " sched_yield");
		return fz_sys0(SYS_sched_yield);
	}
	fz_note(c, " nanosleep(%ld ns)", ts.tv_nsec);
	return fz_sys2(SYS_nanosleep, &ts, NULL);
}

/* ------------------------------------------------------------ signals */

/* An address the kernel must refuse to read or write. */
static void *sig_bad_pointer(struct fz_rng *r)
{
	static const uintptr_t pool[] = {
		0x10, 1, 0xffffffff80100000ul, 0x0000800000000000ul, 0x00007ffffffff000ul,
	};
	return (void *)FZ_PICK(r, pool);
}

/* p, or 1 time in 4 a bad pointer in its place. */
static void *maybe_bad(struct fz_rng *r, void *p)
{
	return fz_percent(r, 25) ? sig_bad_pointer(r) : p;
}

static volatile unsigned fz_signals_caught;

static void fz_on_signal(int sig)
{
	(void)sig;
	fz_signals_caught++;
}

void __restore_rt(void);        /* libc's sa_restorer (sigreturn.S) */

/*
 * One of the signal calls, with every pointer argument sometimes bad.
 * Handlers are a counting function with libc's restorer, so a signal
 * never kills by surprise; SIGALRM gets one before any timer is armed.
 * Waits are bounded: sigtimedwait and clock_nanosleep with short
 * timeouts, sigsuspend only with a 1 ms timer armed.
 */
long fz_call_signal(struct fz_call *c)
{
	static const int sigs[] = { SIGUSR1, SIGUSR2, SIGALRM, SIGHUP, SIGTERM, SIGKILL, 0, 65 };
	struct fz_rng *r = &c->r;
	int sig = FZ_PICK(r, sigs);
	struct sigaction sa;
	sigset_t set = (sigset_t)1 << (SIGUSR1 - 1), old;
	struct timespec ts = { 0, 1000000 }, rem;
	struct itimerval it = { { 0, 0 }, { 0, 1000 } }, oit;
	stack_t ss, oss;
	static char altstack[8192];

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fz_on_signal;
	sa.sa_flags = SA_RESTORER | (fz_percent(r, 50) ? SA_RESTART : 0) |
	    (fz_percent(r, 20) ? SA_NODEFER | SA_ONSTACK : 0);
	sa.sa_restorer = __restore_rt;
	switch (fz_below(r, 9)) {
	case 0:
		fz_note(c, " rt_sigaction(%d, handler)", sig);
		return fz_sys4(SYS_rt_sigaction, sig, maybe_bad(r, &sa), maybe_bad(r, &old),
		    sizeof(sigset_t));
	case 1:
		fz_note(c, " rt_sigprocmask");
		return fz_sys4(SYS_rt_sigprocmask, fz_below(r, 4), maybe_bad(r, &set),
		    maybe_bad(r, &old), sizeof(sigset_t));
	case 2:
		fz_note(c, " rt_sigpending");
		return fz_sys2(SYS_rt_sigpending, maybe_bad(r, &old), sizeof(sigset_t));
	case 3:
		fz_note(c, " rt_sigtimedwait(1 ms)");
		return fz_sys4(SYS_rt_sigtimedwait, maybe_bad(r, &set), maybe_bad(r, fz_buf),
		    maybe_bad(r, &ts), sizeof(sigset_t));
	case 4:
		ss.ss_sp = altstack;
		ss.ss_size = fz_percent(r, 20) ? 100 : sizeof(altstack);
		ss.ss_flags = fz_percent(r, 20) ? SS_DISABLE : 0;
		fz_note(c, " sigaltstack");
		return fz_sys2(SYS_sigaltstack, maybe_bad(r, &ss), maybe_bad(r, &oss));
	case 5:
		fz_note(c, " getitimer");
		return fz_sys2(SYS_getitimer, fz_below(r, 3), maybe_bad(r, &oit));
	case 6:
	case 7:
		/* A short timer, its signal caught; maybe wait for it. */
		fz_sys4(SYS_rt_sigaction, SIGALRM, &sa, NULL, sizeof(sigset_t));
		if (fz_sys3(SYS_setitimer, ITIMER_REAL, maybe_bad(r, &it), maybe_bad(r, &oit)) != 0)
			return -1;
		if (fz_percent(r, 50)) {
			sigset_t none = 0;
			fz_note(c, " setitimer(1 ms) + rt_sigsuspend");
			return fz_sys2(SYS_rt_sigsuspend, &none, sizeof(sigset_t));
		}
		fz_note(c, " setitimer(1 ms) + clock_nanosleep");
		return fz_sys4(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, maybe_bad(r, &ts),
		    maybe_bad(r, &rem));
	default:
		fz_note(c, " alarm(0), kill(self, %d)", sig == SIGKILL ? SIGUSR2 : sig);
		fz_sys1(SYS_alarm, 0);
		fz_sys4(SYS_rt_sigaction, SIGUSR2, &sa, NULL, sizeof(sigset_t));
		return fz_sys2(SYS_kill, fz_sys0(SYS_getpid), sig == SIGKILL ? SIGUSR2 : sig);
	}
}

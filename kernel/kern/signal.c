/*
 * signal.c - signals, with default actions and SIG_IGN only.
 *
 * A signal is a bit in the target's sig_pending mask.  signal_send() sets
 * it and, if the target sleeps interruptibly, wakes it so the sleep returns
 * -EINTR and the system call unwinds.  Nothing happens to the target until
 * it is about to return to user mode: signal_deliver() then takes each
 * pending, unblocked signal and applies its disposition:
 *   - ignored (SIG_IGN, or a signal whose default is to ignore): dropped;
 *   - a stop signal (SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU) stops the process
 *     until SIGCONT (kern/jobctl.c, which also does SIGCONT's part);
 *   - otherwise the default action, which for every other signal this kernel
 *     knows is "terminate": the wait status records the signal number.
 * SIGKILL can be neither ignored nor blocked.  There are no user-level
 * handlers (no signal frame, no sigreturn): rt_sigaction accepts only
 * SIG_DFL and SIG_IGN and answers EINVAL for a handler function.
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/string.h"
#include "kern/printf.h"
#include "kern/proc.h"
#include "kern/signal.h"
#include "kern/sched.h"
#include "kern/copyio.h"
#include "kern/jobctl.h"
#include "kern/pgrp.h"
#include "uapi/signal.h"
#include "uapi/wait.h"

#define SIGBIT(sig) (1ul << ((sig) - 1))
/* Signals whose default action is to do nothing. */
#define DEFAULT_IGNORED (SIGBIT(SIGCHLD) | SIGBIT(SIGURG) | SIGBIT(SIGWINCH) | SIGBIT(SIGCONT))
#define UNBLOCKABLE     (SIGBIT(SIGKILL) | SIGBIT(SIGSTOP))

static const char *const signal_names[32] = {
	[SIGHUP] = "SIGHUP", [SIGINT] = "SIGINT", [SIGQUIT] = "SIGQUIT", [SIGILL] = "SIGILL",
	[SIGTRAP] = "SIGTRAP", [SIGABRT] = "SIGABRT", [SIGBUS] = "SIGBUS", [SIGFPE] = "SIGFPE",
	[SIGKILL] = "SIGKILL", [SIGUSR1] = "SIGUSR1", [SIGSEGV] = "SIGSEGV", [SIGUSR2] = "SIGUSR2",
	[SIGPIPE] = "SIGPIPE", [SIGALRM] = "SIGALRM", [SIGTERM] = "SIGTERM", [SIGCHLD] = "SIGCHLD",
	[SIGCONT] = "SIGCONT", [SIGSTOP] = "SIGSTOP", [SIGTSTP] = "SIGTSTP", [SIGTTIN] = "SIGTTIN",
	[SIGTTOU] = "SIGTTOU",
};

const char *signal_name(int sig)
{
	if (sig > 0 && sig < 32 && signal_names[sig])
		return signal_names[sig];
	return "signal";
}

/* Mark sig pending on p and cut an interruptible sleep short.  Lock held. */
static void signal_post_locked(struct proc *p, int sig)
{
	jobctl_post_locked(p, sig);     /* SIGCONT continues, stops cancel it */
	p->sig_pending |= SIGBIT(sig);
	if (p->state == P_SLEEPING && p->sleep_interruptible && signal_pending(p))
		sched_make_runnable(p);
}

int signal_send(struct proc *p, int sig)
{
	if (sig < 0 || sig >= NSIG)
		return -EINVAL;
	/* init cannot catch signals, and its death would end the system: like
	 * Linux, the kernel does not deliver them to it at all. */
	if (sig == 0 || p == initproc)
		return 0;
	spinlock_acquire(&proc_table_lock);
	if (p->state != P_ZOMBIE)
		signal_post_locked(p, sig);
	spinlock_release(&proc_table_lock);
	return 0;
}

/* Signals that would act now: pending, not blocked, not ignored. */
static uint64_t signals_deliverable(struct proc *p)
{
	uint64_t blocked = p->sig_blocked & ~UNBLOCKABLE;
	uint64_t ignored = (p->sig_ignored | DEFAULT_IGNORED) & ~UNBLOCKABLE;
	return p->sig_pending & ~blocked & ~ignored;
}

bool signal_pending(struct proc *p)
{
	return signals_deliverable(p) != 0;
}

void signal_deliver(void)
{
	struct proc *p = curproc();
	/* The common case, checked without the lock: nothing pending.  A signal
	 * posted right after this read is acted on at the next return. */
	if (__atomic_load_n(&p->sig_pending, __ATOMIC_RELAXED) == 0)
		return;
	spinlock_acquire(&proc_table_lock);
	uint64_t blocked = p->sig_blocked & ~UNBLOCKABLE;
	p->sig_pending &= ~((p->sig_ignored | DEFAULT_IGNORED) & ~UNBLOCKABLE & ~blocked);
	uint64_t act = signals_deliverable(p);
	spinlock_release(&proc_table_lock);
	if (act == 0)
		return;
	int sig = __builtin_ctzl(act) + 1;
	if (act & SIGBIT(SIGKILL))
		sig = SIGKILL;
	if (jobctl_is_stop_signal(sig)) {
		jobctl_stop(sig);       /* returns once continued */
		signal_deliver();       /* then whatever else is pending */
		return;
	}
	proc_exit(W_EXITCODE(0, sig));
}

void signal_exit(int sig, const char *why)
{
	struct proc *p = curproc();
	kprintf("vmos: pid %d (%s) killed by %s: %s\n", p->pid, p->name, signal_name(sig), why);
	proc_exit(W_EXITCODE(0, sig));
}

static bool may_signal(const struct proc *self, const struct proc *target)
{
	return self->euid == 0 || self->uid == target->uid || self->euid == target->uid;
}

/*
 * A broadcast: every user process but init and `self` (Ctrl-C passes
 * NULL), skipping those `sender` may not signal when sender is set.
 * found counts the candidates, sent those signalled (or, for sig 0, that
 * could have been).
 */
struct kill_walk {
	int sig;
	struct proc *self;
	struct proc *sender;            /* permissions checked against, or NULL */
	int found, sent;
};

static void kill_one(struct proc *p, void *arg)
{
	struct kill_walk *k = arg;
	if (p == initproc || p == k->self || p->state == P_ZOMBIE || p->vmspace == NULL)
		return;
	k->found++;
	if (k->sender != NULL && !may_signal(k->sender, p))
		return;
	k->sent++;
	if (k->sig != 0)
		signal_post_locked(p, k->sig);
}

static void signal_all(struct kill_walk *k)
{
	spinlock_acquire(&proc_table_lock);
	proc_foreach_locked(kill_one, k);
	spinlock_release(&proc_table_lock);
}

/*
 * kill(-1, sig): every process but init and the caller that the caller
 * may signal (POSIX: "all processes ... for which the process has
 * permission").  As in Linux and FreeBSD: ESRCH when there was no other
 * process at all, EPERM when there were some but the caller may signal
 * none of them, else 0.  Nobody's permission is ever skipped: a user
 * cannot reach another user's processes by broadcasting.
 */
static long kill_all(int sig)
{
	struct kill_walk k = { .sig = sig, .self = curproc(), .sender = curproc() };
	signal_all(&k);
	if (k.found == 0)
		return -ESRCH;
	return k.sent > 0 ? 0 : -EPERM;
}

long sys_kill(pid_t pid, int sig)
{
	if (sig < 0 || sig >= NSIG)
		return -EINVAL;
	if (pid == -1)
		return kill_all(sig);
	if (pid == 0)                   /* the caller's group (kern/pgrp.c) */
		return pgrp_signal((pid_t)sys_getpgrp(), sig, curproc());
	if (pid < 0)                    /* group -pid */
		return pgrp_signal(-pid, sig, curproc());
	spinlock_acquire(&proc_table_lock);
	struct proc *p = proc_find(pid);
	bool zombie = p && p->state == P_ZOMBIE;
	bool allowed = p && may_signal(curproc(), p);
	spinlock_release(&proc_table_lock);
	if (p == NULL)
		return -ESRCH;
	if (!allowed)
		return -EPERM;
	return zombie ? 0 : signal_send(p, sig);
}

/* For process groups and the terminal (kern/pgrp.c, kern/tty.c). */
bool signal_permitted(const struct proc *sender, const struct proc *target)
{
	return may_signal(sender, target);
}

void signal_send_locked(struct proc *p, int sig)
{
	if (sig > 0 && sig < NSIG && p != initproc && p->state != P_ZOMBIE)
		signal_post_locked(p, sig);
}

long sys_rt_sigaction(int sig, const void *uact, void *uoldact, size_t sigsetsize)
{
	struct proc *p = curproc();
	struct sigaction act, old;

	if (sig <= 0 || sig >= NSIG || sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	memset(&old, 0, sizeof(old));
	old.sa_handler = (p->sig_ignored & SIGBIT(sig)) ? SIG_IGN : SIG_DFL;
	if (uact) {
		if (copyin(uact, &act, sizeof(act)) != 0)
			return -EFAULT;
		if (sig == SIGKILL || sig == SIGSTOP)
			return -EINVAL;
		if (act.sa_handler != SIG_DFL && act.sa_handler != SIG_IGN)
			return -EINVAL;         /* handler functions are not delivered */
	}
	if (uoldact && copyout(&old, uoldact, sizeof(old)) != 0)
		return -EFAULT;
	if (uact) {
		if (act.sa_handler == SIG_IGN)
			p->sig_ignored |= SIGBIT(sig);
		else
			p->sig_ignored &= ~SIGBIT(sig);
	}
	return 0;
}

long sys_rt_sigprocmask(int how, const void *uset, void *uoldset, size_t sigsetsize)
{
	struct proc *p = curproc();
	uint64_t set, old = p->sig_blocked;

	if (sigsetsize != sizeof(uint64_t))
		return -EINVAL;
	if (uset) {
		if (copyin(uset, &set, sizeof(set)) != 0)
			return -EFAULT;
		switch (how) {
		case 0: p->sig_blocked |= set; break;           /* SIG_BLOCK */
		case 1: p->sig_blocked &= ~set; break;          /* SIG_UNBLOCK */
		case 2: p->sig_blocked = set; break;            /* SIG_SETMASK */
		default: return -EINVAL;
		}
		p->sig_blocked &= ~UNBLOCKABLE;
	}
	if (uoldset && copyout(&old, uoldset, sizeof(old)) != 0)
		return -EFAULT;
	return 0;
}

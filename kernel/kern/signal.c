/*
 * signal.c - signals: sending, masks, handlers, waiting for a signal.
 *
 * A signal is a bit in the target's sig_pending mask, with a struct
 * sig_queued beside it saying who sent it (si_code, si_pid, si_uid,
 * si_addr).  Like the classic UNIX signals, a signal that is already
 * pending is not queued twice: the first sender's information stays.
 * signal_post_locked() sets the bit and, if the target sleeps
 * interruptibly and the signal would act, wakes it so that the sleep
 * returns -EINTR and the system call unwinds.
 *
 * Nothing happens to the target until it is about to return to user mode
 * (trap.c: trap_return_to_user).  signal_deliver() then takes each
 * pending, unblocked signal, lowest number first (SIGKILL before all),
 * and applies its disposition (p->sig_action[sig]):
 *   - ignored (SIG_IGN, or SIG_DFL of a signal whose default is to
 *     ignore): dropped;
 *   - SIG_DFL: terminate, and the wait status records the signal number;
 *     or, for a stop signal (SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU), stop
 *     until SIGCONT (kern/jobctl.c, which also does SIGCONT's part);
 *   - a handler: arch/x86_64/sigframe.c builds a frame on the user stack
 *     (or the sigaltstack, under SA_ONSTACK) holding the interrupted
 *     registers, FPU state and signal mask, and points the process at
 *     the handler, whose return address is the C library's sa_restorer;
 *     that calls rt_sigreturn, which checks the frame and puts it all
 *     back.  While the handler runs, sa_mask and (unless SA_NODEFER) the
 *     signal itself are blocked; SA_RESETHAND puts SIG_DFL back first.
 *     When several signals are pending, each gets its frame on top of the
 *     last, so the last one's handler runs first.
 *
 * Interrupted system calls.  A sleeping call cut short by a signal
 * returns -EINTR.  If a handler with SA_RESTART is about to run and the
 * call is one of the restartable ones (restartable(): reads and writes,
 * accept, connect, wait4, ...), delivery instead rewinds the user RIP over
 * the 2-byte `syscall` instruction and puts the call's number (saved by
 * syscall_entry.S in tf->err) back in rax: after the handler, the call
 * runs again.  poll, nanosleep, sigsuspend and sigtimedwait are never
 * restarted, as in Linux.
 *
 * Invariants:
 *   - SIGKILL and SIGSTOP are never blocked, caught or ignored: the masks
 *     are cut with ~UNBLOCKABLE wherever they are set.
 *   - Faults (signal_fault) are synchronous: if their signal is blocked
 *     or not caught, the process dies at once -- returning to the faulting
 *     instruction would fault forever.
 *   - init gets no signals (like Linux, which delivers none to it that it
 *     did not ask for): its death would end the system.
 * Locking: pending, blocked, actions and info are read by senders under
 * proc_table_lock; only the process itself changes blocked and actions.
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/string.h"
#include "kern/printf.h"
#include "kern/proc.h"
#include "kern/signal.h"
#include "kern/sched.h"
#include "kern/clock.h"
#include "kern/copyio.h"
#include "kern/jobctl.h"
#include "kern/pgrp.h"
#include "arch/x86_64/trap.h"
#include "arch/x86_64/sigframe.h"
#include "uapi/signal.h"
#include "uapi/syscall.h"
#include "uapi/time.h"
#include "uapi/wait.h"

#define SIGBIT(sig) (1ul << ((sig) - 1))
/* Signals whose default action is to do nothing. */
#define DEFAULT_IGNORED (SIGBIT(SIGCHLD) | SIGBIT(SIGURG) | SIGBIT(SIGWINCH) | SIGBIT(SIGCONT))
#define UNBLOCKABLE     (SIGBIT(SIGKILL) | SIGBIT(SIGSTOP))
#define T_SYSCALL       256             /* syscall_entry.S's trapno */

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

static bool handler_is(const struct sigaction *a, void (*h)(int))
{
	return a->sa_handler == h;
}

/* Would sig, delivered to p now, do nothing at all? */
static bool signal_ignored(const struct proc *p, int sig)
{
	const struct sigaction *a = &p->sig_action[sig];
	if (SIGBIT(sig) & UNBLOCKABLE)
		return false;
	return handler_is(a, SIG_IGN) || (handler_is(a, SIG_DFL) && (SIGBIT(sig) & DEFAULT_IGNORED));
}

/* Signals that would act now: pending, not blocked, not ignored.  (t) held
 * or p itself. */
static uint64_t signals_deliverable(const struct proc *p)
{
	uint64_t set = p->sig_pending & ~(p->sig_blocked & ~UNBLOCKABLE);
	uint64_t act = 0;
	while (set) {
		int sig = __builtin_ctzl(set) + 1;
		set &= set - 1;
		if (!signal_ignored(p, sig))
			act |= SIGBIT(sig);
	}
	return act;
}

bool signal_pending(struct proc *p)
{
	return p->sig_pending != 0 && signals_deliverable(p) != 0;
}

/* Mark sig pending on p with q's information and cut an interruptible
 * sleep short.  (t) held. */
static void signal_post_locked(struct proc *p, int sig, const struct sig_queued *q)
{
	spinlock_assert_held(&proc_table_lock);
	bool awaited = p->sig_waitset & SIGBIT(sig);
	/* First, before an ignored signal is dropped: SIGCONT continues a
	 * stopped process even when ignored or blocked (kern/jobctl.c). */
	jobctl_post_locked(p, sig);
	if (signal_ignored(p, sig) && !(p->sig_blocked & SIGBIT(sig)) && !awaited)
		return;                 /* POSIX: discarded, never pending */
	if (!(p->sig_pending & SIGBIT(sig)))
		p->sig_info[sig] = *q;
	p->sig_pending |= SIGBIT(sig);
	if (p->state == P_SLEEPING && p->sleep_interruptible && (awaited || signal_pending(p)))
		sched_make_runnable(p);
	else if (signal_pending(p))
		sched_kick(p);          /* running elsewhere: deliver it now, not next tick */
}

static int signal_send_info(struct proc *p, int sig, const struct sig_queued *q)
{
	if (sig < 0 || sig >= NSIG)
		return -EINVAL;
	/* init cannot catch signals, and its death would end the system: like
	 * Linux, the kernel does not deliver them to it at all. */
	if (sig == 0 || p == initproc)
		return 0;
	spinlock_acquire(&proc_table_lock);
	if (p->state != P_ZOMBIE)
		signal_post_locked(p, sig, q);
	spinlock_release(&proc_table_lock);
	return 0;
}

void signal_post_kernel_locked(struct proc *p, int sig)
{
	spinlock_assert_held(&proc_table_lock);
	struct sig_queued q = { .code = SI_KERNEL };
	if (p != initproc && p->state != P_ZOMBIE)
		signal_post_locked(p, sig, &q);
}

int signal_send(struct proc *p, int sig)
{
	struct sig_queued q = { .code = SI_KERNEL };
	return signal_send_info(p, sig, &q);
}

void signal_exit(int sig, const char *why)
{
	struct proc *p = curproc();
	kprintf("vmos: pid %d (%s) killed by %s: %s\n", p->pid, p->name, signal_name(sig), why);
	proc_exit(W_EXITCODE(0, sig));
}

void signal_fault(int sig, int code, uint64_t addr, const char *why)
{
	struct proc *p = curproc();
	struct sig_queued q = { .code = code, .addr = addr };
	const struct sigaction *a = &p->sig_action[sig];

	spinlock_acquire(&proc_table_lock);
	bool caught = !handler_is(a, SIG_DFL) && !handler_is(a, SIG_IGN) &&
	    !(p->sig_blocked & SIGBIT(sig)) && p != initproc;
	if (caught) {
		/* A fault's information wins over a kill's still pending. */
		p->sig_pending &= ~SIGBIT(sig);
		signal_post_locked(p, sig, &q);
	}
	spinlock_release(&proc_table_lock);
	if (!caught)
		signal_exit(sig, why);
}

/* ------------------------------------------------------------- delivery */

/* May a call that returned -EINTR be run again after an SA_RESTART handler? */
static bool restartable(uint64_t nr)
{
	switch (nr) {
	case SYS_read: case SYS_write: case SYS_pread64: case SYS_pwrite64:
	case SYS_open: case SYS_ioctl: case SYS_wait4:
	case SYS_accept: case SYS_accept4: case SYS_connect: case SYS_sendto:
	case SYS_recvfrom: case SYS_sendmsg: case SYS_recvmsg:
		return true;
	default:
		return false;
	}
}

/* Run act's handler for sig: push its frame on the user stack and block
 * what it asks for.  Kills the process if the frame cannot be written. */
static void signal_run_handler(struct proc *p, int sig, const struct sigaction *act,
    const struct sig_queued *q)
{
	struct trapframe *tf = p->tf;
	siginfo_t info;
	char why[128];

	if (tf->trapno == T_SYSCALL && (long)tf->rax == -EINTR && (act->sa_flags & SA_RESTART) &&
	    restartable(tf->err)) {
		tf->rax = tf->err;      /* the call again, with the same arguments */
		tf->rip -= 2;           /* the `syscall` instruction */
	}
	tf->err = SIGFRAME_NO_SYSCALL;  /* a second frame must not restart it again */

	memset(&info, 0, sizeof(info));
	info.si_signo = sig;
	info.si_code = q->code;
	if (sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE || sig == SIGTRAP) {
		info.si_addr = (void *)q->addr;
	} else {
		info.si_pid = q->pid;
		info.si_uid = q->uid;
	}

	uint64_t oldmask = p->sig_mask_saved ? p->sig_saved_mask : p->sig_blocked;
	p->sig_mask_saved = false;
	bool alt = (act->sa_flags & SA_ONSTACK) && p->sig_altstack.ss_size != 0 &&
	    !(p->sig_altstack.ss_flags & SS_DISABLE) && !sigframe_on_altstack(tf, &p->sig_altstack);
	if (!(act->sa_flags & SA_RESTORER)) {
		ksnprintf(why, sizeof(why), "the handler for %s has no sa_restorer", signal_name(sig));
		signal_exit(SIGSEGV, why);
	}
	if (sigframe_push(tf, act, &info, oldmask, &p->sig_altstack, alt) != 0) {
		ksnprintf(why, sizeof(why), "cannot write the frame for %s's handler (rsp %#lx%s)",
		    signal_name(sig), tf->rsp, alt ? ", alternate stack" : "");
		signal_exit(SIGSEGV, why);
	}

	spinlock_acquire(&proc_table_lock);
	p->sig_blocked |= act->sa_mask;
	if (!(act->sa_flags & SA_NODEFER))
		p->sig_blocked |= SIGBIT(sig);
	p->sig_blocked &= ~UNBLOCKABLE;
	if (act->sa_flags & SA_RESETHAND)
		memset(&p->sig_action[sig], 0, sizeof(p->sig_action[sig]));
	spinlock_release(&proc_table_lock);
}

/* signal_deliver's work, out of line so that the common case (nothing
 * pending) costs the system call path no stack frame. */
static __attribute__((noinline)) void signal_deliver_pending(struct proc *p)
{
	for (;;) {
		spinlock_acquire(&proc_table_lock);
		uint64_t unblocked = p->sig_pending & ~(p->sig_blocked & ~UNBLOCKABLE);
		uint64_t act = signals_deliverable(p);
		p->sig_pending &= ~(unblocked & ~act);          /* the ignored ones go */
		if (act == 0) {
			spinlock_release(&proc_table_lock);
			break;
		}
		int sig = (act & SIGBIT(SIGKILL)) ? SIGKILL : __builtin_ctzl(act) + 1;
		p->sig_pending &= ~SIGBIT(sig);
		struct sigaction action = p->sig_action[sig];
		struct sig_queued q = p->sig_info[sig];
		spinlock_release(&proc_table_lock);

		if ((handler_is(&action, SIG_DFL) || (SIGBIT(sig) & UNBLOCKABLE)) &&
		    jobctl_is_stop_signal(sig)) {
			jobctl_stop(sig);       /* returns once continued; then the rest */
			continue;
		}
		if (handler_is(&action, SIG_DFL) || (SIGBIT(sig) & UNBLOCKABLE))
			proc_exit(W_EXITCODE(0, sig));
		signal_run_handler(p, sig, &action, &q);
	}
	/* rt_sigsuspend's caller's mask comes back now unless a handler's
	 * frame took it (to come back at rt_sigreturn). */
	if (p->sig_mask_saved) {
		p->sig_mask_saved = false;
		spinlock_acquire(&proc_table_lock);
		p->sig_blocked = p->sig_saved_mask;
		spinlock_release(&proc_table_lock);
	}
}

void signal_deliver(void)
{
	struct proc *p = curproc();
	/* The common case, checked without the lock: nothing pending.  A signal
	 * posted right after this read is acted on at the next return. */
	if (__atomic_load_n(&p->sig_pending, __ATOMIC_RELAXED) != 0 || p->sig_mask_saved)
		signal_deliver_pending(p);
}

long sys_rt_sigreturn(void)
{
	struct proc *p = curproc();
	uint64_t mask;
	char why[192];

	if (sigframe_pop(p->tf, &mask, why, sizeof(why)) != 0)
		signal_exit(SIGSEGV, why);
	spinlock_acquire(&proc_table_lock);
	p->sig_blocked = mask & ~UNBLOCKABLE;
	spinlock_release(&proc_table_lock);
	return (long)p->tf->rax;        /* the dispatcher stores it back in rax */
}

/* --------------------------------------------------------- process life */

void signal_fork(struct proc *child, const struct proc *parent)
{
	child->sig_blocked = parent->sig_blocked;
	memcpy(child->sig_action, parent->sig_action, sizeof(child->sig_action));
	child->sig_altstack = parent->sig_altstack;
}

void signal_exec(struct proc *p)
{
	/* Handlers were addresses in the old program: back to SIG_DFL.  Ignored
	 * signals stay ignored, and the mask and pending signals stay (POSIX). */
	spinlock_acquire(&proc_table_lock);
	for (int sig = 1; sig < NSIG; sig++) {
		struct sigaction *a = &p->sig_action[sig];
		bool ignored = handler_is(a, SIG_IGN);
		memset(a, 0, sizeof(*a));
		if (ignored)
			a->sa_handler = SIG_IGN;
	}
	spinlock_release(&proc_table_lock);
	memset(&p->sig_altstack, 0, sizeof(p->sig_altstack));
	p->sig_mask_saved = false;
}

/* ------------------------------------------------------------ kill and ^C */

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
	struct sig_queued q;
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
		signal_post_locked(p, k->sig, &k->q);
}

static void signal_all(struct kill_walk *k)
{
	spinlock_acquire(&proc_table_lock);
	proc_foreach_locked(kill_one, k);
	spinlock_release(&proc_table_lock);
}

/* What kill() tells the target: SI_USER, the sender's pid and real uid. */
static struct sig_queued kill_info(void)
{
	struct proc *self = curproc();
	return (struct sig_queued){ .code = SI_USER, .pid = self->pid, .uid = self->uid };
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
	struct kill_walk k = { .sig = sig, .q = kill_info(), .self = curproc(),
	                       .sender = curproc() };
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
	struct sig_queued q = kill_info();
	return zombie ? 0 : signal_send_info(p, sig, &q);
}

/* For process groups and the terminal (kern/pgrp.c, kern/tty.c, kern/jobctl.c).
 * A signal from a running process (kill of a group) carries its pid and uid;
 * one from the kernel (the terminal's keys, SIGCHLD) is SI_KERNEL. */
bool signal_ignored_or_blocked(const struct proc *p, int sig)
{
	return (p->sig_blocked & SIGBIT(sig)) || handler_is(&p->sig_action[sig], SIG_IGN);
}

bool signal_permitted(const struct proc *sender, const struct proc *target)
{
	return may_signal(sender, target);
}

void signal_send_locked(struct proc *p, int sig)
{
	spinlock_assert_held(&proc_table_lock);
	signal_send_from_locked(p, sig, NULL);
}

void signal_send_from_locked(struct proc *p, int sig, const struct proc *sender)
{
	spinlock_assert_held(&proc_table_lock);
	struct sig_queued q = { .code = SI_KERNEL };
	if (sender != NULL)
		q = (struct sig_queued){ .code = SI_USER, .pid = sender->pid, .uid = sender->uid };
	if (sig > 0 && sig < NSIG && p != initproc && p->state != P_ZOMBIE)
		signal_post_locked(p, sig, &q);
}

/* ------------------------------------------------------- actions, masks */

long sys_rt_sigaction(int sig, const void *uact, void *uoldact, size_t sigsetsize)
{
	struct proc *p = curproc();
	struct sigaction act, old;

	if (sig <= 0 || sig >= NSIG || sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	if (uact) {
		if (copyin(uact, &act, sizeof(act)) != 0)
			return -EFAULT;
		if (SIGBIT(sig) & UNBLOCKABLE)
			return -EINVAL;
		act.sa_mask &= ~UNBLOCKABLE;
	}
	old = p->sig_action[sig];
	if (uoldact && copyout(&old, uoldact, sizeof(old)) != 0)
		return -EFAULT;
	if (uact) {
		spinlock_acquire(&proc_table_lock);
		p->sig_action[sig] = act;
		/* POSIX: setting SIG_IGN (or SIG_DFL of an ignored-by-default
		 * signal) discards a pending one. */
		if (signal_ignored(p, sig))
			p->sig_pending &= ~SIGBIT(sig);
		spinlock_release(&proc_table_lock);
	}
	return 0;
}

long sys_rt_sigprocmask(int how, const void *uset, void *uoldset, size_t sigsetsize)
{
	struct proc *p = curproc();
	uint64_t set, old = p->sig_blocked;

	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	if (uset) {
		if (copyin(uset, &set, sizeof(set)) != 0)
			return -EFAULT;
		if (how != SIG_BLOCK && how != SIG_UNBLOCK && how != SIG_SETMASK)
			return -EINVAL;
	}
	if (uoldset && copyout(&old, uoldset, sizeof(old)) != 0)
		return -EFAULT;
	if (uset) {
		spinlock_acquire(&proc_table_lock);
		if (how == SIG_BLOCK)
			p->sig_blocked |= set;
		else if (how == SIG_UNBLOCK)
			p->sig_blocked &= ~set;
		else
			p->sig_blocked = set;
		p->sig_blocked &= ~UNBLOCKABLE;
		spinlock_release(&proc_table_lock);
	}
	return 0;
}

long sys_rt_sigpending(void *uset, size_t sigsetsize)
{
	struct proc *p = curproc();
	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	uint64_t set = p->sig_pending & p->sig_blocked;
	return copyout(&set, uset, sizeof(set)) != 0 ? -EFAULT : 0;
}

/*
 * Wait with the mask *umask until a signal acts.  Always -EINTR.  The
 * caller's mask comes back when the handler returns (the frame holds
 * it: signal_run_handler), or at once if no handler runs.
 */
long sys_rt_sigsuspend(const void *umask, size_t sigsetsize)
{
	struct proc *p = curproc();
	uint64_t mask;

	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	if (copyin(umask, &mask, sizeof(mask)) != 0)
		return -EFAULT;
	spinlock_acquire(&proc_table_lock);
	p->sig_saved_mask = p->sig_blocked;
	p->sig_mask_saved = true;
	p->sig_blocked = mask & ~UNBLOCKABLE;
	/* Nobody wakes this channel: only a signal ends the sleep. */
	while (sleep_on(&p->sig_saved_mask, &proc_table_lock, true) == 0)
		;
	spinlock_release(&proc_table_lock);
	return -EINTR;
}

/*
 * sigwait/sigtimedwait: take one of *uset's signals (which the caller
 * normally blocks) off the pending set without running its handler.
 * The signal number, -EAGAIN when the timeout passed, -EINTR when
 * another signal came.  While waiting, p->sig_waitset tells senders that
 * a signal in the set must be kept and must wake the sleep even though it
 * is blocked (or ignored: sigwait(SIGCHLD) works) (signal_post_locked).
 */
long sys_rt_sigtimedwait(const void *uset, void *uinfo, const void *utimeout, size_t sigsetsize)
{
	struct proc *p = curproc();
	uint64_t set, deadline = CLOCK_NS_FOREVER;

	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	if (copyin(uset, &set, sizeof(set)) != 0)
		return -EFAULT;
	set &= ~UNBLOCKABLE;
	if (utimeout) {
		struct timespec ts;
		uint64_t ns;
		if (copyin(utimeout, &ts, sizeof(ts)) != 0)
			return -EFAULT;
		int err = clock_timespec_to_ns(&ts, &ns);
		if (err)
			return err;
		deadline = clock_deadline(ns);
	}

	spinlock_acquire(&proc_table_lock);
	for (;;) {
		uint64_t ready = p->sig_pending & set;
		if (ready) {
			int sig = __builtin_ctzl(ready) + 1;
			p->sig_pending &= ~SIGBIT(sig);
			struct sig_queued q = p->sig_info[sig];
			spinlock_release(&proc_table_lock);
			siginfo_t info;
			memset(&info, 0, sizeof(info));
			info.si_signo = sig;
			info.si_code = q.code;
			info.si_pid = q.pid;
			info.si_uid = q.uid;
			if (uinfo && copyout(&info, uinfo, sizeof(info)) != 0)
				return -EFAULT;
			return sig;
		}
		if (deadline != CLOCK_NS_FOREVER && clock_ns() >= deadline) {
			spinlock_release(&proc_table_lock);
			return -EAGAIN;
		}
		p->sig_waitset = set;
		int err = sleep_on_deadline(&p->sig_info, &proc_table_lock, true, deadline);
		p->sig_waitset = 0;
		if (err == -EINTR && !(p->sig_pending & set)) {
			spinlock_release(&proc_table_lock);
			return -EINTR;
		}
	}
}

long sys_sigaltstack(const void *uss, void *uold)
{
	struct proc *p = curproc();
	stack_t ss, old = p->sig_altstack;
	bool on = sigframe_on_altstack(p->tf, &p->sig_altstack);

	if (old.ss_size == 0)
		old.ss_flags = SS_DISABLE;
	if (on)
		old.ss_flags = SS_ONSTACK;
	if (uss) {
		if (copyin(uss, &ss, sizeof(ss)) != 0)
			return -EFAULT;
		if (on)
			return -EPERM;  /* cannot move the stack a handler runs on */
		if (ss.ss_flags & ~(SS_DISABLE | SS_ONSTACK))
			return -EINVAL;
		if (ss.ss_flags & SS_DISABLE) {
			memset(&ss, 0, sizeof(ss));
			ss.ss_flags = SS_DISABLE;
		} else if (ss.ss_size < MINSIGSTKSZ) {
			return -ENOMEM;
		} else {
			ss.ss_flags = 0;
		}
	}
	if (uold && copyout(&old, uold, sizeof(old)) != 0)
		return -EFAULT;
	if (uss)
		p->sig_altstack = ss;
	return 0;
}

/*
 * jobctl.c - stopping and continuing processes: the default action of
 * SIGSTOP, SIGTSTP, SIGTTIN and SIGTTOU, and of SIGCONT.
 *
 * A stop takes effect where every default action does, on the way back
 * to user mode (signal_deliver calls jobctl_stop): the process marks
 * itself stopped, tells its parent (SIGCHLD, and a report wait4 gives
 * under WUNTRACED), and sleeps uninterruptibly on &p->stopped.
 *
 * A continue takes effect when SIGCONT is *sent*, even if it is blocked
 * or ignored (POSIX): jobctl_post_locked clears the stop, records a
 * report for WCONTINUED, tells the parent and wakes the process.  Sending
 * SIGCONT also throws away pending stop signals and sending a stop signal
 * throws away a pending SIGCONT, so the last one sent wins.  SIGKILL
 * wakes a stopped process too, so that it can die.
 *
 * A system call cut short by the stop signal (it slept interruptibly and
 * got -EINTR) is restarted once the process continues, if no other
 * signal is waiting: the program never sees that it was stopped.  The
 * syscall entry keeps the call's number in tf->err for this.
 *
 * Locking: p->stopped, p->stop_sig and p->jobctl_report are (t).
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/proc.h"
#include "kern/pgrp.h"
#include "kern/sched.h"
#include "kern/signal.h"
#include "kern/jobctl.h"
#include "arch/x86_64/sigframe.h"
#include "arch/x86_64/trap.h"
#include "uapi/signal.h"

#define SIGBIT(sig) (1ul << ((sig) - 1))
#define STOP_SIGNALS (SIGBIT(SIGSTOP) | SIGBIT(SIGTSTP) | SIGBIT(SIGTTIN) | SIGBIT(SIGTTOU))

bool jobctl_is_stop_signal(int sig)
{
	return sig > 0 && sig < 64 && (STOP_SIGNALS & SIGBIT(sig)) != 0;
}

/* The parent learns of a stop or a continue: SIGCHLD, and its wait4 wakes. */
static void jobctl_tell_parent_locked(struct proc *p, int report)
{
	spinlock_assert_held(&proc_table_lock);
	p->jobctl_report = report;
	if (p->parent == NULL)
		return;
	signal_send_locked(p->parent, SIGCHLD);
	sched_wakeup_locked(p->parent);
}

void jobctl_post_locked(struct proc *p, int sig)
{
	spinlock_assert_held(&proc_table_lock);
	KASSERT(spinlock_held(&proc_table_lock), "jobctl_post_locked: lock not held");
	if (sig == SIGCONT) {
		p->sig_pending &= ~STOP_SIGNALS;
		if (p->stopped) {
			p->stopped = false;
			jobctl_tell_parent_locked(p, JOBCTL_CONTINUED);
			sched_wakeup_locked(&p->stopped);
		}
	} else if (jobctl_is_stop_signal(sig)) {
		p->sig_pending &= ~SIGBIT(SIGCONT);
	} else if (sig == SIGKILL && p->stopped) {
		sched_wakeup_locked(&p->stopped);
	}
}

/* After a stop: start the interrupted system call again (see the top). */
static void jobctl_restart_syscall(struct proc *p)
{
	struct trapframe *tf = p->tf;
	if (tf->trapno != T_SYSCALL || (long)tf->rax != -EINTR || signal_pending(p) ||
	    tf->err == SIGFRAME_NO_SYSCALL)         /* a handler's frame was pushed first */
		return;
	tf->rax = tf->err;              /* the call's number */
	tf->rip -= 2;                   /* back onto the syscall instruction */
}

void jobctl_stop(int sig)
{
	struct proc *p = curproc();
	spinlock_acquire(&proc_table_lock);
	p->sig_pending &= ~SIGBIT(sig);
	/* The terminal's stops would leave an orphaned group stopped with
	 * nobody to continue it: POSIX discards them. */
	if (sig != SIGSTOP && pgrp_is_orphaned_locked(p->pgrp)) {
		spinlock_release(&proc_table_lock);
		return;
	}
	p->stopped = true;
	p->stop_sig = sig;
	jobctl_tell_parent_locked(p, JOBCTL_STOPPED);
	while (p->stopped && !(p->sig_pending & SIGBIT(SIGKILL)))
		sleep_on(&p->stopped, &proc_table_lock, false);
	p->stopped = false;             /* continued, or killed */
	spinlock_release(&proc_table_lock);
	jobctl_restart_syscall(p);
}

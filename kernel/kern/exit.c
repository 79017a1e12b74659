/*
 * exit.c - exit() and wait4(): the two halves of a process's death.
 *
 * A process cannot free everything itself: it is running on its kernel
 * stack.  So exit releases what it can (descriptors, address space), hands
 * its children to init, becomes a ZOMBIE holding its wait status, wakes its
 * parent and switches away for good.  The parent's wait4() then frees the
 * kernel stack and the slot ("reaps" it).  init reaps orphans, so every
 * process is reaped eventually.
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/printf.h"
#include "kern/proc.h"
#include "kern/itimer.h"
#include "kern/sched.h"
#include "kern/copyio.h"
#include "kern/fdtable.h"
#include "kern/pgrp.h"
#include "kern/jobctl.h"
#include "vm/vm_map.h"
#include "uapi/wait.h"

/* Hand every child of p to init; true if one of them is already a zombie. */
static bool reparent_children_locked(struct proc *p)
{
	spinlock_assert_held(&proc_table_lock);
	bool zombie = false;
	struct list_node *n;
	while ((n = list_first(&p->children)) != NULL) {
		struct proc *c = list_entry(n, struct proc, sibling);
		zombie |= c->state == P_ZOMBIE;
		proc_set_parent_locked(c, initproc);
	}
	return zombie;
}

void proc_exit(int wait_status)
{
	struct proc *p = curproc();
	if (p == initproc)
		panic("proc_exit: init exited with wait status %#x", wait_status);

	itimer_exit(p);
	if (p->fdtable) {
		fdtable_free(p->fdtable);
		p->fdtable = NULL;
	}
	if (p->vmspace) {
		struct vmspace *vs = p->vmspace;
		vmspace_activate(NULL);                 /* never run on freed page tables */
		spinlock_acquire(&proc_table_lock);     /* others read p->vmspace under it */
		p->vmspace = NULL;
		spinlock_release(&proc_table_lock);
		vmspace_free(vs);
	}

	spinlock_acquire(&proc_table_lock);
	pgrp_exit_locked(p);                    /* terminal hangup, orphaned groups */
	if (reparent_children_locked(p))
		sched_wakeup_locked(initproc);
	p->exit_status = wait_status;
	p->state = P_ZOMBIE;
	sched_wakeup_locked(p->parent);
	sched_switch();
	panic("proc_exit: zombie %d ran again", p->pid);
}

long sys_exit(int status)
{
	proc_exit(W_EXITCODE(status, 0));
}

struct wait_scan {
	struct proc *parent;
	pid_t pid;                      /* > 0: that child; -1: any; 0 or < -1: a group */
	int options;
	bool have_children;
	struct proc *zombie;            /* found: a child to reap */
	pid_t changed;                  /* found: a stop or continue to report */
	int changed_status;
};

/* Is c one of the children wait4(pid) asks for?  (POSIX's pid rules.) */
static bool wait_wants(const struct wait_scan *w, const struct proc *c)
{
	if (w->pid > 0)
		return c->pid == w->pid;
	if (w->pid == -1)
		return true;
	struct pgrp *pg = w->pid == 0 ? w->parent->pgrp : NULL;
	pid_t pgid = pg != NULL ? pg->pgid : -w->pid;
	return c->pgrp != NULL && c->pgrp->pgid == pgid;
}

/* Look through the caller's children for the one(s) asked for.  (t) held. */
static void wait_scan_children(struct wait_scan *w)
{
	w->have_children = false;
	w->zombie = NULL;
	w->changed = 0;
	list_foreach(&w->parent->children, n) {
		struct proc *c = list_entry(n, struct proc, sibling);
		if (!wait_wants(w, c))
			continue;
		w->have_children = true;
		if (c->state == P_ZOMBIE) {
			w->zombie = c;
			return;
		}
		if ((w->options & WUNTRACED) && c->jobctl_report == JOBCTL_STOPPED && c->stopped) {
			w->changed = c->pid;
			w->changed_status = W_STOPCODE(c->stop_sig);
		} else if ((w->options & WCONTINUED) && c->jobctl_report == JOBCTL_CONTINUED) {
			w->changed = c->pid;
			w->changed_status = 0xffff;     /* WIFCONTINUED */
		}
		if (w->changed != 0) {
			c->jobctl_report = 0;   /* reported once */
			return;
		}
	}
}

int kern_wait4(pid_t pid, int *status, int options)
{
	struct wait_scan w = { .parent = curproc(), .pid = pid, .options = options };
	int err = 0;

	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED))
		return -EINVAL;
	spinlock_acquire(&proc_table_lock);
	for (;;) {
		wait_scan_children(&w);
		if (w.zombie || w.changed || !w.have_children || (options & WNOHANG))
			break;
		err = sleep_on(w.parent, &proc_table_lock, true);
		if (err)
			break;
	}
	spinlock_release(&proc_table_lock);
	if (err)
		return err;
	if (w.changed != 0) {           /* stopped or continued: not reaped */
		*status = w.changed_status;
		return w.changed;
	}
	if (w.zombie == NULL)
		return w.have_children ? 0 : -ECHILD;

	pid_t child = w.zombie->pid;
	*status = w.zombie->exit_status;
	proc_free(w.zombie);
	return child;
}

long sys_wait4(pid_t pid, int *ustatus, int options, void *rusage)
{
	int status = 0;
	(void)rusage;                   /* not filled in; accepted for compatibility */
	int r = kern_wait4(pid, &status, options);
	if (r > 0 && ustatus && copyout(&status, ustatus, sizeof(status)) != 0)
		return -EFAULT;
	return r;
}

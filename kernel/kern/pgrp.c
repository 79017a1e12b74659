/*
 * pgrp.c - process groups and sessions: setpgid, setsid and friends,
 * signals to a whole group, and POSIX's orphaned groups.
 *
 * The model is FreeBSD's (kern_proc.c): a process points to its group,
 * a group to its session, and a session to its controlling terminal.
 * A shell puts each pipeline in a group of its own so that the terminal
 * can signal the job in front (Ctrl-C, Ctrl-Z) and stop the ones behind
 * that try to read (kern/tty.c).
 *
 * Invariants (all under proc_table_lock):
 *   - every process but a kernel thread made before init is in one
 *     group; a group's members are all in its session;
 *   - a group is freed when its last member is reaped (a zombie stays a
 *     member: "true | cat" must still find true's group for cat), a
 *     session when its last group is;
 *   - a session leader (sid == pid) never changes group, and no group or
 *     session id is handed out again as a pid while it is in use
 *     (pgrp_pid_in_use_locked, asked by the pid allocator);
 *   - setpgid only moves a process within its session.
 *
 * Orphaned groups.  A group is orphaned when no member has a parent in
 * another group of the same session: nobody is left who could continue
 * its stopped members with job control.  When an exit orphans a group
 * that has a stopped member, every member gets SIGHUP then SIGCONT
 * (POSIX, _exit); and the stop signals of the terminal (SIGTSTP, SIGTTIN,
 * SIGTTOU) no longer stop an orphaned group's members (jobctl.c).
 * FreeBSD counts qualifying members in a field (pg_jobc); we recount by
 * walking the members, which is short and cannot drift.
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/proc.h"
#include "kern/pgrp.h"
#include "kern/signal.h"
#include "kern/tty.h"
#include "vm/kmem.h"

static struct list all_pgrps = LIST_INIT(all_pgrps);   /* (t) */

struct pgrp *pgrp_find_locked(pid_t pgid)
{
	spinlock_assert_held(&proc_table_lock);
	KASSERT(spinlock_held(&proc_table_lock), "pgrp_find_locked: lock not held");
	list_foreach(&all_pgrps, n) {
		struct pgrp *pg = list_entry(n, struct pgrp, all_link);
		if (pg->pgid == pgid)
			return pg;
	}
	return NULL;
}

bool pgrp_pid_in_use_locked(pid_t pid)
{
	spinlock_assert_held(&proc_table_lock);
	list_foreach(&all_pgrps, n) {
		struct pgrp *pg = list_entry(n, struct pgrp, all_link);
		if (pg->pgid == pid || pg->session->sid == pid)
			return true;
	}
	return false;
}

bool pgrp_is_session_leader(const struct proc *p)
{
	return p->pgrp != NULL && p->pgrp->session->sid == p->pid;
}

/* Put p in pg (which is in p's session, or p has none yet). */
static void pgrp_join_locked(struct proc *p, struct pgrp *pg)
{
	spinlock_assert_held(&proc_table_lock);
	p->pgrp = pg;
	list_push_back(&pg->members, &p->pgrp_link);
}

/* Make the new group pg (id pgid, in session s) known.  Lock held. */
static void pgrp_insert_locked(struct pgrp *pg, pid_t pgid, struct session *s)
{
	spinlock_assert_held(&proc_table_lock);
	pg->pgid = pgid;
	pg->session = s;
	list_init(&pg->members);
	list_push_back(&all_pgrps, &pg->all_link);
	s->ngroups++;
}

/* Take p out of its group; free the group (and its session) if now empty. */
void pgrp_leave_locked(struct proc *p)
{
	spinlock_assert_held(&proc_table_lock);
	struct pgrp *pg = p->pgrp;
	if (pg == NULL)
		return;
	list_remove(&p->pgrp_link);
	p->pgrp = NULL;
	if (!list_empty(&pg->members))
		return;
	struct session *s = pg->session;
	tty_pgrp_gone_locked(pg);
	list_remove(&pg->all_link);
	kfree(pg);
	if (--s->ngroups == 0) {
		tty_session_gone_locked(s);
		kfree(s);
	}
}

void pgrp_init_first(struct proc *init)
{
	struct session *s = kmalloc(sizeof(*s), KM_ZERO);
	struct pgrp *pg = kmalloc(sizeof(*pg), KM_ZERO);
	if (s == NULL || pg == NULL)
		panic("pgrp_init_first: no memory");
	spinlock_acquire(&proc_table_lock);
	s->sid = init->pid;
	pgrp_insert_locked(pg, init->pid, s);
	pgrp_join_locked(init, pg);
	spinlock_release(&proc_table_lock);
}

void pgrp_fork_locked(struct proc *child, struct proc *parent)
{
	spinlock_assert_held(&proc_table_lock);
	if (parent->pgrp != NULL)
		pgrp_join_locked(child, parent->pgrp);
}

/* ------------------------------------------------------ orphaned groups */

/*
 * Would pg be orphaned once `gone` (NULL: nobody) has exited?  A member
 * keeps the group attached when it is alive and its parent is in another
 * group of the same session.  The children of `gone` go to init.
 */
static bool pgrp_orphaned_without(struct pgrp *pg, struct proc *gone)
{
	list_foreach(&pg->members, n) {
		struct proc *m = list_entry(n, struct proc, pgrp_link);
		if (m == gone || m->state == P_ZOMBIE)
			continue;
		struct proc *parent = m->parent == gone ? initproc : m->parent;
		if (parent != NULL && parent->pgrp != NULL && parent->pgrp != pg &&
		    parent->pgrp->session == pg->session)
			return false;
	}
	return true;
}

bool pgrp_is_orphaned_locked(struct pgrp *pg)
{
	spinlock_assert_held(&proc_table_lock);
	return pg == NULL || pgrp_orphaned_without(pg, NULL);
}

static bool pgrp_has_stopped(struct pgrp *pg, struct proc *gone)
{
	list_foreach(&pg->members, n) {
		struct proc *m = list_entry(n, struct proc, pgrp_link);
		if (m != gone && m->stopped)
			return true;
	}
	return false;
}

/* If gone's exit orphans pg and pg has a stopped member: SIGHUP, SIGCONT. */
static void pgrp_check_orphaned(struct pgrp *pg, struct proc *gone)
{
	if (pg == NULL || pgrp_orphaned_without(pg, NULL) || !pgrp_orphaned_without(pg, gone))
		return;         /* already orphaned, or still attached */
	if (!pgrp_has_stopped(pg, gone))
		return;
	pgrp_signal_locked(pg, SIGHUP);
	pgrp_signal_locked(pg, SIGCONT);
}

void pgrp_exit_locked(struct proc *p)
{
	spinlock_assert_held(&proc_table_lock);
	KASSERT(spinlock_held(&proc_table_lock), "pgrp_exit_locked: lock not held");
	if (p->pgrp == NULL)
		return;
	if (pgrp_is_session_leader(p))
		tty_session_leader_exit_locked(p->pgrp->session);
	/* Our own group loses us; each child's group may lose its link
	 * through us.  A group checked twice gets its signals twice, which
	 * changes nothing: a pending signal is one bit. */
	pgrp_check_orphaned(p->pgrp, p);
	list_foreach(&p->children, n)
		pgrp_check_orphaned(list_entry(n, struct proc, sibling)->pgrp, p);
}

/* ---------------------------------------------------- signals to groups */

void pgrp_signal_locked(struct pgrp *pg, int sig)
{
	spinlock_assert_held(&proc_table_lock);
	if (pg == NULL)
		return;
	list_foreach(&pg->members, n)
		signal_send_locked(list_entry(n, struct proc, pgrp_link), sig);
}

int pgrp_signal(pid_t pgid, int sig, struct proc *sender)
{
	int found = 0, sent = 0;
	spinlock_acquire(&proc_table_lock);
	struct pgrp *pg = pgrp_find_locked(pgid);
	if (pg != NULL) {
		list_foreach(&pg->members, n) {
			struct proc *m = list_entry(n, struct proc, pgrp_link);
			if (m->state == P_ZOMBIE)
				continue;
			found++;
			if (sender != NULL && !signal_permitted(sender, m))
				continue;
			sent++;
			if (sig != 0)
				signal_send_from_locked(m, sig, sender);
		}
	}
	spinlock_release(&proc_table_lock);
	if (found == 0)
		return -ESRCH;
	return sent > 0 ? 0 : -EPERM;
}

/* --------------------------------------------------------- system calls */

/*
 * setpgid(pid, pgid): POSIX's rules, in the order Linux and FreeBSD
 * check them.  pid 0 is the caller, pgid 0 is pid.
 */
long sys_setpgid(pid_t pid, pid_t pgid)
{
	struct proc *self = curproc();
	if (pgid < 0)
		return -EINVAL;
	struct pgrp *fresh = kmalloc(sizeof(*fresh), KM_ZERO);  /* in case pgid is new */
	if (fresh == NULL)
		return -ENOMEM;
	long err = 0;
	spinlock_acquire(&proc_table_lock);
	struct proc *p = pid == 0 ? self : proc_find(pid);
	if (pgid == 0)
		pgid = p != NULL ? p->pid : 0;
	if (p == NULL || p->pgrp == NULL || (p != self && p->parent != self))
		err = -ESRCH;                   /* neither the caller nor its child */
	else if (p != self && p->pgrp->session != self->pgrp->session)
		err = -EPERM;                   /* a child in another session */
	else if (p != self && p->did_exec)
		err = -EACCES;                  /* the child has run exec */
	else if (pgrp_is_session_leader(p))
		err = -EPERM;                   /* a leader never leaves its group */
	if (err == 0) {
		struct pgrp *pg = pgrp_find_locked(pgid);
		if (pg != NULL && pg->session != p->pgrp->session)
			err = -EPERM;           /* that group is another session's */
		else if (pg == NULL && pgid != p->pid)
			err = -EPERM;           /* only p itself can start group p */
		else if (pg != p->pgrp) {
			if (pg == NULL) {
				pg = fresh;
				fresh = NULL;
				pgrp_insert_locked(pg, pgid, p->pgrp->session);
			}
			pgrp_leave_locked(p);
			pgrp_join_locked(p, pg);
		}
	}
	spinlock_release(&proc_table_lock);
	kfree(fresh);
	return err;
}

/* The group (or session) id of pid, 0 meaning the caller. */
static long pgrp_id_of(pid_t pid, bool session)
{
	long r;
	if (pid < 0)
		return -ESRCH;
	spinlock_acquire(&proc_table_lock);
	struct proc *p = pid == 0 ? curproc() : proc_find(pid);
	if (p == NULL || p->pgrp == NULL)
		r = -ESRCH;
	else
		r = session ? p->pgrp->session->sid : p->pgrp->pgid;
	spinlock_release(&proc_table_lock);
	return r;
}

long sys_getpgid(pid_t pid)
{
	return pgrp_id_of(pid, false);
}

long sys_getpgrp(void)
{
	return pgrp_id_of(0, false);
}

long sys_getsid(pid_t pid)
{
	return pgrp_id_of(pid, true);
}

/* A new session, led by the caller, with a new group of its own and no
 * controlling terminal.  EPERM if the caller already leads a group (its
 * group's members would end up in two sessions). */
long sys_setsid(void)
{
	struct proc *p = curproc();
	struct session *s = kmalloc(sizeof(*s), KM_ZERO);
	struct pgrp *pg = kmalloc(sizeof(*pg), KM_ZERO);
	long r = p->pid;
	if (s == NULL || pg == NULL) {
		kfree(s);
		kfree(pg);
		return -ENOMEM;
	}
	spinlock_acquire(&proc_table_lock);
	if (pgrp_find_locked(p->pid) != NULL) {
		r = -EPERM;
	} else {
		s->sid = p->pid;
		pgrp_insert_locked(pg, p->pid, s);
		pgrp_leave_locked(p);
		pgrp_join_locked(p, pg);
		s = NULL;
		pg = NULL;
	}
	spinlock_release(&proc_table_lock);
	kfree(s);
	kfree(pg);
	return r;
}

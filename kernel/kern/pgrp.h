/*
 * pgrp.h - process groups and sessions (pgrp.c).
 *
 * Every process is in exactly one process group, and every group is in
 * exactly one session.  A session may have one controlling terminal
 * (kern/tty.h), whose foreground group gets the terminal's signals.
 *
 *     session (sid = pid of its leader)
 *       +-- pgrp (pgid = pid of its first member) -- members: proc, proc ...
 *       +-- pgrp ...
 *
 * A group lives while it has members (zombies count until reaped, so a
 * pipeline's group outlives its first command); a session lives while
 * it has groups.  A pid stays unused while a group or session bears it.
 *
 * Locking: everything here is under proc_table_lock.
 */
#ifndef KERN_PGRP_H
#define KERN_PGRP_H

#include "kern/kernel.h"
#include "kern/list.h"
#include "uapi/types.h"

struct proc;
struct tty;

struct session {
	pid_t sid;                      /* pid of the process that made it */
	int ngroups;                    /* groups in it: freed at 0 */
	struct tty *tty;                /* controlling terminal, or NULL */
};

struct pgrp {
	pid_t pgid;
	struct session *session;
	struct list members;            /* struct proc.pgrp_link */
	struct list_node all_link;      /* on the list of every group */
};

/* Make init (pid 1) the leader of group 1 and session 1.  Boot only. */
void pgrp_init_first(struct proc *init);
/* fork: child joins parent's group.  proc_table_lock held. */
void pgrp_fork_locked(struct proc *child, struct proc *parent);
/* A reaped (or never started) process leaves its group.  Lock held. */
void pgrp_leave_locked(struct proc *p);
/*
 * p is exiting, its children not yet handed to init: hang up its
 * terminal if it leads a session that has one, and send SIGHUP then
 * SIGCONT to each group this exit orphans that has a stopped member
 * (POSIX's rule).  Lock held.
 */
void pgrp_exit_locked(struct proc *p);
/* Is pid the id of a group or session?  (pids in use stay unused.)  Lock held. */
bool pgrp_pid_in_use_locked(pid_t pid);
/* The group with this id, or NULL.  Lock held. */
struct pgrp *pgrp_find_locked(pid_t pgid);
/* Is pg orphaned (no member's parent in another group of its session)? */
bool pgrp_is_orphaned_locked(struct pgrp *pg);
/* Does p lead its session? */
bool pgrp_is_session_leader(const struct proc *p);
/*
 * kill(-pgid, sig) and kill(0, sig): send sig to every live member that
 * sender may signal.  0, -ESRCH (no such group, or no live member) or
 * -EPERM (none may be signalled).  sender NULL: no permission check (the
 * terminal sends).
 */
int pgrp_signal(pid_t pgid, int sig, struct proc *sender);
/* The same, lock held, no checks: the terminal's and the orphan rule's. */
void pgrp_signal_locked(struct pgrp *pg, int sig);

long sys_setpgid(pid_t pid, pid_t pgid);
long sys_getpgid(pid_t pid);
long sys_getpgrp(void);
long sys_setsid(void);
long sys_getsid(pid_t pid);

#endif

/*
 * rlimit.c - resource limits: the defaults, and the system calls that
 * read and change them (see uapi/resource.h for what each one bounds).
 *
 * The rules are POSIX's and Linux's: a soft limit may not exceed its hard
 * limit (EINVAL); anyone may lower a limit; raising a hard limit takes
 * the superuser (EPERM).  prlimit64 reaches another process only if the
 * caller's real and effective uids are both the target's real uid, or the
 * caller is the superuser (Linux's rule); this kernel has no threads, so
 * "another process" is the whole of it.
 *
 * The defaults:
 *   RLIMIT_NOFILE  OPEN_MAX (256) soft and hard: the descriptor table's size
 *   RLIMIT_NPROC   9/10 of maxproc, as FreeBSD's maxprocperuid: one user
 *                  cannot take every process slot even when root reserves none
 *   RLIMIT_STACK   8 MiB (the stack exec maps)
 *   the rest       RLIM_INFINITY
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/string.h"
#include "kern/proc.h"
#include "kern/rlimit.h"
#include "kern/copyio.h"
#include "kern/fdtable.h"
#include "kern/exec.h"

void rlimit_init_defaults(struct rlimit *rlim)
{
	for (int i = 0; i < RLIM_NLIMITS; i++)
		rlim[i] = (struct rlimit){ RLIM_INFINITY, RLIM_INFINITY };
	rlim[RLIMIT_NOFILE] = (struct rlimit){ OPEN_MAX, OPEN_MAX };
	rlim[RLIMIT_NPROC].rlim_cur = rlim[RLIMIT_NPROC].rlim_max = maxproc * 9 / 10;
	rlim[RLIMIT_STACK].rlim_cur = USER_STACK_SIZE;
}

rlim_t rlimit_cur(const struct proc *p, int resource)
{
	KASSERT(resource >= 0 && resource < RLIM_NLIMITS, "rlimit_cur: resource %d", resource);
	return __atomic_load_n(&p->rlim[resource].rlim_cur, __ATOMIC_RELAXED);
}

/* May `self` read and change the limits of `target`?  (Linux's prlimit rule.) */
static bool rlimit_may_access(const struct proc *self, const struct proc *target)
{
	return self == target || self->euid == 0 ||
	    (self->uid == target->uid && self->euid == target->uid);
}

/* Check a new limit for p against the rules at the top. */
static int rlimit_check(const struct proc *p, int resource, const struct rlimit *new)
{
	if (new->rlim_cur > new->rlim_max)
		return -EINVAL;
	if (new->rlim_max > p->rlim[resource].rlim_max && curproc()->euid != 0)
		return -EPERM;
	if (resource == RLIMIT_NOFILE && new->rlim_max > OPEN_MAX)
		return -EPERM;                  /* the table cannot grow past OPEN_MAX (Linux's nr_open) */
	return 0;
}

/* Read and/or set p's limit; the target is held alive by proc_table_lock. */
static int rlimit_swap(pid_t pid, int resource, const struct rlimit *new, struct rlimit *old)
{
	struct proc *self = curproc(), *p = self;
	int err = 0;
	if (resource < 0 || resource >= RLIM_NLIMITS)
		return -EINVAL;
	spinlock_acquire(&proc_table_lock);
	if (pid != 0 && pid != self->pid) {
		p = proc_find(pid);
		if (p == NULL || p->state == P_ZOMBIE)
			err = -ESRCH;
		else if (!rlimit_may_access(self, p))
			err = -EPERM;
	}
	if (err == 0 && new != NULL)
		err = rlimit_check(p, resource, new);
	if (err == 0) {
		*old = p->rlim[resource];
		if (new != NULL)
			p->rlim[resource] = *new;
	}
	spinlock_release(&proc_table_lock);
	return err;
}

long sys_prlimit64(pid_t pid, int resource, const void __user *unew, void __user *uold)
{
	struct rlimit new, old;
	if (unew != NULL && copyin(unew, &new, sizeof(new)) != 0)
		return -EFAULT;
	int err = rlimit_swap(pid, resource, unew ? &new : NULL, &old);
	if (err == 0 && uold != NULL && copyout(&old, uold, sizeof(old)) != 0)
		err = -EFAULT;
	return err;
}

long sys_getrlimit(int resource, void __user *uold)
{
	if (uold == NULL)
		return -EFAULT;
	return sys_prlimit64(0, resource, NULL, uold);
}

long sys_setrlimit(int resource, const void __user *unew)
{
	if (unew == NULL)
		return -EFAULT;
	return sys_prlimit64(0, resource, unew, NULL);
}

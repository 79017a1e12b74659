/*
 * fork.c - fork(): a new process that is a copy of the caller.
 *
 * The child gets: a copy-on-write copy of the address space (vmspace_fork
 * does the BSD shadow-object work), a new descriptor table sharing every
 * open file, the same credentials, umask and ignored signals, and a copy of
 * the caller's trap frame with rax = 0, so it returns from fork() with 0
 * while the parent gets the child's pid.
 *
 * Order (convention 3): reserve everything that can fail (a process
 * within the limits, kernel stack, address space, descriptor table), then
 * make the child runnable, which cannot fail.  The limits (proc.c):
 * RLIMIT_NPROC on the caller's real uid and the last PROC_RESERVED_ROOT
 * process slots, from both of which the superuser is exempt (EAGAIN).
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/string.h"
#include "kern/proc.h"
#include "kern/signal.h"
#include "kern/sched.h"
#include "kern/fdtable.h"
#include "kern/rlimit.h"
#include "kern/pgrp.h"
#include "arch/x86_64/trap.h"
#include "arch/x86_64/fpu.h"
#include "vm/vm_map.h"

static void fork_copy_identity(struct proc *child, const struct proc *parent)
{
	memcpy(child->name, parent->name, sizeof(child->name));
	child->uid = parent->uid;
	child->euid = parent->euid;
	child->gid = parent->gid;
	child->egid = parent->egid;
	child->umask = parent->umask;
	memcpy(child->rlim, parent->rlim, sizeof(child->rlim));
	signal_fork(child, parent);
}

long sys_fork(void)
{
	struct proc *parent = curproc(), *child;
	bool root = parent->euid == 0;
	int err = proc_alloc(parent->uid, root ? RLIM_INFINITY : rlimit_cur(parent, RLIMIT_NPROC),
	    root, &child);
	if (err)
		return err;

	child->vmspace = vmspace_fork(parent->vmspace);
	if (child->vmspace == NULL)
		goto fail_free_proc;
	child->fdtable = fdtable_fork(parent->fdtable);
	if (child->fdtable == NULL)
		goto fail_free_vmspace;

	fork_copy_identity(child, parent);
	*child->tf = *parent->tf;
	fpu_save(child->fpu);                   /* the parent's live FPU state */
	child->tf->rax = 0;                     /* fork() returns 0 in the child */

	spinlock_acquire(&proc_table_lock);
	proc_set_parent_locked(child, parent);
	pgrp_fork_locked(child, parent);        /* same group and session */
	pid_t pid = child->pid;
	sched_make_runnable(child);
	spinlock_release(&proc_table_lock);
	return pid;

fail_free_vmspace:
	vmspace_free(child->vmspace);
fail_free_proc:
	proc_free(child);
	return -ENOMEM;
}

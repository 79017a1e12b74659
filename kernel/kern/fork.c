/*
 * fork.c - fork(): a new process that is a copy of the caller.
 *
 * The child gets: a copy-on-write copy of the address space (vmspace_fork
 * does the BSD shadow-object work), a new descriptor table sharing every
 * open file, the same credentials, umask and ignored signals, and a copy of
 * the caller's trap frame with rax = 0, so it returns from fork() with 0
 * while the parent gets the child's pid.
 *
 * Order (convention 3): reserve everything that can fail (slot, kernel
 * stack, address space, descriptor table), then make the child runnable,
 * which cannot fail.
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/string.h"
#include "kern/proc.h"
#include "kern/sched.h"
#include "kern/fdtable.h"
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
	child->sig_ignored = parent->sig_ignored;
	child->sig_blocked = parent->sig_blocked;
}

long sys_fork(void)
{
	struct proc *parent = curproc(), *child = proc_alloc();
	if (child == NULL)
		return -EAGAIN;

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
	child->parent = parent;
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

/*
 * percpu.h - the per-CPU block.
 *
 * There is one CPU today, but everything that would differ per CPU lives
 * here, reached through this_cpu().  While the CPU runs kernel code, the GS
 * base register points at the block, because the system call entry (before
 * it has a stack) must find the kernel stack through %gs.  User code runs
 * with its own GS base; `swapgs` exchanges the two at each crossing.
 * The offsets used by assembly are fixed by the static asserts in percpu.c.
 */
#ifndef ARCH_X86_64_PERCPU_H
#define ARCH_X86_64_PERCPU_H

#define PERCPU_KSTACK_TOP 8
#define PERCPU_USER_RSP   16
#define PERCPU_ONFAULT    24

#ifndef __ASSEMBLY__
#include <stdint.h>
#include <stdbool.h>

struct proc;
struct context;

struct cpu {
	struct cpu *self;               /* %gs:0 */
	uint64_t kstack_top;            /* %gs:8   stack for system calls of the running process */
	uint64_t user_rsp;              /* %gs:16  scratch: user rsp during syscall entry */
	uint64_t onfault;               /* %gs:24  where a faulting copyin/copyout resumes, or 0;
	                                   the running thread's (sched_switch keeps it per thread) */
	struct proc *proc;              /* the running process, or NULL */
	struct context *scheduler;      /* the scheduler loop's saved registers */
	bool need_resched;              /* the time slice is over */
	int id;
};

extern struct cpu cpu0;

static inline struct cpu *this_cpu(void) { return &cpu0; }
void percpu_init(void);
#endif /* __ASSEMBLY__ */

#endif

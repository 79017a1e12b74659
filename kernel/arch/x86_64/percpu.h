/*
 * percpu.h - the per-CPU block.
 *
 * Everything that differs per CPU lives in a struct cpu, one per CPU in the
 * array cpus[] (cpus[0] is the boot CPU, the BSP; the others, the APs, are
 * filled in by mp.c as they start).  While a CPU runs kernel code its GS
 * base register points at its own block, because the system call entry
 * (before it has a stack) must find the kernel stack through %gs.  User
 * code runs with its own GS base; `swapgs` exchanges the two at each
 * crossing.
 *
 * this_cpu() therefore reads the block's first word, `self`, through %gs:
 * one instruction that gives each CPU its own answer with no table lookup
 * and no APIC read.  The invariant that makes it correct: from
 * percpu_init() on (the second thing kmain does) every CPU in kernel mode
 * has GS base = &cpus[its index], and self points at the block itself.
 * The offsets used by assembly are fixed by the static asserts in percpu.c.
 */
#ifndef ARCH_X86_64_PERCPU_H
#define ARCH_X86_64_PERCPU_H

#define PERCPU_SELF       0
#define PERCPU_KSTACK_TOP 8
#define PERCPU_USER_RSP   16
#define PERCPU_ONFAULT    24
#define PERCPU_INTR_DEPTH 32
#define PERCPU_INTR_WERE_ENABLED 36
#define PERCPU_PROC       40

/* The most CPUs the kernel will start; the MADT may list more (mp.c says so). */
#define MAXCPU 16

#ifndef __ASSEMBLY__
#include <stdint.h>
#include <stdbool.h>
#include "kern/witness.h"
#include "uapi/vmos.h"

struct proc;
struct context;
struct pmap;

/* Spinlocks one CPU may hold at once, as the lock-order checker counts them. */
#define WITNESS_CPU_HELD 16

struct cpu {
	struct cpu *self;               /* %gs:0 */
	uint64_t kstack_top;            /* %gs:8   stack for system calls of the running process */
	uint64_t user_rsp;              /* %gs:16  scratch: user rsp during syscall entry */
	uint64_t onfault;               /* %gs:24  where a faulting copyin/copyout resumes, or 0;
	                                   the running thread's (sched_switch keeps it per thread) */
	int intr_depth;                 /* %gs:32  intr_push nesting (spinlock.c); interrupts
	                                   are off whenever it is above 0 */
	int intr_were_enabled;          /* %gs:36  interrupts were on at the outermost push */
	struct proc *proc;              /* %gs:40  the running process, or NULL */
	struct context *scheduler;      /* the scheduler loop's saved registers */
	bool need_resched;              /* the time slice is over */
	bool idle;                      /* halted in sched_run, nothing to run */
	int id;                         /* index in cpus[]: 0 is the boot CPU */
	uint32_t apic_id;               /* its local APIC's id, as the MADT lists it */
	uint32_t apic_id_seen;          /* the id an AP read from its own local APIC (mp.c) */
	int started;                    /* an AP sets it to 1 once it runs C (mp.c) */
	struct pmap *pmap;              /* the user page tables loaded here (CR3), or NULL
	                                   for the kernel's; changed only by this CPU, with
	                                   interrupts off (pmap.c: pmap_activate) */
	unsigned timer_left;            /* timer interrupts until the next tick (clock.c) */
	unsigned timer_hz;              /* the rate this CPU's timer runs at */
	bool tlb_batching;              /* inside pmap_batch_begin/end */
	uint32_t tlb_batch;             /* ... the CPUs whose TLBs it must flush (cpuset_t) */
	uint64_t ticks;                 /* ticks this CPU has taken */
	uint64_t idle_ticks;            /* ... of which it was idle (halted in sched_run) */
	/* The lock-order checker's list of the spinlocks this CPU holds
	 * (witness.c; debug builds only: empty otherwise). */
	int witness_nheld;
	struct witness_held witness_held[WITNESS_CPU_HELD];
	/* This CPU's part of every kernel counter (kern/counters.h): an event
	 * counted here stays in this CPU's cache; kcounters sums the parts. */
	struct kcounters counters;
} __attribute__((aligned(64)));  /* a block per cache line run: no CPU writes
                                    into a line another CPU's hot fields use */

extern struct cpu cpus[MAXCPU];

static inline struct cpu *this_cpu(void)
{
	struct cpu *c;
	/* volatile: a future preemptible kernel may move a thread between
	 * CPUs, so the compiler must not reuse an earlier answer. */
	__asm__ volatile("movq %%gs:0, %0" : "=r"(c));
	return c;
}

/* Point this CPU's GS base at cpus[0] (the boot CPU). */
void percpu_init(void);
/* The same for an AP's block c, on that AP (mp.c). */
void percpu_init_ap(struct cpu *c);
#endif /* __ASSEMBLY__ */

#endif

/*
 * tlb.h - keeping every CPU's TLB true: local invalidation and shootdown.
 *
 * A CPU caches page-table entries in its TLB, and no other CPU can reach
 * into that cache.  So when a mapping that another CPU may have cached
 * changes, that CPU must be asked to forget it, and the change is not
 * done until it has: the page behind the old entry may be freed, or
 * written to swap, the moment the caller returns.  Asking is a TLB
 * shootdown: an inter-processor interrupt (IPI) to each such CPU, and a
 * wait until each has invalidated.  See tlb.c for how, and why it cannot
 * deadlock.
 *
 * Which CPUs.  User mappings can be cached only by a CPU with that pmap
 * loaded in CR3: each pmap keeps the set (pmap.c: pmap_activate).  Kernel
 * mappings (the arena of kernel stacks and big heap blocks, vm/kva.h) are
 * global: every CPU may have them.
 */
#ifndef ARCH_X86_64_TLB_H
#define ARCH_X86_64_TLB_H

#include <stdint.h>
#include <stdbool.h>

struct pmap;

/* What a shootdown asks. */
enum tlb_op {
	TLB_RANGE,      /* forget [sva, eva) of pmap (NULL: kernel mappings) */
	TLB_DROP,       /* pmap is being destroyed: load the kernel's tables if it is loaded */
	TLB_FLUSH_USER, /* forget every user entry (a batch of changes: pmap_batch_end) */
};

/* A set of CPUs, one bit per index in cpus[] (MAXCPU <= 32). */
typedef uint32_t cpuset_t;
#define CPUSET_BIT(id) ((cpuset_t)1 << (id))

/* Invalidate [sva, eva) on this CPU: user pages if user, else kernel (global) ones. */
void tlb_invalidate_local(uint64_t sva, uint64_t eva, bool user);
/* Ask every CPU in `targets` (never this one) to carry out op, and wait
 * until all have.  Any context; interrupts may be off and spinlocks held. */
void tlb_shootdown(cpuset_t targets, enum tlb_op op, struct pmap *pmap, uint64_t sva,
    uint64_t eva);
/* The CPUs that take part in shootdowns: those running the scheduler. */
cpuset_t tlb_online_cpus(void);
/* This CPU joins them (sched_run's start): it flushes its whole TLB first. */
void tlb_cpu_online(void);
/* Carry out a request waiting for this CPU, if any.  Called by the IPI's
 * handler, and by every loop that waits with interrupts off (spin_wait). */
void tlb_poll(void);
/* Around a spin loop that calls tlb_poll (interrupts off): while inside,
 * initiators need send this CPU no IPI. */
void tlb_polling_begin(void);
void tlb_polling_end(void);
/* The IPI's handler; installed by mp.c. */
void tlb_init(void);

#endif

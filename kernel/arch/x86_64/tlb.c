/*
 * tlb.c - TLB shootdown (see tlb.h for when one is needed).
 *
 * One request at a time.  The initiator takes shootdown_lock, writes the
 * request (op, pmap, range), sets the targets' bits in `pending`, sends
 * each an IPI on T_IPI_TLB and spins until `acks` comes down to zero.  A
 * target runs the request (tlb_poll), clears its bit and decrements acks.
 * Only then may the initiator go on -- free the page, write it to swap
 * -- and only then may the next request overwrite this one.  Batching is
 * the callers': pmap_apply sends one request for a whole range, not one
 * per page (above PMAP_INVLPG_MAX pages the target reloads CR3 instead
 * of invalidating page by page).
 *
 * Why it cannot deadlock.  The initiator usually holds spinlocks
 * (pmap_lock, an object's lock), so interrupts are off on its CPU, and a
 * target may be spinning, interrupts off too, for one of those very
 * locks: neither would ever take the other's IPI.  So no CPU ever waits
 * with interrupts off without also looking for a request of its own:
 * spinlock_acquire's spin loop, this file's own waits and the
 * lock-order checker's all call spin_wait(), which calls tlb_poll().  A
 * CPU waiting for shootdown_lock thus answers the request of the CPU
 * holding it; two CPUs shooting at each other serialise on the lock.
 * Invalidating is always safe, wherever the CPU happens to be -- it only
 * makes the TLB re-read the tables -- so answering from inside a spin
 * loop is sound.  The remaining waits with interrupts off are bounded
 * (the serial port, a device register) or are the idle halt, which
 * takes interrupts.
 *
 * Ordering.  A caller changes the page tables, then reads the set of CPUs
 * that have the pmap loaded (pmap.c), with a full fence in between; a
 * CPU that loads the pmap sets its bit (a locked instruction, itself a
 * fence) before it loads CR3.  So a CPU missing from the set the caller
 * read loads CR3 after the change, and its TLB can only hold the new
 * entries.  acks is decremented with release order after the target's
 * invalidation and read with acquire order by the initiator.
 *
 * Before a CPU runs the scheduler it is not online here: it sits with
 * interrupts off (mp.c) and would never answer.  Its TLB cannot hold a
 * stale kernel entry when it joins, because tlb_cpu_online() flushes it
 * all, global entries included.
 */
#include "kern/kernel.h"
#include "kern/spinlock.h"
#include "kern/counters.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/pmap.h"
#include "arch/x86_64/tlb.h"
#include "arch/x86_64/trap.h"
#include "arch/x86_64/vmparam.h"

#define TLB_INVLPG_MAX 32       /* more pages than this: flush everything instead */

static struct spinlock shootdown_lock = SPINLOCK_INIT("tlb_shootdown");
static struct {                 /* the request: written under shootdown_lock */
	enum tlb_op op;
	struct pmap *pmap;
	uint64_t sva, eva;
} req;
static cpuset_t pending;        /* (a) CPUs that have not yet run req */
static int acks;                /* (a) how many of them */
static cpuset_t online;         /* (a) CPUs that answer (tlb_cpu_online) */
static cpuset_t polling;        /* (a) CPUs in a spin loop, looking at `pending` */

/* Flush the whole TLB, global (kernel) entries too: toggling CR4.PGE does. */
static void flush_all_global(void)
{
	uint64_t cr4 = read_cr4();
	write_cr4(cr4 & ~CR4_PGE);
	write_cr4(cr4);
}

void tlb_invalidate_local(uint64_t sva, uint64_t eva, bool user)
{
	if (sva >= eva)
		return;
	if ((eva - sva) >> PAGE_SHIFT > TLB_INVLPG_MAX) {
		if (user)
			write_cr3(read_cr3());  /* user entries are not global */
		else
			flush_all_global();
		return;
	}
	for (uint64_t va = sva; va < eva; va += PAGE_SIZE)
		invlpg(va);
}

void tlb_poll(void)
{
	struct cpu *c = this_cpu();
	cpuset_t me = CPUSET_BIT(c->id);
	if (!(__atomic_load_n(&pending, __ATOMIC_ACQUIRE) & me))
		return;
	if (req.op == TLB_DROP)
		pmap_tlb_drop(req.pmap);
	else if (req.op == TLB_FLUSH_USER)
		write_cr3(read_cr3());          /* user entries are not global */
	else if (req.pmap == NULL)
		tlb_invalidate_local(req.sva, req.eva, false);
	else if (c->pmap == req.pmap)   /* switched away since: CR3's load flushed it */
		tlb_invalidate_local(req.sva, req.eva, true);
	__atomic_fetch_and(&pending, ~me, __ATOMIC_RELAXED);
	__atomic_sub_fetch(&acks, 1, __ATOMIC_RELEASE);
}

/* The number of CPUs in set (no libgcc in the kernel for __builtin_popcount). */
static int cpuset_count(cpuset_t set)
{
	int n = 0;
	for (; set != 0; set &= set - 1)
		n++;
	return n;
}

static void tlb_ipi(struct trapframe *tf __unused)
{
	tlb_poll();
}

void tlb_shootdown(cpuset_t targets, enum tlb_op op, struct pmap *pmap, uint64_t sva,
    uint64_t eva)
{
	intr_push();                            /* stay on this CPU while we look */
	targets &= __atomic_load_n(&online, __ATOMIC_ACQUIRE) & ~CPUSET_BIT(this_cpu()->id);
	if (targets == 0) {
		intr_pop();
		return;
	}
	spinlock_acquire(&shootdown_lock);
	req.op = op;
	req.pmap = pmap;
	req.sva = sva;
	req.eva = eva;
	__atomic_store_n(&acks, cpuset_count(targets), __ATOMIC_RELAXED);
	__atomic_fetch_or(&pending, targets, __ATOMIC_SEQ_CST);
	/* A CPU spinning for a lock will see the request without an IPI
	 * (see tlb_polling_end for why none is missed). */
	cpuset_t ipi = targets & ~__atomic_load_n(&polling, __ATOMIC_SEQ_CST);
	for (int id = 0; id < MAXCPU; id++)
		if (ipi & CPUSET_BIT(id))
			lapic_send_ipi(cpus[id].apic_id, T_IPI_TLB);
	while (__atomic_load_n(&acks, __ATOMIC_ACQUIRE) != 0)
		cpu_pause();                    /* our own bit cannot be set: we hold the lock */
	COUNTER_ADD(tlb_shootdowns, cpuset_count(targets));
	spinlock_release(&shootdown_lock);
	intr_pop();
}

/*
 * A CPU about to spin (interrupts off) says so, and polls in its loop; the
 * initiator sends no IPI to it -- under an emulator an IPI costs far more
 * than the flush (device emulation under QEMU's global lock, a signal to
 * the target's thread), and the pageout daemon sends one per page while
 * the process whose page it takes spins for the object's lock.  No
 * request is missed: the spinner clears its bit and then polls once more,
 * while the initiator sets `pending` and then reads `polling`, each with
 * a full fence between; so either the last poll sees the request, or the
 * initiator sees the bit clear and sends the IPI.
 */
void tlb_polling_begin(void)
{
	__atomic_fetch_or(&polling, CPUSET_BIT(this_cpu()->id), __ATOMIC_SEQ_CST);
}

void tlb_polling_end(void)
{
	__atomic_fetch_and(&polling, ~CPUSET_BIT(this_cpu()->id), __ATOMIC_SEQ_CST);
	tlb_poll();
}

cpuset_t tlb_online_cpus(void)
{
	return __atomic_load_n(&online, __ATOMIC_ACQUIRE);
}

void tlb_cpu_online(void)
{
	intr_push();
	flush_all_global();
	__atomic_fetch_or(&online, CPUSET_BIT(this_cpu()->id), __ATOMIC_SEQ_CST);
	intr_pop();
}

void tlb_init(void)
{
	trap_set_irq_handler(T_IPI_TLB, tlb_ipi);
}

/*
 * spinlock.c - interrupt-disabling spinlocks.  See spinlock.h for the rules.
 */
#include "kern/kernel.h"
#include "kern/spinlock.h"
#include "kern/ksyms.h"
#include "kern/clock.h"
#include "kern/lockstat.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/tlb.h"
#include "arch/x86_64/vmparam.h"

/*
 * The interrupt-disable nesting is the CPU's (struct cpu: intr_depth,
 * intr_were_enabled): cli and sti act on this CPU alone, so two CPUs each
 * in a critical section must not share one count.  They are reached as
 * %gs:OFFSET, one instruction each, as the system call entry reaches the
 * kernel stack: these run for every spinlock, and going through
 * this_cpu()'s pointer first cost passfd_local 1 % (ICOUNT=1).
 */
static inline int depth_get(void)
{
	int d;
	__asm__ volatile("movl %%gs:%c1, %0" : "=r"(d) : "i"(PERCPU_INTR_DEPTH));
	return d;
}

static inline void depth_set(int d)
{
	__asm__ volatile("movl %0, %%gs:%c1" : : "r"(d), "i"(PERCPU_INTR_DEPTH) : "memory");
}

static inline int were_enabled_get(void)
{
	int e;
	__asm__ volatile("movl %%gs:%c1, %0" : "=r"(e) : "i"(PERCPU_INTR_WERE_ENABLED));
	return e;
}

static inline void were_enabled_set(int e)
{
	__asm__ volatile("movl %0, %%gs:%c1" : : "r"(e), "i"(PERCPU_INTR_WERE_ENABLED) : "memory");
}

/*
 * Interrupts are off whenever the depth is above zero.  So only the
 * outermost push has a flag worth reading, and an interrupt between its
 * look at the depth and its cli leaves the depth as it found it (the
 * handler's pushes and pops balance).  These two run for every spinlock;
 * reading RFLAGS on every nested push, and checking it on every pop, was
 * a tenth of the instructions of a sendmsg.  Debug builds still check.
 */
void intr_push(void)
{
	int d = depth_get();
	if (d == 0) {
		bool on = intr_enabled();
		intr_disable();
		/* Until the cli this thread could have been moved to another
		 * CPU (by a preemptible kernel, between the look at the depth
		 * and here); from here on it cannot, and %gs is this CPU's. */
		were_enabled_set(on);
	}
	depth_set(d + 1);
}

void intr_pop(void)
{
#ifdef KERNEL_DEBUG
	KASSERT(!intr_enabled(), "intr_pop: interrupts are enabled");
#endif
	int d = depth_get();
	KASSERT(d > 0, "intr_pop: unbalanced");
	depth_set(--d);
	if (d == 0 && were_enabled_get()) {
		intr_enable();
		/* A timer interrupt held off by the critical section is taken
		 * one instruction after the sti.  The nop keeps that inside
		 * intr_pop, where the profiler can tell whose critical section
		 * the sample waited for (tools/profile: STI_POINTS); without
		 * it the sample lands in the caller after the call, as if the
		 * time were spent there. */
		__asm__ volatile("nop");
	}
}

bool intr_pushed(void)
{
	return depth_get() > 0;
}

/*
 * The scheduler switches threads with proc_table_lock held.  The nesting
 * state belongs to the thread, not the CPU, across that switch: the thread
 * that resumes must get back its own "were interrupts on" answer.
 */
struct intr_state intr_state_save(void)
{
	struct cpu *c = this_cpu();
	struct intr_state s = { c->intr_depth, c->intr_were_enabled };
	return s;
}

void intr_state_restore(struct intr_state s)
{
	struct cpu *c = this_cpu();
	c->intr_depth = s.depth;
	c->intr_were_enabled = s.were_enabled;
}

void spin_wait(void)
{
	cpu_pause();
	tlb_poll();
}

/*
 * The lock is taken: wait for it.  A wait this long is no wait any more
 * but a deadlock -- this CPU taking a lock it already holds (without the
 * checker, which would have said so), or two CPUs each waiting for the
 * other's lock -- so after SPIN_LIMIT_S seconds say which lock and who
 * took it, instead of hanging without a word.  Far above any real hold
 * time, even with the host's scheduler stalling the holder's CPU thread.
 */
#define SPIN_LIMIT_S 20

static void __attribute__((noinline)) spin_contended(struct spinlock *lk)
{
	uint64_t start = rdtsc(), limit = clock_tsc_hz() * SPIN_LIMIT_S;
	tlb_polling_begin();
	for (unsigned n = 1; __atomic_exchange_n(&lk->locked, 1, __ATOMIC_ACQUIRE) != 0; n++) {
		spin_wait();
		if ((n & 0xfffff) == 0 && limit != 0 && rdtsc() - start > limit) {
			/* A freed lock (poisoned: 0xdede...) looks held for ever:
			 * name it only if its name can be a kernel string. */
			const char *name = (uint64_t)lk->name >= KERNEL_BASE ? lk->name : "?";
			panic("spinlock_acquire: lock %p (%s) still held after %d s (taken at %p): "
			    "deadlock, or a freed lock", lk, name, SPIN_LIMIT_S, lk->owner_pc);
		}
	}
	tlb_polling_end();
	/* How long we waited, for klockstat (lockstat.c); names are literals
	 * in the kernel image, anything else is not a name to keep. */
	lockstat_contended((uint64_t)lk->name >= KERNEL_BASE ? lk->name : "?", rdtsc() - start);
}

void spinlock_init_flags(struct spinlock *lk, const char *name, unsigned flags)
{
	lk->locked = 0;
	lk->name = name;
	lk->owner_pc = NULL;
	lk->wclass = 0;
	lk->wflags = (uint8_t)(WITNESS_SPIN | flags);
}

void spinlock_init(struct spinlock *lk, const char *name)
{
	spinlock_init_flags(lk, name, 0);
}

/*
 * The checker's hooks (witness.h) are never the last call of these
 * functions: a last call compiles to a jump, leaving no frame, and the
 * checker finds the lock's taker by walking the frames.
 */

void spinlock_acquire(struct spinlock *lk)
{
	intr_push();
	/* Debug builds: the order against the locks already held, and a
	 * recursive acquire, reported with both places. */
	witness_checkorder(lk, lk->name, &lk->wclass, lk->wflags);
	if (__atomic_exchange_n(&lk->locked, 1, __ATOMIC_ACQUIRE) != 0)
		spin_contended(lk);
	witness_lock(lk, lk->name, &lk->wclass, lk->wflags);
	lk->owner_pc = __builtin_return_address(0);
}

bool spinlock_try_acquire(struct spinlock *lk)
{
	intr_push();
	if (__atomic_exchange_n(&lk->locked, 1, __ATOMIC_ACQUIRE) != 0) {
		intr_pop();
		return false;
	}
	witness_lock(lk, lk->name, &lk->wclass, lk->wflags);
	lk->owner_pc = __builtin_return_address(0);
	return true;
}

void spinlock_release(struct spinlock *lk)
{
	KASSERT(lk->locked, "spinlock_release: %s not held", lk->name);
	witness_unlock(lk, lk->name, lk->wflags);
	lk->owner_pc = NULL;
	__atomic_store_n(&lk->locked, 0, __ATOMIC_RELEASE);
	intr_pop();
}

bool spinlock_held(struct spinlock *lk)
{
	return lk->locked != 0;
}

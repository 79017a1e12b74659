/*
 * spinlock.c - interrupt-disabling spinlocks.  See spinlock.h for the rules.
 */
#include "kern/kernel.h"
#include "kern/spinlock.h"
#include "kern/ksyms.h"
#include "arch/x86_64/cpu.h"

/* Per-CPU interrupt-disable nesting (one CPU for now). */
static int intr_depth;
static bool intr_were_enabled;

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
	if (intr_depth == 0) {
		bool on = intr_enabled();
		intr_disable();
		intr_were_enabled = on;
	}
	intr_depth++;
}

void intr_pop(void)
{
#ifdef KERNEL_DEBUG
	KASSERT(!intr_enabled(), "intr_pop: interrupts are enabled");
#endif
	KASSERT(intr_depth > 0, "intr_pop: unbalanced");
	if (--intr_depth == 0 && intr_were_enabled) {
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
	return intr_depth > 0;
}

/*
 * The scheduler switches threads with proc_table_lock held.  The nesting
 * state belongs to the thread, not the CPU, across that switch: the thread
 * that resumes must get back its own "were interrupts on" answer.
 */
struct intr_state intr_state_save(void)
{
	struct intr_state s = { intr_depth, intr_were_enabled };
	return s;
}

void intr_state_restore(struct intr_state s)
{
	intr_depth = s.depth;
	intr_were_enabled = s.were_enabled;
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
	/* With one CPU and interrupts off, finding the lock taken means this CPU
	 * already holds it: a deadlock, so say so instead of spinning forever. */
	KASSERT(!lk->locked, "spinlock_acquire: %s already held (taken at %p)",
	    lk->name, lk->owner_pc);
	while (__atomic_exchange_n(&lk->locked, 1, __ATOMIC_ACQUIRE) != 0)
		cpu_pause();
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

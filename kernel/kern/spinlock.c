/*
 * spinlock.c - interrupt-disabling spinlocks.  See spinlock.h for the rules.
 */
#include "kern/kernel.h"
#include "kern/spinlock.h"
#include "arch/x86_64/cpu.h"

/* Per-CPU interrupt-disable nesting (one CPU for now). */
static int intr_depth;
static bool intr_were_enabled;

void intr_push(void)
{
	bool on = intr_enabled();
	intr_disable();
	if (intr_depth++ == 0)
		intr_were_enabled = on;
}

void intr_pop(void)
{
	KASSERT(!intr_enabled(), "intr_pop: interrupts are enabled");
	KASSERT(intr_depth > 0, "intr_pop: unbalanced");
	if (--intr_depth == 0 && intr_were_enabled)
		intr_enable();
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

void spinlock_init(struct spinlock *lk, const char *name)
{
	lk->locked = 0;
	lk->name = name;
	lk->owner_pc = NULL;
}

void spinlock_acquire(struct spinlock *lk)
{
	intr_push();
	/* With one CPU and interrupts off, finding the lock taken means this CPU
	 * already holds it: a deadlock, so say so instead of spinning forever. */
	KASSERT(!lk->locked, "spinlock_acquire: %s already held (taken at %p)",
	    lk->name, lk->owner_pc);
	while (__atomic_exchange_n(&lk->locked, 1, __ATOMIC_ACQUIRE) != 0)
		cpu_pause();
	lk->owner_pc = __builtin_return_address(0);
}

void spinlock_release(struct spinlock *lk)
{
	KASSERT(lk->locked, "spinlock_release: %s not held", lk->name);
	lk->owner_pc = NULL;
	__atomic_store_n(&lk->locked, 0, __ATOMIC_RELEASE);
	intr_pop();
}

bool spinlock_held(struct spinlock *lk)
{
	return lk->locked != 0;
}

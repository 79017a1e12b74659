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

#ifdef KERNEL_DEBUG
/*
 * The spinlocks this CPU holds, in the order taken (one CPU for now).  A
 * thread switches away holding exactly proc_table_lock, which the next
 * thread releases, so the set belongs to the CPU, not to a thread.
 */
#define HELD_MAX 16
static const struct spinlock *held[HELD_MAX];
static int nheld;

static void held_push(const struct spinlock *lk)
{
	KASSERT(nheld < HELD_MAX, "spinlock_acquire: %s: more than %d spinlocks held", lk->name,
	    HELD_MAX);
	held[nheld++] = lk;
}

static void held_remove(const struct spinlock *lk)
{
	for (int i = nheld - 1; i >= 0; i--) {
		if (held[i] == lk) {
			for (int j = i; j < nheld - 1; j++)
				held[j] = held[j + 1];
			nheld--;
			return;
		}
	}
}

void spinlock_assert_none_but(const struct spinlock *allowed, const struct spinlock *allowed2,
    const void *where)
{
	for (int i = 0; i < nheld; i++) {
		if (held[i] == allowed || held[i] == allowed2)
			continue;
		uint64_t off1 = 0, off2 = 0;
		const char *at = ksyms_lookup((uint64_t)where, &off1);
		const char *taken = ksyms_lookup((uint64_t)held[i]->owner_pc, &off2);
		panic("sleeping at %s+%#lx with spinlock %s held, taken at %s+%#lx",
		    at ? at : "?", off1, held[i]->name, taken ? taken : "?", off2);
	}
}
#else
static void held_push(const struct spinlock *lk __attribute__((unused))) {}
static void held_remove(const struct spinlock *lk __attribute__((unused))) {}
void spinlock_assert_none_but(const struct spinlock *allowed __attribute__((unused)),
    const struct spinlock *allowed2 __attribute__((unused)),
    const void *where __attribute__((unused))) {}
#endif

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
	held_push(lk);
}

bool spinlock_try_acquire(struct spinlock *lk)
{
	intr_push();
	if (__atomic_exchange_n(&lk->locked, 1, __ATOMIC_ACQUIRE) != 0) {
		intr_pop();
		return false;
	}
	lk->owner_pc = __builtin_return_address(0);
	held_push(lk);
	return true;
}

void spinlock_release(struct spinlock *lk)
{
	KASSERT(lk->locked, "spinlock_release: %s not held", lk->name);
	held_remove(lk);
	lk->owner_pc = NULL;
	__atomic_store_n(&lk->locked, 0, __ATOMIC_RELEASE);
	intr_pop();
}

bool spinlock_held(struct spinlock *lk)
{
	return lk->locked != 0;
}

/*
 * spinlock.h - spinlocks that disable interrupts.
 *
 * Rules (the same as xv6 and FreeBSD's spin mutexes):
 *   - Hold a spinlock only for a short, bounded time; never sleep with one.
 *   - Taking a spinlock disables interrupts on this CPU, so an interrupt
 *     handler that takes the same lock cannot deadlock against us.  The
 *     disables nest (intr_push/intr_pop); interrupts come back on when the
 *     outermost lock is released, and only if they were on before.
 *   - The lock word is an atomic exchange, so two CPUs cannot both take
 *     it.  A CPU waiting for a lock spins with interrupts off, and in each
 *     turn of the loop answers any TLB shootdown it owes (spin_wait;
 *     arch/x86_64/tlb.c says why it must).  A wait of 20 s is taken for a
 *     deadlock and panics, naming the lock and who took it.
 *
 * Debug builds (KERNEL_DEBUG) hand every acquire and release to the
 * lock-order checker (witness.h), which remembers which spinlocks this CPU
 * holds and where each was taken: a lock order reversal, a recursive
 * acquire, a release by a CPU that does not hold the lock, or a sleep with
 * one held -- a deadlock waiting to happen, or a lock held for the length
 * of a disk read -- panics at once naming the places.
 */
#ifndef KERN_SPINLOCK_H
#define KERN_SPINLOCK_H

#include <stdbool.h>
#include <stdint.h>
#include "kern/witness.h"

struct spinlock {
	volatile int locked;
	uint16_t wclass;        /* the checker's class number, 0 until first taken */
	uint8_t wflags;         /* WITNESS_SPIN and maybe WITNESS_DUPOK/NONE (witness.h);
	                           these two fill padding: NDEBUG's lock is no bigger */
	const char *name;       /* for diagnostics, and the checker's class */
	void *owner_pc;         /* return address of the acquirer, for deadlock reports */
};

#define SPINLOCK_INIT(n) { 0, 0, WITNESS_SPIN, (n), 0 }
/* A spinlock whose class may be held twice at once (see witness.h). */
#define SPINLOCK_INIT_FLAGS(n, f) { 0, 0, WITNESS_SPIN | (f), (n), 0 }

void spinlock_init(struct spinlock *lk, const char *name);
/* spinlock_init with checker flags: WITNESS_DUPOK or WITNESS_NONE. */
void spinlock_init_flags(struct spinlock *lk, const char *name, unsigned flags);
void spinlock_acquire(struct spinlock *lk);
void spinlock_release(struct spinlock *lk);
/* Take lk if it is free: true if taken.  (Used against the lock order.) */
bool spinlock_try_acquire(struct spinlock *lk);
/* Locked by someone (this CPU, or another): for KASSERTs that work without the checker. */
bool spinlock_held(struct spinlock *lk);
/* Debug builds: panic unless this CPU holds lk.  Free otherwise. */
static inline void spinlock_assert_held(const struct spinlock *lk)
{
	witness_assert_held(lk, lk->name, lk->wflags);
}

/*
 * Panic unless the only spinlock this CPU holds is `allowed` (NULL: none):
 * called where the caller is about to sleep, with where as the sleeping
 * code's address.  Free in non-debug builds.
 */
static inline void spinlock_assert_none_but(const struct spinlock *allowed, const void *where)
{
	witness_assert_sleepable(allowed, where);
}

/*
 * One turn of a loop that waits with interrupts off (a spinlock's, the
 * checker's): a pause, and an answer to a TLB shootdown this CPU owes
 * (arch/x86_64/tlb.c says why a waiting CPU must answer).
 */
void spin_wait(void);

/* Nesting interrupt disable, used by spinlocks and by code that must not be interrupted. */
void intr_push(void);
void intr_pop(void);
/* Is this CPU inside intr_push (a spinlock held, or interrupts pushed off)? */
bool intr_pushed(void);

/* Saved and restored around a context switch (sched.c). */
struct intr_state {
	int depth;
	bool were_enabled;
};
struct intr_state intr_state_save(void);
void intr_state_restore(struct intr_state s);

#endif

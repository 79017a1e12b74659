/*
 * spinlock.h - spinlocks that disable interrupts.
 *
 * Rules (the same as xv6 and FreeBSD's spin mutexes):
 *   - Hold a spinlock only for a short, bounded time; never sleep with one.
 *   - Taking a spinlock disables interrupts on this CPU, so an interrupt
 *     handler that takes the same lock cannot deadlock against us.  The
 *     disables nest (intr_push/intr_pop); interrupts come back on when the
 *     outermost lock is released, and only if they were on before.
 *   - The lock word is an atomic exchange, so the code is correct on SMP
 *     even though the kernel runs on one CPU today.
 *
 * Debug builds (KERNEL_DEBUG) also remember which spinlocks this CPU
 * holds and where each was taken, so that a sleep with one held -- a
 * deadlock waiting to happen, or a lock held for the length of a disk
 * read -- panics at once naming both places (spinlock_assert_none_but).
 */
#ifndef KERN_SPINLOCK_H
#define KERN_SPINLOCK_H

#include <stdbool.h>

struct spinlock {
	volatile int locked;
	const char *name;       /* for diagnostics */
	void *owner_pc;         /* return address of the acquirer, for deadlock reports */
};

#define SPINLOCK_INIT(n) { 0, (n), 0 }

void spinlock_init(struct spinlock *lk, const char *name);
void spinlock_acquire(struct spinlock *lk);
void spinlock_release(struct spinlock *lk);
/* Take lk if it is free: true if taken.  (Used against the lock order.) */
bool spinlock_try_acquire(struct spinlock *lk);
bool spinlock_held(struct spinlock *lk);

/*
 * Panic unless the only spinlocks this CPU holds are `allowed` (NULL:
 * none) and `allowed2`: called where the caller is about to sleep, with
 * where as the sleeping code's address.  Free in non-debug builds.
 */
void spinlock_assert_none_but(const struct spinlock *allowed, const struct spinlock *allowed2,
    const void *where);

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

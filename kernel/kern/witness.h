/*
 * witness.h - the lock-order checker (debug builds only), after FreeBSD's
 * WITNESS.  See witness.c for how it works and what it promises.
 *
 * A deadlock needs two threads taking two locks in opposite orders at the
 * same moment: rare, and gone when you look for it.  The checker does not
 * wait for the unlucky moment.  It remembers, for every pair of lock
 * *classes*, the order in which it first saw them held together, and
 * panics the first time any code takes a pair the other way round, naming
 * both places -- even though nothing deadlocked this time.
 *
 * A lock's class is its name: every lock initialised as "vm_object" is in
 * class "vm_object".  spinlock.c and mutex.c call the hooks below; the rest
 * of the kernel meets the checker only through
 *   - spinlock_assert_held() / mutex_assert_held() and the *_assert_locked()
 *     helpers built on them (backed by witness_assert_held), and
 *   - WITNESS_DUPOK, for a class whose locks may be held several at once
 *     (objects of a shadow chain, top-down).
 *
 * With NDEBUG (no KERNEL_DEBUG) every hook is an empty inline function:
 * the checker costs nothing, not even a call.
 */
#ifndef KERN_WITNESS_H
#define KERN_WITNESS_H

#include <stdbool.h>
#include <stdint.h>

/* Lock flags (struct spinlock.wflags, struct mutex.wflags). */
#define WITNESS_SPIN    0x01    /* a spinlock: held per CPU, never across a sleep */
#define WITNESS_SLEEP   0x02    /* a mutex: held per thread, may be held across a sleep */
#define WITNESS_DUPOK   0x04    /* its class may be held twice: the caller keeps an order
                                   within the class (documented where it does) */
#define WITNESS_NONE    0x08    /* not checked: a mutex's own interlock, an
                                   implementation detail of mutex.c */

/* Frames kept of where a lock was taken. */
#define WITNESS_FRAMES  4
/* Mutexes one thread may hold at once. */
#define WITNESS_THREAD_HELD 8

/* One held lock: what it is, and where it was taken. */
struct witness_held {
	const void *lock;
	const char *name;
	uint16_t cls;
	uint16_t flags;
	uintptr_t pcs[WITNESS_FRAMES];
};

/* The sleeping locks a thread holds (struct proc.witness in debug builds). */
struct witness_thread {
	int n;
	struct witness_held held[WITNESS_THREAD_HELD];
};

#ifdef KERNEL_DEBUG
/*
 * The hooks.  `cls` points at the lock's cached class number (0: not yet
 * looked up), so the name is interned once per lock, not per acquisition.
 */
void witness_checkorder(const void *lock, const char *name, uint16_t *cls, unsigned flags);
void witness_lock(const void *lock, const char *name, uint16_t *cls, unsigned flags);
void witness_unlock(const void *lock, const char *name, unsigned flags);
/* Panic unless this CPU (spinlock) or thread (mutex) holds lock. */
void witness_assert_held(const void *lock, const char *name, unsigned flags);
bool witness_held(const void *lock, unsigned flags);
/* Called where the caller is about to sleep; `allowed` is the spinlock the
 * sleep gives up (NULL: none), `where` the sleeping code's address. */
void witness_assert_sleepable(const void *allowed, const void *where);
#else
static inline void witness_checkorder(const void *lock __attribute__((unused)),
    const char *name __attribute__((unused)), uint16_t *cls __attribute__((unused)),
    unsigned flags __attribute__((unused))) {}
static inline void witness_lock(const void *lock __attribute__((unused)),
    const char *name __attribute__((unused)), uint16_t *cls __attribute__((unused)),
    unsigned flags __attribute__((unused))) {}
static inline void witness_unlock(const void *lock __attribute__((unused)),
    const char *name __attribute__((unused)), unsigned flags __attribute__((unused))) {}
static inline void witness_assert_held(const void *lock __attribute__((unused)),
    const char *name __attribute__((unused)), unsigned flags __attribute__((unused))) {}
static inline void witness_assert_sleepable(const void *allowed __attribute__((unused)),
    const void *where __attribute__((unused))) {}
#endif

#endif

/*
 * mutex.h - sleeping mutexes, for long critical sections that may block
 * (copying to user memory, waiting for the disk).  Never take one inside a
 * spinlock; taking one may sleep.
 */
#ifndef KERN_MUTEX_H
#define KERN_MUTEX_H

#include "kern/spinlock.h"

struct proc;

struct mutex {
	struct spinlock spin;   /* protects the fields below; not checked by the
	                           lock-order checker (WITNESS_NONE): the mutex is */
	bool locked;
	uint8_t wflags;         /* WITNESS_SLEEP, maybe WITNESS_DUPOK (witness.h) */
	uint16_t wclass;        /* the checker's class number, 0 until first taken */
	int waiters;            /* processes asleep in mutex_lock */
	struct proc *owner;
	const char *name;       /* for diagnostics, and the checker's class */
};

#define MUTEX_INIT(m, n) { SPINLOCK_INIT_FLAGS(n, WITNESS_NONE), false, WITNESS_SLEEP, 0, 0, \
	NULL, (n) }

void mutex_init(struct mutex *m, const char *name);
void mutex_lock(struct mutex *m);
void mutex_unlock(struct mutex *m);
bool mutex_held(struct mutex *m);       /* by the current process */
/* Debug builds: panic unless the current thread holds m.  Free otherwise. */
static inline void mutex_assert_held(const struct mutex *m)
{
	witness_assert_held(m, m->name, m->wflags);
}

#endif

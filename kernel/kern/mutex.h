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
	struct spinlock spin;   /* protects the fields below */
	bool locked;
	int waiters;            /* processes asleep in mutex_lock */
	struct proc *owner;
	const char *name;
};

#define MUTEX_INIT(m, n) { SPINLOCK_INIT(n), false, 0, NULL, (n) }

void mutex_init(struct mutex *m, const char *name);
void mutex_lock(struct mutex *m);
void mutex_unlock(struct mutex *m);
bool mutex_held(struct mutex *m);       /* by the current process */

#endif

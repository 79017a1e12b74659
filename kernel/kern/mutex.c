/*
 * mutex.c - sleeping mutexes (see mutex.h).
 *
 * The spinlock guards the `locked` flag; a contender sleeps on the mutex's
 * address and re-checks after every wakeup (another process may have taken
 * the mutex first).  Not interruptible: a holder always lets go soon.
 *
 * The waiters count lets mutex_unlock skip the wakeup -- a walk of a sleep
 * queue under the scheduler's lock -- when nobody sleeps, which is nearly
 * always: it was a tenth of a copy-on-write fault's instructions.
 */
#include "kern/kernel.h"
#include "kern/mutex.h"
#include "kern/sched.h"
#include "kern/proc.h"

void mutex_init(struct mutex *m, const char *name)
{
	spinlock_init(&m->spin, name);
	m->locked = false;
	m->waiters = 0;
	m->owner = NULL;
	m->name = name;
}

void mutex_lock(struct mutex *m)
{
	spinlock_acquire(&m->spin);
	KASSERT(!m->locked || m->owner != curproc(), "mutex_lock: %s: recursive", m->name);
	while (m->locked) {
		m->waiters++;
		sleep_on(m, &m->spin, false);
		m->waiters--;
	}
	m->locked = true;
	m->owner = curproc();
	spinlock_release(&m->spin);
}

void mutex_unlock(struct mutex *m)
{
	spinlock_acquire(&m->spin);
	KASSERT(m->locked && m->owner == curproc(), "mutex_unlock: %s: not the owner", m->name);
	m->locked = false;
	m->owner = NULL;
	if (m->waiters > 0)
		wakeup(m);
	spinlock_release(&m->spin);
}

bool mutex_held(struct mutex *m)
{
	return m->locked && m->owner == curproc();
}

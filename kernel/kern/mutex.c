/*
 * mutex.c - sleeping mutexes (see mutex.h).
 *
 * The spinlock guards the `locked` flag; a contender sleeps on the mutex's
 * address and re-checks after every wakeup (another process may have taken
 * the mutex first).  Not interruptible: a holder always lets go soon.
 *
 * Debug builds tell the lock-order checker (witness.h) about the mutex
 * itself; its interlock `spin` is left out (WITNESS_NONE): it shares the
 * mutex's name, and is only ever held inside these functions.  The
 * checker's hooks are never the last call here (see spinlock.c).
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
	spinlock_init_flags(&m->spin, name, WITNESS_NONE);
	m->locked = false;
	m->wflags = WITNESS_SLEEP;
	m->wclass = 0;
	m->waiters = 0;
	m->owner = NULL;
	m->name = name;
}

void mutex_lock(struct mutex *m)
{
	witness_checkorder(m, m->name, &m->wclass, m->wflags);
	spinlock_acquire(&m->spin);
	KASSERT(!m->locked || m->owner != curproc(), "mutex_lock: %s: recursive", m->name);
	while (m->locked) {
		m->waiters++;
		sleep_on(m, &m->spin, false);
		m->waiters--;
	}
	m->locked = true;
	m->owner = curproc();
	witness_lock(m, m->name, &m->wclass, m->wflags);
	spinlock_release(&m->spin);
}

void mutex_unlock(struct mutex *m)
{
	witness_unlock(m, m->name, m->wflags);
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

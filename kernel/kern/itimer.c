/*
 * itimer.c - the real-time interval timer: setitimer/getitimer(ITIMER_REAL)
 * and alarm(), which deliver SIGALRM.
 *
 * Each process has one timer: p->itimer_deadline, the clock_ns() of its
 * next expiry (0 when disarmed), and p->itimer_interval, its reload (0 for
 * a one-shot timer).  Armed timers sit on one list sorted by deadline, so
 * that the clock tick (sched_tick -> itimer_expire_locked) looks only at
 * the head, like the scheduler's sleep deadlines.  An expiry is therefore
 * seen within one tick (1/HZ s) of its time.  A periodic timer that fell
 * behind by more than an interval skips the lost expiries rather than
 * firing them all at once: SIGALRM does not queue anyway.
 *
 * Locking: everything here is under proc_table_lock (t).  fork does not
 * copy the timer; exec keeps it; exit disarms it (itimer_exit).
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/string.h"
#include "kern/proc.h"
#include "kern/signal.h"
#include "kern/clock.h"
#include "kern/copyio.h"
#include "kern/itimer.h"
#include "uapi/time.h"
#include "uapi/signal.h"

#define NS_PER_US 1000ul
#define NS_PER_S  1000000000ul

static struct list itimers = LIST_INIT(itimers);        /* (t) by deadline */

/* (Re)arm p's timer to fire at deadline (0: disarm).  (t) held. */
static void itimer_set_locked(struct proc *p, uint64_t deadline, uint64_t interval)
{
	spinlock_assert_held(&proc_table_lock);
	if (list_node_linked(&p->itimer_link))
		list_remove(&p->itimer_link);
	p->itimer_deadline = deadline;
	p->itimer_interval = interval;
	if (deadline == 0)
		return;
	struct list_node *after = &itimers.head;
	list_foreach(&itimers, n) {
		if (list_entry(n, struct proc, itimer_link)->itimer_deadline > deadline)
			break;
		after = n;
	}
	list_insert_after(after, &p->itimer_link);
}

void itimer_expire_locked(uint64_t now)
{
	spinlock_assert_held(&proc_table_lock);
	struct list_node *n;
	while ((n = list_first(&itimers)) != NULL) {
		struct proc *p = list_entry(n, struct proc, itimer_link);
		if (p->itimer_deadline > now)
			break;
		uint64_t next = 0;
		if (p->itimer_interval != 0) {
			next = p->itimer_deadline + p->itimer_interval;
			if (next <= now)
				next = now + p->itimer_interval;
		}
		itimer_set_locked(p, next, p->itimer_interval);
		signal_post_kernel_locked(p, SIGALRM);
	}
}

void itimer_exit(struct proc *p)
{
	spinlock_acquire(&proc_table_lock);
	itimer_set_locked(p, 0, 0);
	spinlock_release(&proc_table_lock);
}

static uint64_t timeval_ns(const struct timeval *tv)
{
	return (uint64_t)tv->tv_sec * NS_PER_S + (uint64_t)tv->tv_usec * NS_PER_US;
}

static struct timeval ns_timeval(uint64_t ns)
{
	/* Round up: a timer that is armed never reads as 0. */
	uint64_t us = (ns + NS_PER_US - 1) / NS_PER_US;
	return (struct timeval){ .tv_sec = (time_t)(us / 1000000), .tv_usec = (suseconds_t)(us % 1000000) };
}

static bool timeval_valid(const struct timeval *tv)
{
	/* Up to a bit over 292 years in ns: a year 2300 problem at worst. */
	return tv->tv_sec >= 0 && tv->tv_sec < 1l << 32 && tv->tv_usec >= 0 && tv->tv_usec < 1000000;
}

/* p's timer as getitimer reports it.  (t) held. */
static struct itimerval itimer_get_locked(struct proc *p)
{
	spinlock_assert_held(&proc_table_lock);
	struct itimerval v;
	memset(&v, 0, sizeof(v));
	if (p->itimer_deadline != 0) {
		uint64_t now = clock_ns();
		v.it_value = ns_timeval(p->itimer_deadline > now ? p->itimer_deadline - now : 1);
		v.it_interval = ns_timeval(p->itimer_interval);
	}
	return v;
}

long sys_getitimer(int which, void *uvalue)
{
	if (which != ITIMER_REAL)
		return -EINVAL;
	spinlock_acquire(&proc_table_lock);
	struct itimerval v = itimer_get_locked(curproc());
	spinlock_release(&proc_table_lock);
	return copyout(&v, uvalue, sizeof(v)) != 0 ? -EFAULT : 0;
}

long sys_setitimer(int which, const void *uvalue, void *uovalue)
{
	struct proc *p = curproc();
	struct itimerval v;

	if (which != ITIMER_REAL)
		return -EINVAL;
	if (uvalue == NULL) {
		memset(&v, 0, sizeof(v));       /* Linux: NULL disarms */
	} else if (copyin(uvalue, &v, sizeof(v)) != 0) {
		return -EFAULT;
	}
	if (!timeval_valid(&v.it_value) || !timeval_valid(&v.it_interval))
		return -EINVAL;
	uint64_t value = timeval_ns(&v.it_value), interval = timeval_ns(&v.it_interval);
	spinlock_acquire(&proc_table_lock);
	struct itimerval old = itimer_get_locked(p);
	itimer_set_locked(p, value ? clock_ns() + value : 0, interval);
	spinlock_release(&proc_table_lock);
	if (uovalue && copyout(&old, uovalue, sizeof(old)) != 0)
		return -EFAULT;
	return 0;
}

/* alarm(s): SIGALRM in s seconds (0: cancel); the seconds the previous
 * alarm had left, rounded to the nearest (at least 1 if one was set). */
long sys_alarm(unsigned int seconds)
{
	struct proc *p = curproc();
	spinlock_acquire(&proc_table_lock);
	struct itimerval old = itimer_get_locked(p);
	itimer_set_locked(p, seconds ? clock_ns() + seconds * NS_PER_S : 0, 0);
	spinlock_release(&proc_table_lock);
	long left = old.it_value.tv_sec + (old.it_value.tv_usec >= 500000);
	if (left == 0 && old.it_value.tv_usec != 0)
		left = 1;
	return left;
}

/*
 * poll.c - poll(2): wait until one of several descriptors is ready.
 *
 * Readiness comes from each file's ops->poll(fp, events), which answers
 * what is true now and never sleeps.  Types that cannot be polled (shm,
 * for one) use file_poll_notsupp, which answers POLLNVAL, as does a
 * descriptor that is not open.  POLLERR, POLLHUP and POLLNVAL are always
 * reported, asked for or not.
 *
 * Waiting: one global channel and a generation counter.  BSD kernels give
 * every object a `struct selinfo` that records which threads poll it, so
 * a readiness change wakes only those.  vmos does the simplest thing that
 * is still correct: every readiness change anywhere calls poll_wakeup(),
 * which bumps poll_gen and, if anyone is polling at all, wakes every
 * poller; each re-scans its descriptors and sleeps again if none is
 * ready.  The cost is spurious re-scans (O(pollers x their fds) per event
 * while someone polls), the gain is no per-object bookkeeping and no
 * lost wakeups.  Nothing is paid when no one polls: poll_wakeup() is an
 * atomic add and an atomic load.
 *
 * The lost-wakeup argument: a poller announces itself (poll_waiters++),
 * reads poll_gen, scans, and then -- under proc_table_lock, which sleep_on
 * needs anyway -- sleeps only if poll_gen has not moved.  A waker bumps
 * poll_gen before it looks at poll_waiters, and wakeup() takes
 * proc_table_lock.  So a change that lands after the scan either moves
 * poll_gen before the check, or finds the poller asleep and wakes it.
 *
 * Timeouts: a poller with a deadline sleeps on &poll_gen with that
 * deadline (sleep_on_deadline), so the timer tick wakes it when it
 * expires, and readiness changes wake it before.
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/sched.h"
#include "kern/proc.h"
#include "kern/clock.h"
#include "kern/file.h"
#include "kern/fdtable.h"
#include "kern/poll.h"
#include "vm/kmem.h"

/* The most entries one poll() takes (Linux's bound is RLIMIT_NOFILE). */
#define POLL_NFDS_MAX   (4 * OPEN_MAX)
/* Entries that fit on the kernel stack; more are kmalloc'd. */
#define POLL_STACK_FDS  16

#define POLL_ALWAYS     (POLLERR | POLLHUP | POLLNVAL)

static uint64_t poll_gen;               /* (a) bumped by every readiness change */
static int poll_waiters;                /* (a) threads inside sys_poll */

void poll_wakeup(void)
{
	__atomic_add_fetch(&poll_gen, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&poll_waiters, __ATOMIC_SEQ_CST) == 0)
		return;
	wakeup(&poll_gen);
}

/* revents of one entry: 0 for a negative fd, POLLNVAL for one not open. */
static short poll_one(const struct pollfd *pfd)
{
	struct file *fp;
	if (pfd->fd < 0)
		return 0;
	if (fd_get(pfd->fd, &fp) < 0)
		return POLLNVAL;
	int wanted = (unsigned short)pfd->events | POLL_ALWAYS;
	int revents = fp->ops->poll(fp, wanted) & wanted;
	file_release(fp);
	return (short)revents;
}

/* Fill every revents; answers how many are non-zero. */
static int poll_scan(struct pollfd *fds, unsigned long nfds)
{
	int ready = 0;
	for (unsigned long i = 0; i < nfds; i++) {
		fds[i].revents = poll_one(&fds[i]);
		if (fds[i].revents != 0)
			ready++;
	}
	return ready;
}

/*
 * Sleep until poll_gen moves past gen, the deadline (0: none) passes, or a
 * signal arrives.  Returns 0 or -EINTR.  No lock held on entry.
 */
static int poll_sleep(uint64_t gen, uint64_t deadline)
{
	int r = 0;
	spinlock_acquire(&proc_table_lock);
	if (__atomic_load_n(&poll_gen, __ATOMIC_SEQ_CST) == gen &&
	    (deadline == 0 || clock_ns() < deadline))
		r = sleep_on_deadline(&poll_gen, &proc_table_lock, true,
		    deadline ? deadline : CLOCK_NS_FOREVER);
	spinlock_release(&proc_table_lock);
	return r;
}

/* The scan-and-sleep loop.  Returns the ready count (0 on timeout) or -EINTR. */
static long poll_wait(struct pollfd *fds, unsigned long nfds, int timeout_ms)
{
	uint64_t deadline = 0;
	long r;
	if (timeout_ms > 0)
		deadline = clock_deadline((uint64_t)timeout_ms * 1000000ull);
	__atomic_add_fetch(&poll_waiters, 1, __ATOMIC_SEQ_CST);
	for (;;) {
		uint64_t gen = __atomic_load_n(&poll_gen, __ATOMIC_SEQ_CST);
		r = poll_scan(fds, nfds);
		if (r > 0 || timeout_ms == 0 || (deadline && clock_ns() >= deadline))
			break;
		r = poll_sleep(gen, deadline);
		if (r < 0)
			break;
	}
	__atomic_sub_fetch(&poll_waiters, 1, __ATOMIC_SEQ_CST);
	return r;
}

/*
 * poll(2).  timeout_ms: 0 = just look, negative = no limit.  Copies the
 * array in, waits, copies the revents back out.  May sleep.  EINVAL for
 * more than POLL_NFDS_MAX entries, EFAULT for a bad array, EINTR.
 */
long sys_poll(struct pollfd __user *ufds, unsigned long nfds, int timeout_ms)
{
	struct pollfd stackfds[POLL_STACK_FDS], *fds = stackfds;
	if (nfds > POLL_NFDS_MAX)
		return -EINVAL;
	size_t bytes = nfds * sizeof(struct pollfd);
	if (nfds > POLL_STACK_FDS && (fds = kmalloc(bytes, 0)) == NULL)
		return -ENOMEM;
	long r = copyin(ufds, fds, bytes);
	if (r == 0)
		r = poll_wait(fds, nfds, timeout_ms);
	if (r >= 0) {
		int c = copyout(fds, ufds, bytes);
		if (c < 0)
			r = c;
	}
	if (fds != stackfds)
		kfree(fds);
	return r;
}

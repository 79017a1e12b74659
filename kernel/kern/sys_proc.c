/*
 * sys_proc.c - the small process system calls: identity, credentials,
 * umask, yielding, sleeping, clocks, and powering off.
 *
 * Credentials follow POSIX's simple rule for setuid/setgid: the superuser
 * (euid 0) sets real and effective ids; anyone else may only set the
 * effective id back to the real one.
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/proc.h"
#include "kern/sched.h"
#include "kern/clock.h"
#include "kern/copyio.h"
#include "kern/gcov.h"
#include "kern/prof.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/debug_exit.h"
#include "uapi/time.h"
#include "uapi/vmos.h"

long sys_getpid(void) { return curproc()->pid; }
long sys_getuid(void) { return curproc()->uid; }
long sys_geteuid(void) { return curproc()->euid; }
long sys_getgid(void) { return curproc()->gid; }
long sys_getegid(void) { return curproc()->egid; }

long sys_getppid(void)
{
	struct proc *parent = curproc()->parent;
	return parent ? parent->pid : 0;
}

long sys_setuid(uid_t uid)
{
	struct proc *p = curproc();
	if ((int)uid < 0)
		return -EINVAL;
	if (p->euid == 0) {
		/* The process now counts against uid's RLIMIT_NPROC (proc.c). */
		if (proc_change_ruid(p, uid) != 0)
			return -EAGAIN;
		p->euid = uid;
	} else if (uid == p->uid)
		p->euid = uid;
	else
		return -EPERM;
	return 0;
}

long sys_setgid(gid_t gid)
{
	struct proc *p = curproc();
	if ((int)gid < 0)
		return -EINVAL;
	if (p->euid == 0)
		p->gid = p->egid = gid;
	else if (gid == p->gid)
		p->egid = gid;
	else
		return -EPERM;
	return 0;
}

long sys_umask(mode_t mask)
{
	struct proc *p = curproc();
	mode_t old = p->umask;
	p->umask = mask & 0777;
	return old;
}

long sys_sched_yield(void)
{
	sched_yield();
	return 0;
}

/*
 * getcpu(&cpu, &node, NULL), as Linux: the CPU the caller was running on
 * when it asked (it may be on another by the time it looks), and NUMA node
 * 0.  Either pointer may be NULL.
 */
long sys_getcpu(unsigned *ucpu, unsigned *unode, void *unused)
{
	(void)unused;
	unsigned cpu = (unsigned)this_cpu()->id, node = 0;
	if (ucpu != NULL && copyout(&cpu, ucpu, sizeof(cpu)) != 0)
		return -EFAULT;
	if (unode != NULL && copyout(&node, unode, sizeof(node)) != 0)
		return -EFAULT;
	return 0;
}

long sys_nanosleep(const void *ureq, void *urem)
{
	struct timespec req;
	uint64_t ns;
	if (copyin(ureq, &req, sizeof(req)) != 0)
		return -EFAULT;
	int err = clock_timespec_to_ns(&req, &ns);
	if (err)
		return err;
	uint64_t start = clock_ns();
	err = sched_sleep_ns(ns);
	if (err && urem) {
		uint64_t slept = clock_ns() - start, left = slept < ns ? ns - slept : 0;
		struct timespec rem = clock_ns_to_timespec(left);
		if (copyout(&rem, urem, sizeof(rem)) != 0)
			return -EFAULT;
	}
	return err;
}

/*
 * clock_nanosleep: nanosleep on a named clock, or (TIMER_ABSTIME) until
 * that clock reads *req.  A realtime deadline is turned into a monotonic
 * one when the sleep starts (a clock change during the sleep is not
 * followed).  Returns 0 or a negative errno; rem is written only for a
 * relative sleep that a signal cut short, as POSIX says.
 */
long sys_clock_nanosleep(int clock, int flags, const void *ureq, void *urem)
{
	struct timespec req;
	uint64_t ns, now = clock_ns(), deadline;

	if (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC && clock != CLOCK_BOOTTIME)
		return -EINVAL;
	if (flags & ~TIMER_ABSTIME)
		return -EINVAL;
	if (copyin(ureq, &req, sizeof(req)) != 0)
		return -EFAULT;
	int err = clock_timespec_to_ns(&req, &ns);
	if (err)
		return err;
	if (!(flags & TIMER_ABSTIME)) {
		deadline = clock_deadline(ns);
	} else {
		uint64_t clock_now = clock == CLOCK_REALTIME ? clock_realtime_ns() : now;
		deadline = ns <= clock_now ? now : clock_deadline(ns - clock_now);
	}
	spinlock_acquire(&proc_table_lock);
	while (err == 0 && clock_ns() < deadline)
		err = sleep_on_deadline(&curproc()->sleep_deadline, &proc_table_lock, true, deadline);
	spinlock_release(&proc_table_lock);
	if (err && urem && !(flags & TIMER_ABSTIME)) {
		uint64_t t = clock_ns();
		struct timespec rem = clock_ns_to_timespec(deadline > t ? deadline - t : 0);
		if (copyout(&rem, urem, sizeof(rem)) != 0)
			return -EFAULT;
	}
	return err;
}

long sys_clock_gettime(int clock, void *uts)
{
	struct timespec ts = clock_ns_to_timespec(clock_ns());

	switch (clock) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
		ts = clock_ns_to_timespec(clock_realtime_ns());
		break;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
		break;
	default:
		return -EINVAL;
	}
	return copyout(&ts, uts, sizeof(ts)) ? -EFAULT : 0;
}

/* End the QEMU run with status V (see uapi/vmos.h).  Only the superuser may. */
long sys_poweroff(int status)
{
	if (curproc()->euid != 0)
		return -EPERM;
	if (status < 0 || status > VMOS_EXIT_PANIC - 1)
		return -EINVAL;
	gcov_dump();            /* the coverage build hands its counters over first */
	prof_dump();            /* and a profile, if one was taken */
	debug_exit(status);
}

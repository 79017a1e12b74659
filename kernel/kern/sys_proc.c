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
	if (p->euid == 0)
		p->uid = p->euid = uid;
	else if (uid == p->uid)
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

long sys_nanosleep(const void *ureq, void *urem)
{
	struct timespec req;
	if (copyin(ureq, &req, sizeof(req)) != 0)
		return -EFAULT;
	if (req.tv_sec < 0 || req.tv_nsec < 0 || req.tv_nsec >= 1000000000)
		return -EINVAL;
	uint64_t ns = (uint64_t)req.tv_sec * 1000000000ull + req.tv_nsec;
	uint64_t start = clock_ns();
	int err = sched_sleep_ns(ns);
	if (err && urem) {
		uint64_t slept = clock_ns() - start, left = slept < ns ? ns - slept : 0;
		struct timespec rem = { (time_t)(left / 1000000000ull), (long)(left % 1000000000ull) };
		if (copyout(&rem, urem, sizeof(rem)) != 0)
			return -EFAULT;
	}
	return err;
}

long sys_clock_gettime(int clock, void *uts)
{
	uint64_t ns = clock_ns();
	struct timespec ts = { (time_t)(ns / 1000000000ull), (long)(ns % 1000000000ull) };

	switch (clock) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
		ns = clock_realtime_ns();
		ts.tv_sec = (time_t)(ns / 1000000000ull);
		ts.tv_nsec = (long)(ns % 1000000000ull);
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
	debug_exit(status);
}

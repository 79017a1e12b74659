/*
 * counters.h - the kernel counters that user space reads with kcounters()
 * (struct kcounters in uapi/vmos.h).
 *
 * Each subsystem updates its own fields with COUNTER_INC/COUNTER_DEC/
 * COUNTER_ADD: the VM counts objects and faults, the file layer counts
 * files, ipc counts shm objects and sockets.  Each CPU has its own copy of
 * the fields (struct cpu's counters), so that a count taken on every
 * system call or fault stays in that CPU's cache instead of bouncing
 * between CPUs (it halved two CPUs' throughput of getppid); the update is
 * still atomic, since a preempted thread may finish it on another CPU.
 * A snapshot sums the copies: one CPU's part of a count that goes down
 * (open files) may be "negative", the sum is right.  A few fields
 * (free_pages, total_pages, kmem_bytes, processes) are read from their
 * owners when the snapshot is taken.  sysinfo(2) answers from the same
 * snapshot, in Linux's terms (uapi/sysinfo.h).
 */
#ifndef KERN_COUNTERS_H
#define KERN_COUNTERS_H

#include "uapi/vmos.h"
#include "arch/x86_64/percpu.h"

#define COUNTER_ADD(field, n) \
	((void)__atomic_add_fetch(&this_cpu()->counters.field, (__UINT64_TYPE__)(n), \
	    __ATOMIC_RELAXED))
/* One counter's value now: the sum of every CPU's part. */
#define COUNTER_READ(field) \
	counters_sum(__builtin_offsetof(struct kcounters, field))
uint64_t counters_sum(__SIZE_TYPE__ offset);
#define COUNTER_INC(field) COUNTER_ADD(field, 1)
#define COUNTER_DEC(field) COUNTER_ADD(field, -1)

/* Fill *out with a consistent-enough snapshot. */
void counters_snapshot(struct kcounters *out);
long sys_kcounters(void *uout);
#if 1 /* LAB syscall: BEGIN */
long sys_sysinfo(void *uinfo);
#else /* LAB syscall: STUB */
/* LAB syscall: declare sys_sysinfo here, for the table in kern/syscalls.c. */
#endif /* LAB syscall: END */

#endif

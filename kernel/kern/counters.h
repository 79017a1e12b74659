/*
 * counters.h - the kernel counters that user space reads with kcounters()
 * (struct kcounters in uapi/vmos.h).
 *
 * Each subsystem updates its own fields with COUNTER_INC/COUNTER_DEC/
 * COUNTER_ADD (atomic, so no lock is needed): the VM counts objects and
 * faults, the file layer counts files, ipc counts shm objects and sockets.
 * A few fields (free_pages, total_pages, kmem_bytes, processes) are read
 * from their owners when the snapshot is taken.  sysinfo(2) answers from
 * the same snapshot, in Linux's terms (uapi/sysinfo.h).
 */
#ifndef KERN_COUNTERS_H
#define KERN_COUNTERS_H

#include "uapi/vmos.h"

extern struct kcounters counters;

#define COUNTER_ADD(field, n) \
	((void)__atomic_add_fetch(&counters.field, (__UINT64_TYPE__)(n), __ATOMIC_RELAXED))
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

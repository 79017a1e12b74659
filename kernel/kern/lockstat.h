/*
 * lockstat.h - how much each kind of spinlock is fought over (lockstat.c).
 */
#ifndef KERN_LOCKSTAT_H
#define KERN_LOCKSTAT_H

#include "kern/kernel.h"

/* A spinlock named name (a string in the kernel image: the caller makes
 * sure) was found held, and its taker spun for `cycles`
 * TSC cycles before it got it.  Called from spinlock.c's slow path only. */
void lockstat_contended(const char *name, uint64_t cycles);

/* klockstat(buf, max, flags): see struct klockstat in uapi/vmos.h. */
long sys_klockstat(void *ubuf, int max, int flags);

#endif

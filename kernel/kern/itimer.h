/*
 * itimer.h - the ITIMER_REAL interval timer and alarm() (itimer.c).
 * The system calls are declared with the process calls in kern/proc.h.
 */
#ifndef KERN_ITIMER_H
#define KERN_ITIMER_H

#include "kern/kernel.h"

struct proc;

/* From the clock tick, proc_table_lock held: send SIGALRM for every timer
 * due by now, and rearm the periodic ones. */
void itimer_expire_locked(uint64_t now);
/* p is exiting: disarm its timer. */
void itimer_exit(struct proc *p);

#endif

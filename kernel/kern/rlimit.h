/*
 * rlimit.h - resource limits (getrlimit, setrlimit, prlimit64).
 *
 * Each process has a soft and a hard value for every limit in
 * uapi/resource.h, which says what is enforced and where.  fork copies
 * them, exec keeps them.  The subsystems read the soft value with
 * rlimit_cur() where they take the resource.
 */
#ifndef KERN_RLIMIT_H
#define KERN_RLIMIT_H

#include "kern/kernel.h"
#include "uapi/resource.h"

struct proc;

/* The limits of the first process (init) and of kernel threads. */
void rlimit_init_defaults(struct rlimit *rlim);
/* p's soft limit for resource (an RLIMIT_* number). */
rlim_t rlimit_cur(const struct proc *p, int resource);

#endif

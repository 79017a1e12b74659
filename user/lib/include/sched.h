/* sched.h - giving up the CPU. */
#ifndef _SCHED_H
#define _SCHED_H

int sched_yield(void);
/* The CPU the caller runs on (it may have moved by the time it looks); Linux's. */
int sched_getcpu(void);

#endif /* _SCHED_H */

/*
 * jobctl.h - stopping and continuing processes (jobctl.c).
 */
#ifndef KERN_JOBCTL_H
#define KERN_JOBCTL_H

#include "kern/kernel.h"

struct proc;

/* What a process's parent has not yet been told by wait4 (p->jobctl_report). */
#define JOBCTL_STOPPED    1     /* reported under WUNTRACED */
#define JOBCTL_CONTINUED  2     /* reported under WCONTINUED */

/* SIGSTOP, SIGTSTP, SIGTTIN or SIGTTOU? */
bool jobctl_is_stop_signal(int sig);
/* sig is being posted to p: SIGCONT continues it, etc.  Lock held. */
void jobctl_post_locked(struct proc *p, int sig);
/* The default action of stop signal sig for the current process: stop
 * until continued (or killed).  Returns then; lock not held. */
void jobctl_stop(int sig);

#endif

/*
 * signal.h - sending signals and acting on them (signal.c).
 *
 * A signal is a bit in the target's pending mask; it takes effect when the
 * target is about to return to user mode (signal_deliver).  The system
 * calls (kill, rt_sigaction, rt_sigprocmask) are declared with the other
 * process calls in kern/proc.h.
 */
#ifndef KERN_SIGNAL_H
#define KERN_SIGNAL_H

#include "kern/kernel.h"

struct proc;

/* Post signal sig to p (0 = just check).  Returns 0 or -ESRCH/-EINVAL. */
int signal_send(struct proc *p, int sig);
/* Is a signal pending that would end an interruptible sleep? */
bool signal_pending(struct proc *p);
/* signal_send with proc_table_lock held, for a group's members. */
void signal_send_locked(struct proc *p, int sig);
/* May sender signal target (kill's permission rule)? */
bool signal_permitted(const struct proc *sender, const struct proc *target);
/* Act on the current process's pending signals before it returns to user
 * mode (may not return: a default action may end it). */
void signal_deliver(void);
/* Terminate the current process as if killed by sig; prints why; never returns. */
void signal_exit(int sig, const char *why) __noreturn;
/* "SIGSEGV" for 11: the name the kernel prints ("signal" if none). */
const char *signal_name(int sig);

#endif

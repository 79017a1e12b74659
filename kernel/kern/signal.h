/*
 * signal.h - sending signals and acting on them (signal.c).
 *
 * A signal is a bit in the target's pending mask; it takes effect when the
 * target is about to return to user mode (signal_deliver): a default
 * action, or a handler entered through a frame on the user stack
 * (arch/x86_64/sigframe.c).  The system calls (kill, rt_sigaction,
 * rt_sigprocmask, rt_sigreturn, ...) are declared with the other process
 * calls in kern/proc.h.
 */
#ifndef KERN_SIGNAL_H
#define KERN_SIGNAL_H

#include "kern/kernel.h"

struct proc;

/* Post signal sig to p (0 = just check).  Returns 0 or -ESRCH/-EINVAL. */
int signal_send(struct proc *p, int sig);
/* Post a kernel-sent signal (si_code SI_KERNEL) to p; proc_table_lock held. */
void signal_post_kernel_locked(struct proc *p, int sig);
/*
 * The current process faulted (a page fault, a trap): if sig is caught
 * and not blocked, post it with si_code `code` and si_addr `addr` (the
 * handler runs on the way back to user mode); otherwise die of it now,
 * printing why.
 */
void signal_fault(int sig, int code, uint64_t addr, const char *why);
/* fork: the child gets the parent's actions, mask and alternate stack. */
void signal_fork(struct proc *child, const struct proc *parent);
/* exec: handlers go back to SIG_DFL (ignored signals stay ignored). */
void signal_exec(struct proc *p);
/* Is a signal pending that would end an interruptible sleep? */
bool signal_pending(struct proc *p);
/* signal_send with proc_table_lock held, for a group's members. */
void signal_send_locked(struct proc *p, int sig);
/* The same from a process (kill of a group): the target's siginfo says
 * SI_USER with sender's pid and real uid; NULL is the kernel. */
void signal_send_from_locked(struct proc *p, int sig, const struct proc *sender);
/* Is sig set to SIG_IGN, or blocked, in p (the terminal's background
 * rules)?  proc_table_lock held. */
bool signal_ignored_or_blocked(const struct proc *p, int sig);
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

/*
 * sched.h - the scheduler: run queue, context switch, sleep and wakeup.
 *
 * Policy: round robin over one run queue shared by every CPU, a time slice
 * of one timer tick (1/HZ s) of the CPU it runs on.  The timer interrupt
 * marks the running thread for rescheduling, and it yields when it is
 * about to return to user mode -- or at once, if the interrupt came while
 * it ran kernel code with interrupts on: the kernel is preemptible
 * wherever it holds no spinlock (sched_preempt_kernel in sched.c says why
 * that is the rule).  Code that needs to stay on one CPU, or not to be
 * interleaved with another thread, takes a spinlock (or intr_push).
 *
 * sleep/wakeup follow xv6: sleep(chan, lk) atomically releases lk and
 * sleeps on the address chan; wakeup(chan) makes every sleeper on chan
 * runnable.  Callers always re-check their condition in a loop.  A sleep
 * may also have a deadline: the timer tick wakes it once clock_ns() passes
 * it, and looks at no other sleeper to do so (sched.c).
 */
#ifndef KERN_SCHED_H
#define KERN_SCHED_H

#include "kern/kernel.h"
#include "kern/spinlock.h"

struct proc;

void sched_init(void);                 /* before the first process */
void sched_wakeup_locked(void *chan);   /* wakeup() with proc_table_lock held */
/* The per-CPU scheduler loop; never returns. */
void sched_run(void) __noreturn;
void sched_make_runnable(struct proc *p);      /* proc_table_lock held */
/* If p runs on another CPU, interrupt it: it has a signal (proc_table_lock held). */
void sched_kick(struct proc *p);
/* Give up the CPU (proc_table_lock held, state already set). */
void sched_switch(void);
void sched_yield(void);
/* Called from the timer interrupt. */
void sched_tick(void);
/* Yield if the time slice is used up; called on the way back to user mode. */
void sched_maybe_preempt(void);
/* The same for an interrupt that came in kernel mode with interrupts on (trap.c). */
void sched_preempt_kernel(void);

/*
 * Sleep on chan.  lk (which the caller holds) is released while asleep and
 * re-acquired before returning.  Returns 0, or -EINTR when `interruptible`
 * and a signal arrived.  lk may be &proc_table_lock itself.
 */
int sleep_on(void *chan, struct spinlock *lk, bool interruptible);
/* sleep_on that also ends by the time clock_ns() reaches deadline
 * (CLOCK_NS_FOREVER: never).  Returns 0 or -EINTR; the caller looks at the
 * clock to tell a timeout from a wakeup. */
int sleep_on_deadline(void *chan, struct spinlock *lk, bool interruptible, uint64_t deadline);
void wakeup(void *chan);

/*
 * A checkpoint for kernel loops whose length a user controls (writing a
 * huge buffer to the console, say).  The kernel is preemptible, so such a
 * loop does not hold the CPU; but without a look at the signals, a SIGKILL
 * could not stop it before it finished.  Returns -EINTR if a signal is
 * pending (stop and return what was done), else 0.
 */
int sched_checkpoint(void);

/* Sleep for ns nanoseconds (interruptible); returns 0 or -EINTR. */
int sched_sleep_ns(uint64_t ns);

#endif

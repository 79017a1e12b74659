/*
 * sched.c - round-robin scheduling, sleep and wakeup (policy in sched.h).
 *
 * The scheduler loop runs on the boot stack in its own context.  A process
 * gives up the CPU by calling sched_switch() with proc_table_lock held and
 * its state already changed (RUNNABLE, SLEEPING or ZOMBIE); swtch() jumps
 * to the scheduler, which picks the next RUNNABLE process from the head of
 * the run queue and switches to it.  The lock is held across every switch,
 * and released by whoever runs next (the scheduler, or a resumed process on
 * its way out of sched_switch, or proc_forkret for a brand-new one).
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/sched.h"
#include "kern/proc.h"
#include "kern/signal.h"
#include "kern/itimer.h"
#include "kern/clock.h"
#include "kern/counters.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/vmparam.h"
#include "vm/vm_map.h"

void swtch(struct context **save, struct context *load);

static struct list run_queue = LIST_INIT(run_queue);     /* (t) */

/*
 * Timed sleeps.  A sleeper with a deadline is also on `timeouts`, sorted
 * by deadline (proc.timeout_link).  The timer tick wakes the sleepers at
 * the head whose deadline has passed and looks no further, so a thousand
 * processes in nanosleep cost a tick one comparison -- not a thousand
 * wakeups, each to read the clock and sleep again, which is what a
 * shared "the clock ticked" channel would cost (a fork bomb of sleepers
 * could then eat the CPU).  Insertion walks the list: timed sleepers are
 * at most maxproc, and a sleep is far rarer than a tick.
 */
static struct list timeouts = LIST_INIT(timeouts);       /* (t) */

/*
 * Sleep queues, as in FreeBSD: sleeping processes hang on a list chosen by
 * hashing their wait channel, so wakeup(chan) looks at the few processes in
 * one bucket instead of the whole process table.  A process's runq node is
 * on the run queue while RUNNABLE and on a sleep queue while SLEEPING.
 */
#define SLEEPQ_BUCKETS 64
static struct list sleepq[SLEEPQ_BUCKETS];                 /* (t) */

static struct list *sleepq_for(const void *chan)
{
	uint64_t h = (uint64_t)chan;
	h ^= h >> 17;
	h *= 0x9e3779b97f4a7c15ull;
	return &sleepq[h >> 58];                                /* top 6 bits */
}

void sched_init(void)
{
	for (int i = 0; i < SLEEPQ_BUCKETS; i++)
		list_init(&sleepq[i]);
}

void sched_make_runnable(struct proc *p)
{
	KASSERT(spinlock_held(&proc_table_lock), "sched_make_runnable: lock not held");
	if (p->state == P_SLEEPING && list_node_linked(&p->runq))
		list_remove(&p->runq);                          /* off its sleep queue */
	p->state = P_RUNNABLE;
	if (!list_node_linked(&p->runq))
		list_push_back(&run_queue, &p->runq);
}

/* Make every process sleeping on chan runnable.  proc_table_lock held. */
void sched_wakeup_locked(void *chan)
{
	spinlock_assert_held(&proc_table_lock);
	struct list *q = sleepq_for(chan);
	KASSERT(spinlock_held(&proc_table_lock), "sched_wakeup_locked: lock not held");
	list_foreach_safe(q, n, tmp) {
		struct proc *p = list_entry(n, struct proc, runq);
		if (p->wchan == chan)
			sched_make_runnable(p);
	}
}

static struct proc *pick_next(void)
{
	struct list_node *n = list_pop_front(&run_queue);
	return n ? list_entry(n, struct proc, runq) : NULL;
}

/* Run p until it switches back to the scheduler.  proc_table_lock held. */
static void run(struct proc *p)
{
	struct cpu *c = this_cpu();
	uint64_t top = p->kstack + KSTACK_PAGES * PAGE_SIZE;

	p->state = P_RUNNING;
	p->cpu = c->id;
	c->proc = p;
	c->kstack_top = top;
	c->need_resched = false;
	gdt_set_kernel_stack(top);
	vmspace_activate(p->vmspace);
	COUNTER_INC(context_switches);
	swtch(&c->scheduler, p->context);
	c->proc = NULL;
}

void sched_run(void)
{
	for (;;) {
		spinlock_acquire(&proc_table_lock);
		struct proc *p = pick_next();
		if (p != NULL) {
			run(p);
			spinlock_release(&proc_table_lock);
			continue;
		}
		spinlock_release(&proc_table_lock);
		/* Nothing to run: wait for an interrupt (sti; hlt leaves no gap). */
		__asm__ volatile("sti; hlt; cli" ::: "memory");
		intr_enable();
	}
}

void sched_switch(void)
{
	struct proc *p = curproc();
	KASSERT(spinlock_held(&proc_table_lock), "sched_switch: lock not held");
	spinlock_assert_none_but(&proc_table_lock, __builtin_return_address(0));
	KASSERT(p->state != P_RUNNING, "sched_switch: %s still RUNNING", p->name);
	struct intr_state s = intr_state_save();
	/* A copyin/copyout's recovery address is this thread's: it may sleep in
	 * the fault (swap, memory) while another thread copies. */
	uint64_t onfault = this_cpu()->onfault;
	fpu_save(p->fpu);
	swtch(&p->context, this_cpu()->scheduler);
	fpu_restore(p->fpu);
	this_cpu()->onfault = onfault;
	intr_state_restore(s);
}

void sched_yield(void)
{
	spinlock_acquire(&proc_table_lock);
	sched_make_runnable(curproc());
	sched_switch();
	spinlock_release(&proc_table_lock);
}

/* Put p on the timeouts list in deadline order.  (t) held. */
static void timeout_insert(struct proc *p)
{
	struct list_node *after = &timeouts.head;
	list_foreach(&timeouts, n) {
		if (list_entry(n, struct proc, timeout_link)->sleep_deadline > p->sleep_deadline)
			break;
		after = n;
	}
	list_insert_after(after, &p->timeout_link);
}

/* Wake every sleeper whose deadline has passed.  (t) held. */
static void timeouts_expire(uint64_t now)
{
	struct list_node *n;
	while ((n = list_first(&timeouts)) != NULL) {
		struct proc *p = list_entry(n, struct proc, timeout_link);
		if (p->sleep_deadline > now)
			break;
		list_remove(n);
		if (p->state == P_SLEEPING)
			sched_make_runnable(p);
	}
}

void sched_tick(void)
{
	this_cpu()->need_resched = true;
	spinlock_acquire(&proc_table_lock);
	uint64_t now = clock_ns();
	timeouts_expire(now);
	itimer_expire_locked(now);
	spinlock_release(&proc_table_lock);
}

void sched_maybe_preempt(void)
{
	if (this_cpu()->need_resched)
		sched_yield();
}

static int sleep_common(void *chan, struct spinlock *lk, bool interruptible, uint64_t deadline,
    const void *caller);

int sleep_on(void *chan, struct spinlock *lk, bool interruptible)
{
	return sleep_common(chan, lk, interruptible, CLOCK_NS_FOREVER, __builtin_return_address(0));
}

int sleep_on_deadline(void *chan, struct spinlock *lk, bool interruptible, uint64_t deadline)
{
	return sleep_common(chan, lk, interruptible, deadline, __builtin_return_address(0));
}

/* Both sleeps; caller is who called sleep_on, for the debug report. */
static int sleep_common(void *chan, struct spinlock *lk, bool interruptible, uint64_t deadline,
    const void *caller)
{
	struct proc *p = curproc();
	int err = 0;

	spinlock_assert_none_but(lk, caller);
	if (lk != &proc_table_lock) {
		spinlock_acquire(&proc_table_lock);
		spinlock_release(lk);
	}
	if (interruptible && signal_pending(p)) {
		err = -EINTR;
	} else if (deadline == CLOCK_NS_FOREVER || clock_ns() < deadline) {
		p->wchan = chan;
		p->sleep_interruptible = interruptible;
		p->state = P_SLEEPING;
		list_push_back(sleepq_for(chan), &p->runq);
		p->sleep_deadline = deadline;
		if (deadline != CLOCK_NS_FOREVER)
			timeout_insert(p);
		sched_switch();
		p->wchan = NULL;
		if (list_node_linked(&p->timeout_link))
			list_remove(&p->timeout_link);  /* woken before its deadline */
		if (interruptible && signal_pending(p))
			err = -EINTR;
	}
	if (lk != &proc_table_lock) {
		spinlock_release(&proc_table_lock);
		spinlock_acquire(lk);
	}
	return err;
}

/*
 * Wake every process sleeping on chan.  Callable from interrupt handlers.
 * Code that already holds proc_table_lock calls sched_wakeup_locked().
 *
 * Most wakeups find nobody asleep (a pipe write when the reader is not
 * waiting), so an empty bucket is answered without the scheduler's lock.
 * That cannot miss a sleeper: a sleeper joins its bucket before sleep_on
 * lets go of the lock that guards its condition, and a waker changes the
 * condition before it calls wakeup -- under that same lock, or, on one
 * CPU, in an interrupt that cannot come while the sleeper holds a
 * spinlock.  So when the waker sees the bucket empty, nobody sleeps on
 * chan, and whoever is about to will look at the condition after it
 * changed.  (SMP will need the waker to hold the sleeper's lock, as every
 * waker here does, and the load to be an acquire.)
 */
void wakeup(void *chan)
{
	if (list_empty(sleepq_for(chan)))
		return;
	spinlock_acquire(&proc_table_lock);
	sched_wakeup_locked(chan);
	spinlock_release(&proc_table_lock);
}

int sched_checkpoint(void)
{
	struct proc *p = curproc();
	if (p == NULL)
		return 0;
	sched_maybe_preempt();
	return signal_pending(p) ? -EINTR : 0;
}

int sched_sleep_ns(uint64_t ns)
{
	uint64_t deadline = clock_deadline(ns);
	int err = 0;

	/* Nobody wakes this channel: only the deadline or a signal ends the sleep. */
	spinlock_acquire(&proc_table_lock);
	while (err == 0 && clock_ns() < deadline)
		err = sleep_on_deadline(&curproc()->sleep_deadline, &proc_table_lock, true, deadline);
	spinlock_release(&proc_table_lock);
	return err;
}

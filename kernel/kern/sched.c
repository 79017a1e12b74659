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
 *
 * Several CPUs.  Every CPU runs this loop (sched_run) on its own boot
 * stack, and all take work from the one run queue below.  One queue, not
 * one per CPU with stealing; the figures that decided it are make
 * bench-smp's, two processes on two CPUs against one on one (four runs,
 * TCG on a 2-core host, whose noise the spread shows):
 *
 *   null system calls (never enter the scheduler)    1.15x - 1.84x
 *   sched_yield (nothing but trips through it)       0.38x - 0.70x
 *
 * The queue's lock is the cost, and only work that does nothing but
 * switch pays it; the work this kernel is tested and taught with (system
 * calls, faults, pipes, sockets) takes it to sleep and to wake, a few
 * hundred instructions among thousands.  With two CPUs -- the honest top
 * on the 2-core hosts it runs on -- that does not buy the balancing that
 * queues per CPU need (which CPU's queue a woken process joins, when an
 * idle CPU steals, how affinity survives it); FreeBSD's ULE and Linux pay
 * for it because at 8 or 64 CPUs one lock would be the machine's limit.
 * Any process may run on any CPU; p->cpu records where it last ran (ps
 * shows it).
 *
 * Lost wakeups.  A sleeper joins its sleep queue before it lets go of the
 * lock that guards its condition (sleep_common); a waker changes the
 * condition under that lock.  wakeup()'s comment gives the argument.
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
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/pmap.h"
#include "arch/x86_64/tlb.h"
#include "arch/x86_64/trap.h"

void swtch(struct context **save, struct context *load);

static struct list run_queue = LIST_INIT(run_queue);     /* (t) */

/* CPUs halted in sched_run for want of work: set under (t) before the
 * halt, so a CPU that makes a process runnable (holding (t)) sees it. */
static cpuset_t idle_cpus;                                 /* (a) */

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

static void resched_ipi(struct trapframe *tf);

void sched_init(void)
{
	for (int i = 0; i < SLEEPQ_BUCKETS; i++)
		list_init(&sleepq[i]);
	trap_set_irq_handler(T_IPI_RESCHED, resched_ipi);
}

/*
 * Wake an idle CPU, if there is one other than this, to run what was
 * just queued.  One, not all: the first to take the lock would run the
 * process and the rest would find the queue empty and halt again.  Its
 * bit is cleared here so that the next process queued wakes another.
 * This CPU, if idle, needs nothing: it is in an interrupt that woke it.
 * (t) held.
 */
static void kick_idle_cpu(void)
{
	cpuset_t others = __atomic_load_n(&idle_cpus, __ATOMIC_RELAXED) &
	    ~CPUSET_BIT(this_cpu()->id);
	if (others == 0)
		return;
	int id = __builtin_ctz(others);
	__atomic_fetch_and(&idle_cpus, ~CPUSET_BIT(id), __ATOMIC_RELAXED);
	lapic_send_ipi(cpus[id].apic_id, T_IPI_RESCHED);
}

void sched_make_runnable(struct proc *p)
{
	KASSERT(spinlock_held(&proc_table_lock), "sched_make_runnable: lock not held");
	/* Only its own thread may queue a running process (sched_yield):
	 * queued while it runs on another CPU, it could run on two at once. */
	KASSERT(p->state != P_RUNNING || p == curproc(),
	    "sched_make_runnable: pid %d is running on cpu%d", p->pid, p->cpu);
	if (p->state == P_SLEEPING && list_node_linked(&p->runq))
		list_remove(&p->runq);                          /* off its sleep queue */
	p->state = P_RUNNABLE;
	if (!list_node_linked(&p->runq)) {
		list_push_back(&run_queue, &p->runq);
		if (p != curproc())
			kick_idle_cpu();
	}
}

/*
 * p has something to act on when it next returns to user mode (a signal):
 * if it is running on another CPU, interrupt that CPU, whose way back to
 * user mode then delivers it, instead of waiting for its next tick.
 * (t) held.
 */
void sched_kick(struct proc *p)
{
	spinlock_assert_held(&proc_table_lock);
	if (p->state == P_RUNNING && p->cpu != this_cpu()->id)
		lapic_send_ipi(cpus[p->cpu].apic_id, T_IPI_RESCHED);
}

/* The reschedule IPI: nothing to do but to have interrupted.  An idle
 * CPU leaves its halt and looks at the run queue; a busy one goes back
 * to user mode through trap(), which delivers signals. */
static void resched_ipi(struct trapframe *tf __unused)
{
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

/*
 * Each CPU's scheduler loop, on the stack it booted on: its idle thread.
 * Interrupts are off at the top of every turn, so the lock's release
 * leaves them off, and the halt is entered with `sti; hlt`: sti takes
 * effect after the next instruction, so an IPI sent once this CPU is in
 * idle_cpus wakes the hlt rather than slipping in before it.
 */
void sched_run(void)
{
	struct cpu *c = this_cpu();
	cpuset_t me = CPUSET_BIT(c->id);
	tlb_cpu_online();
	for (;;) {
		intr_disable();
		spinlock_acquire(&proc_table_lock);
		struct proc *p = pick_next();
		if (p != NULL) {
			run(p);
			spinlock_release(&proc_table_lock);
			continue;
		}
		__atomic_fetch_or(&idle_cpus, me, __ATOMIC_RELAXED);
		spinlock_release(&proc_table_lock);
		/* Idle: no process's tables stay loaded here (exit can then free
		 * them without asking this CPU, and shootdowns skip it). */
		pmap_activate(NULL);
		c->idle = true;
		__asm__ volatile("sti; hlt; cli" ::: "memory");
		c->idle = false;
		__atomic_fetch_and(&idle_cpus, ~me, __ATOMIC_RELAXED);
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

/*
 * Every CPU's timer ticks, and ends the time slice of what runs there.
 * Deadlines are the boot CPU's alone: they are global, and one CPU
 * looking at them each tick is enough.
 */
void sched_tick(void)
{
	struct cpu *c = this_cpu();
	c->need_resched = true;
	c->ticks++;
	if (c->idle)
		c->idle_ticks++;
	if (c->id != 0)
		return;
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

/*
 * An interrupt came while a thread ran kernel code with interrupts on.
 * Interrupts on means the thread holds no spinlock -- taking one turns
 * them off, and they stay off until the last is released -- so the
 * per-thread count of spinlocks held, intr_depth (saved and restored with
 * the thread across every switch), is 0, and nothing this CPU does for
 * the thread is half-done.  Such a thread may be switched out here just
 * as at the boundary with user mode, and resumed later on any CPU.  The
 * idle loop (no process) and interrupt handlers (interrupts off) are
 * never preempted, nor is boot code that lends the CPU a process for a
 * moment (proc_start_init): only a thread on its own kernel stack can be
 * switched out, so that is checked too.
 */
void sched_preempt_kernel(void)
{
	struct cpu *c = this_cpu();
	if (c->proc == NULL || !c->need_resched)
		return;
	uint64_t sp = (uint64_t)__builtin_frame_address(0);
	if (sp < c->proc->kstack || sp >= c->proc->kstack + KSTACK_PAGES * PAGE_SIZE)
		return;
	KASSERT(c->intr_depth == 0, "sched_preempt_kernel: %d spinlocks held", c->intr_depth);
	COUNTER_INC(kernel_preemptions);
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
	if (lk != &proc_table_lock)
		spinlock_acquire(&proc_table_lock);
	bool slept = false;
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
		/* Only now, on its sleep queue, may p let go of lk: a waker
		 * takes lk to change the condition, and wakeup() then finds p
		 * (see wakeup for why that matters with several CPUs). */
		if (lk != &proc_table_lock)
			spinlock_release(lk);
		sched_switch();
		p->wchan = NULL;
		if (list_node_linked(&p->timeout_link))
			list_remove(&p->timeout_link);  /* woken before its deadline */
		if (interruptible && signal_pending(p))
			err = -EINTR;
		slept = true;
	}
	if (lk != &proc_table_lock) {
		spinlock_release(&proc_table_lock);
		if (slept)
			spinlock_acquire(lk);   /* not slept: lk is still held */
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
 * changed.
 *
 * With several CPUs that needs two things, and has them.  The waker
 * changes the condition holding the sleeper's lock lk, and calls wakeup
 * holding it or after (every waker here does: an interrupt handler takes
 * the driver's lock too).  And the sleeper joins its bucket *before* it
 * lets go of lk (sleep_common).  Then either the waker took lk before the
 * sleeper did -- and the sleeper sees the new condition and does not
 * sleep -- or after the sleeper let go of it, and the acquire of lk makes
 * the sleeper's place in the bucket visible to the waker's look.  Letting
 * go of lk first and joining the bucket after, as on one CPU, would leave
 * a window in which a waker on another CPU finds the bucket empty and
 * the sleeper then sleeps for ever.
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
	return p != NULL && signal_pending(p) ? -EINTR : 0;
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

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

void sched_make_runnable(struct proc *p)
{
	KASSERT(spinlock_held(&proc_table_lock), "sched_make_runnable: lock not held");
	p->state = P_RUNNABLE;
	if (!list_node_linked(&p->runq))
		list_push_back(&run_queue, &p->runq);
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
	KASSERT(p->state != P_RUNNING, "sched_switch: %s still RUNNING", p->name);
	struct intr_state s = intr_state_save();
	fpu_save(p->fpu);
	swtch(&p->context, this_cpu()->scheduler);
	fpu_restore(p->fpu);
	intr_state_restore(s);
}

void sched_yield(void)
{
	spinlock_acquire(&proc_table_lock);
	sched_make_runnable(curproc());
	sched_switch();
	spinlock_release(&proc_table_lock);
}

void sched_tick(void)
{
	this_cpu()->need_resched = true;
	wakeup((void *)&clock_ticks);           /* timed sleepers re-check their deadline */
}

void sched_maybe_preempt(void)
{
	if (this_cpu()->need_resched)
		sched_yield();
}

int sleep_on(void *chan, struct spinlock *lk, bool interruptible)
{
	struct proc *p = curproc();
	int err = 0;

	if (lk != &proc_table_lock) {
		spinlock_acquire(&proc_table_lock);
		spinlock_release(lk);
	}
	if (interruptible && proc_signal_pending(p)) {
		err = -EINTR;
	} else {
		p->wchan = chan;
		p->sleep_interruptible = interruptible;
		p->state = P_SLEEPING;
		sched_switch();
		p->wchan = NULL;
		if (interruptible && proc_signal_pending(p))
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
 * Code that already holds proc_table_lock calls proc_wakeup_locked().
 */
void wakeup(void *chan)
{
	spinlock_acquire(&proc_table_lock);
	proc_wakeup_locked(chan);
	spinlock_release(&proc_table_lock);
}

int sched_checkpoint(void)
{
	struct proc *p = curproc();
	if (p == NULL)
		return 0;
	sched_maybe_preempt();
	return proc_signal_pending(p) ? -EINTR : 0;
}

int sched_sleep_ns(uint64_t ns)
{
	uint64_t deadline = clock_ns() + ns;
	int err = 0;

	spinlock_acquire(&proc_table_lock);
	while (err == 0 && clock_ns() < deadline)
		err = sleep_on((void *)&clock_ticks, &proc_table_lock, true);
	spinlock_release(&proc_table_lock);
	return err;
}

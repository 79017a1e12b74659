/*
 * sched_test.c - self-tests for kernel threads, sleep/wakeup, sleeping
 * mutexes and timed sleeps.  They run in the "ktest" kernel thread, so the
 * threads they create are its children and are reaped with sys_wait4().
 */
#include "kern/kernel.h"
#include "kern/selftest.h"
#include "kern/proc.h"
#include "kern/sched.h"
#include "kern/mutex.h"
#include "kern/clock.h"
#include "vm/vm_page.h"
#include "vm/kmem.h"

static volatile int flag;
static struct spinlock flag_lock = SPINLOCK_INIT("sched_test");

static void set_flag(void *arg)
{
	flag = (int)(uintptr_t)arg;
}

int test_sched_kthread_runs_and_is_reaped(void)
{
	uint64_t pages = kmem_free_and_heap_pages(), procs = proc_count();
	flag = 0;
	struct proc *p = kthread_create("t-flag", set_flag, (void *)7);
	KTEST_ASSERT(p != NULL, "kthread_create failed");
	pid_t pid = p->pid;
	KTEST_ASSERT(sys_wait4(pid, NULL, 0, NULL) == pid, "wait4 did not reap pid %d", pid);
	KTEST_ASSERT(flag == 7, "the thread did not run (flag %d)", flag);
	KTEST_ASSERT(proc_count() == procs, "process count %lu, expected %lu", proc_count(), procs);
	KTEST_ASSERT(kmem_free_and_heap_pages() == pages, "%ld pages not returned (kernel stack?)",
	    (long)(pages - kmem_free_and_heap_pages()));
	return 0;
}

/* Sleeps until flag is set, then records that it saw it. */
static void wait_for_flag(void *arg)
{
	volatile int *seen = arg;
	spinlock_acquire(&flag_lock);
	while (!flag)
		sleep_on((void *)&flag, &flag_lock, false);
	spinlock_release(&flag_lock);
	*seen = 1;
}

int test_sched_sleep_and_wakeup(void)
{
	static volatile int seen;
	flag = 0;
	seen = 0;
	struct proc *p = kthread_create("t-sleep", wait_for_flag, (void *)&seen);
	KTEST_ASSERT(p != NULL, "kthread_create failed");
	pid_t pid = p->pid;
	for (int i = 0; i < 5; i++)
		sched_yield();                  /* let it run and fall asleep */
	KTEST_ASSERT(p->state == P_SLEEPING && !seen, "thread not asleep (state %d)", p->state);
	spinlock_acquire(&flag_lock);
	flag = 1;
	wakeup((void *)&flag);
	spinlock_release(&flag_lock);
	KTEST_ASSERT(sys_wait4(pid, NULL, 0, NULL) == pid, "wait4 failed");
	KTEST_ASSERT(seen, "woken thread did not see the flag");
	return 0;
}

static struct mutex counter_mutex = MUTEX_INIT(counter_mutex, "sched_test_counter");
static volatile int counter;

/* Read, yield inside the critical section, write: loses updates without the mutex. */
static void bump_counter(void *arg)
{
	for (int i = 0; i < (int)(uintptr_t)arg; i++) {
		mutex_lock(&counter_mutex);
		int v = counter;
		sched_yield();
		counter = v + 1;
		mutex_unlock(&counter_mutex);
	}
}

int test_mutex_excludes_across_yields(void)
{
	counter = 0;
	struct proc *a = kthread_create("t-mutex-a", bump_counter, (void *)200);
	struct proc *b = kthread_create("t-mutex-b", bump_counter, (void *)200);
	KTEST_ASSERT(a && b, "kthread_create failed");
	pid_t pa = a->pid, pb = b->pid;
	KTEST_ASSERT(sys_wait4(pa, NULL, 0, NULL) == pa && sys_wait4(pb, NULL, 0, NULL) == pb,
	    "wait4 failed");
	KTEST_ASSERT(counter == 400, "counter is %d, expected 400: the mutex let two in", counter);
	KTEST_ASSERT(!counter_mutex.locked, "mutex left locked");
	return 0;
}

int test_sched_sleep_ns_sleeps_long_enough(void)
{
	uint64_t t0 = clock_ns();
	KTEST_ASSERT(sched_sleep_ns(30000000) == 0, "sleep interrupted");
	uint64_t dt = clock_ns() - t0;
	KTEST_ASSERT(dt >= 30000000, "slept only %lu ns of 30 ms", dt);
	return 0;
}

/*
 * proc.c - the process table: allocation, kernel stacks, lookup, the first
 * process, kernel threads, and listing for ps.
 *
 * The table is dynamic, as in FreeBSD: a struct proc is kmalloc'd by
 * fork and freed when its parent reaps it.  Three structures find them,
 * all under proc_table_lock:
 *   - allproc, a list of every process (for kill(-1), ps, Ctrl-C);
 *   - pidhash, PIDHASH_BUCKETS chains keyed by pid (kill, wait for a pid);
 *   - each process's children list (wait, and exit handing the children
 *     to init), so neither looks at processes it has no business with.
 * Pids count up to PID_MAX and wrap round, skipping pids in use.
 *
 * Limits.  maxproc, the most processes at once, is one per 64 pages of
 * RAM (within PROC_MAXPROC_MIN..MAX: 1024 with 256 MiB).  Only the
 * superuser may take the last PROC_RESERVED_ROOT of them, so a user who
 * forks until EAGAIN leaves root room to log in and kill the culprit
 * (FreeBSD keeps 10 the same way).  Each user's processes are also
 * counted by real uid (uidinfo.h) against the caller's RLIMIT_NPROC.
 *
 * Kernel stacks are KSTACK_PAGES single pages mapped in the kernel's
 * virtual arena (vm/kva.h) above an unmapped guard page, so a kernel stack
 * overflow faults at once instead of silently corrupting a neighbour, and
 * a stack never needs physically contiguous memory.
 *
 * The top of a process's kernel stack always holds its user-mode trap frame
 * (both the interrupt and the syscall entry build it there), so p->tf is a
 * fixed address per process.
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/string.h"
#include "kern/printf.h"
#include "kern/proc.h"
#include "kern/ksyms.h"
#include "kern/panic.h"
#include "kern/sched.h"
#include "kern/file.h"
#include "kern/fdtable.h"
#include "kern/exec.h"
#include "kern/copyio.h"
#include "kern/counters.h"
#include "kern/uidinfo.h"
#include "kern/rlimit.h"
#include "kern/pgrp.h"
#include "kern/tty.h"
#include "arch/x86_64/trap.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/cpu.h"
#include "vm/vm_page.h"
#include "vm/kmem.h"
#include "vm/kva.h"
#include "vm/vm_map.h"

#define PIDHASH_BUCKETS 256

struct spinlock proc_table_lock = SPINLOCK_INIT("proc_table");
static struct list allproc = LIST_INIT(allproc);        /* (t) */
static struct list pidhash[PIDHASH_BUCKETS];            /* (t) */
static uint64_t nprocs;                                 /* (t) */
static pid_t last_pid;                                  /* (t) */
uint64_t maxproc;                                       /* (c) after proc_init */
struct proc *initproc;

void trapret(void);

uint64_t proc_count(void)
{
	return __atomic_load_n(&nprocs, __ATOMIC_RELAXED);
}

void proc_init(void)
{
	for (int i = 0; i < PIDHASH_BUCKETS; i++)
		list_init(&pidhash[i]);
	maxproc = MIN(MAX(vm_page_total_count() / 64, (uint64_t)PROC_MAXPROC_MIN),
	    (uint64_t)PROC_MAXPROC_MAX);
}

static struct list *pidhash_chain(pid_t pid)
{
	return &pidhash[(unsigned)pid % PIDHASH_BUCKETS];
}

/* The process with this pid in any state, or NULL.  (t) held. */
static struct proc *pid_lookup_locked(pid_t pid)
{
	spinlock_assert_held(&proc_table_lock);
	list_foreach(pidhash_chain(pid), n) {
		struct proc *p = list_entry(n, struct proc, pidhash_link);
		if (p->pid == pid)
			return p;
	}
	return NULL;
}

/* The next free pid.  There are fewer processes than pids, so one exists.  (t) held. */
static pid_t pid_alloc_locked(void)
{
	spinlock_assert_held(&proc_table_lock);
	do
		last_pid = last_pid >= PID_MAX ? 2 : last_pid + 1;
	while (pid_lookup_locked(last_pid) != NULL || pgrp_pid_in_use_locked(last_pid));
	return last_pid;
}

static int kstack_alloc(struct proc *p)
{
	uint64_t base;
	if (kva_alloc(KSTACK_PAGES + 1, &base) != 0)
		return -ENOMEM;
	if (kva_map_new_pages(base + PAGE_SIZE, KSTACK_PAGES, false) != 0) {
		kva_free(base, KSTACK_PAGES + 1);
		return -ENOMEM;
	}
	p->kstack = base + PAGE_SIZE;           /* the page below stays unmapped: the guard */
	return 0;
}

static void kstack_free(struct proc *p)
{
	kva_unmap_free_pages(p->kstack, KSTACK_PAGES);
	kva_free(p->kstack - PAGE_SIZE, KSTACK_PAGES + 1);
	p->kstack = 0;
}

/* Lay out a new kernel stack so that the first switch to it enters
 * proc_forkret and then returns to user mode through trapret with the
 * frame at the top. */
static void kstack_layout(struct proc *p)
{
	uint64_t top = p->kstack + KSTACK_PAGES * PAGE_SIZE;
	p->tf = (struct trapframe *)(top - sizeof(struct trapframe));
	uint64_t *ret = (uint64_t *)p->tf - 1;
	*ret = (uint64_t)trapret;                /* proc_forkret "returns" here */
	p->context = (struct context *)ret - 1;
	memset(p->context, 0, sizeof(*p->context));
	p->context->rip = (uint64_t)proc_forkret;
}

/* Take a slot within maxproc (the last ones for privileged callers only). */
static int proc_enter_table(struct proc *p, bool privileged)
{
	uint64_t room = privileged ? maxproc : maxproc - PROC_RESERVED_ROOT;
	spinlock_acquire(&proc_table_lock);
	if (nprocs >= room) {
		spinlock_release(&proc_table_lock);
		return -EAGAIN;
	}
	nprocs++;
	p->pid = pid_alloc_locked();
	p->state = P_EMBRYO;
	list_push_back(&allproc, &p->allproc_link);
	list_push_back(pidhash_chain(p->pid), &p->pidhash_link);
	spinlock_release(&proc_table_lock);
	return 0;
}

int proc_alloc(uid_t uid, uint64_t nproc_limit, bool privileged, struct proc **pp)
{
	long limit = nproc_limit >= (uint64_t)INT64_MAX ? UIDINFO_NO_LIMIT : (long)nproc_limit;
	int err = uidinfo_charge(uid, UI_PROCS, 1, limit);
	if (err)
		return err == -EDQUOT ? -EAGAIN : err;
	struct proc *p = kmalloc(sizeof(*p), KM_ZERO);
	if (p == NULL) {
		uidinfo_charge(uid, UI_PROCS, -1, UIDINFO_NO_LIMIT);
		return -ENOMEM;
	}
	p->lock = &proc_table_lock;
	p->uid = uid;
	list_init(&p->children);
	list_init(&p->close_deferred);
	err = proc_enter_table(p, privileged);
	if (err) {
		uidinfo_charge(uid, UI_PROCS, -1, UIDINFO_NO_LIMIT);
		kfree(p);
		return err;
	}
	if (kstack_alloc(p) != 0) {
		proc_free(p);
		return -ENOMEM;
	}
	kstack_layout(p);
	*pp = p;
	return 0;
}

/* Release a process: a reaped zombie or a failed EMBRYO.  It must not be
 * running or on the run queue, and must have no children left. */
void proc_free(struct proc *p)
{
	KASSERT(list_empty(&p->children), "proc_free: pid %d still has children", p->pid);
	if (p->kstack)
		kstack_free(p);
	spinlock_acquire(&proc_table_lock);
	list_remove(&p->allproc_link);
	list_remove(&p->pidhash_link);
	pgrp_leave_locked(p);
	if (p->parent != NULL)
		list_remove(&p->sibling);
	nprocs--;
	spinlock_release(&proc_table_lock);
	uidinfo_charge(p->uid, UI_PROCS, -1, UIDINFO_NO_LIMIT);
	kfree(p);
}

void proc_set_parent_locked(struct proc *p, struct proc *parent)
{
	spinlock_assert_held(&proc_table_lock);
	KASSERT(spinlock_held(&proc_table_lock), "proc_set_parent_locked: lock not held");
	if (p->parent != NULL)
		list_remove(&p->sibling);
	p->parent = parent;
	list_push_back(&parent->children, &p->sibling);
}

int proc_change_ruid(struct proc *p, uid_t uid)
{
	if (uid == p->uid)
		return 0;
	int err = uidinfo_charge(uid, UI_PROCS, 1, UIDINFO_NO_LIMIT);
	if (err)
		return err;
	uidinfo_charge(p->uid, UI_PROCS, -1, UIDINFO_NO_LIMIT);
	p->uid = uid;
	return 0;
}

/* A new process's first instructions: leave the scheduler's lock, then
 * trapret (a kernel thread: its function).  The scheduler took the lock
 * with interrupts off, so its release leaves them off: a new thread
 * starts with them on. */
void proc_forkret(void)
{
	spinlock_release(&proc_table_lock);
	intr_enable();
}

struct proc *proc_find(pid_t pid)
{
	KASSERT(spinlock_held(&proc_table_lock), "proc_find: lock not held");
	struct proc *p = pid_lookup_locked(pid);
	return p != NULL && p->state != P_EMBRYO ? p : NULL;
}

/* Calls that walk every process for their answer. */
void proc_foreach_locked(void (*fn)(struct proc *p, void *arg), void *arg)
{
	spinlock_assert_held(&proc_table_lock);
	KASSERT(spinlock_held(&proc_table_lock), "proc_foreach_locked: lock not held");
	list_foreach(&allproc, n) {
		struct proc *p = list_entry(n, struct proc, allproc_link);
		if (p->state != P_EMBRYO)
			fn(p, arg);
	}
}

void proc_start_init(const char *cmdline)
{
	struct proc *p;
	if (proc_alloc(0, RLIM_INFINITY, true, &p) != 0)
		panic("proc_start_init: no process slot for init");
	rlimit_init_defaults(p->rlim);
	p->fdtable = fdtable_alloc();
	if (p->fdtable == NULL)
		panic("proc_start_init: no memory for init's descriptor table");
	initproc = p;
	pgrp_init_first(p);             /* group 1, session 1 */
	char *argv[] = { "/bin/init", (char *)cmdline, NULL };
	char *envp[] = { "PATH=/bin", "HOME=/", NULL };
	int err = exec_image(p, "/bin/init", argv, envp);
	if (err != 0)
		panic("proc_start_init: cannot exec /bin/init: error %d", err);
	/* Open fds 0, 1, 2 as init would: tty_console_open_stdio() installs
	 * into the current process's table, so let init be "current" for the
	 * call.  The console becomes session 1's controlling terminal. */
	this_cpu()->proc = p;
	err = tty_console_open_stdio();
	this_cpu()->proc = NULL;
	if (err != 0)
		panic("proc_start_init: cannot open the console: error %d", err);
	spinlock_acquire(&proc_table_lock);
	sched_make_runnable(p);
	spinlock_release(&proc_table_lock);
}

/* A kernel thread starts here: proc_forkret "returns" into it instead of trapret. */
static void kthread_start(void)
{
	struct proc *p = curproc();
	void (*fn)(void *) = (void (*)(void *))p->tf->rdi;
	fn((void *)p->tf->rsi);
	proc_exit(0);
}

struct proc *kthread_create(const char *name, void (*fn)(void *), void *arg)
{
	struct proc *p;
	if (proc_alloc(0, RLIM_INFINITY, true, &p) != 0)
		return NULL;
	strlcpy(p->name, name, sizeof(p->name));
	rlimit_init_defaults(p->rlim);
	p->tf->rdi = (uint64_t)fn;
	p->tf->rsi = (uint64_t)arg;
	/* Return from proc_forkret into kthread_start instead of trapret. */
	((uint64_t *)p->tf)[-1] = (uint64_t)kthread_start;
	spinlock_acquire(&proc_table_lock);
	/* A thread made by another process is its child and must be reaped
	 * with wait4; one made at boot belongs to init, like an orphan (or to
	 * nobody before init exists: the self-tests' thread is never reaped). */
	struct proc *parent = curproc() ? curproc() : initproc;
	if (parent != NULL)
		proc_set_parent_locked(p, parent);
	sched_make_runnable(p);
	spinlock_release(&proc_table_lock);
	return p;
}

/*
 * For a panic report, once the other CPUs are stopped: a line per process
 * and, for each one switched out, the kernel backtrace it sleeps or waits
 * in -- a hang's whole story.  Takes no lock (its holder may be why we
 * panic) and stops after PROC_DUMP_MAX processes.
 */
#define PROC_DUMP_MAX 64

void proc_dump(void)
{
	static const char *const state_name[] = { [P_UNUSED] = "unused",
		[P_EMBRYO] = "embryo", [P_RUNNABLE] = "runnable", [P_RUNNING] = "running",
		[P_SLEEPING] = "sleeping", [P_ZOMBIE] = "zombie" };
	int n = 0;
	kprintf("processes:\n");
	list_foreach(&allproc, node) {
		struct proc *p = list_entry(node, struct proc, allproc_link);
		if (n++ == PROC_DUMP_MAX) {
			kprintf("  ... and more\n");
			break;
		}
		/* A channel is named only when it is near a symbol (the table
		 * holds functions: most channels are data, printed raw). */
		uint64_t off = 0;
		const char *chan = p->wchan ? ksyms_lookup((uint64_t)p->wchan, &off) : NULL;
		if (off >= PAGE_SIZE)
			chan = NULL;
		kprintf("pid %d %s: %s%s on cpu %d", p->pid, p->name,
		    (unsigned)p->state <= P_ZOMBIE ? state_name[p->state] : "?",
		    p->stopped ? " (stopped)" : "", p->cpu);
		if (p->state == P_SLEEPING && chan != NULL)
			kprintf(", waiting on %s+0x%lx", chan, off);
		else if (p->state == P_SLEEPING)
			kprintf(", waiting on %p", p->wchan);
		kprintf("\n");
		if ((p->state == P_SLEEPING || p->state == P_RUNNABLE) && p->context != NULL)
			backtrace_print(p->context->rip, p->context->rbp);
	}
}

struct kprocs_walk {
	struct kproc *buf;
	int max, n;
};

static void kprocs_one(struct proc *p, void *arg)
{
	static const char state_char[] = { [P_RUNNABLE] = 'R', [P_RUNNING] = 'R',
		[P_SLEEPING] = 'S', [P_ZOMBIE] = 'Z', [P_EMBRYO] = 'E', [P_UNUSED] = '?' };
	struct kprocs_walk *w = arg;
	if (w->n >= w->max)
		return;
	struct kproc *k = &w->buf[w->n++];
	memset(k, 0, sizeof(*k));
	k->pid = p->pid;
	k->ppid = p->parent ? p->parent->pid : 0;
	k->uid = p->uid;
	k->state = p->stopped ? 'T' : state_char[p->state];    /* T: stopped by a signal */
	k->cpu = (unsigned char)p->cpu;
	strlcpy(k->name, p->name, sizeof(k->name));
	if (p->vmspace) {
		k->vsize = vmspace_virtual_size(p->vmspace);
		k->rss = vmspace_resident_pages(p->vmspace);
	}
}

long sys_kprocs(void *ubuf, int max)
{
	if (max < 0)
		return -EINVAL;
	max = (int)MIN((uint64_t)max, maxproc);
	struct kproc *buf = kmalloc(sizeof(struct kproc) * (max ? max : 1), KM_ZERO);
	if (buf == NULL)
		return -ENOMEM;
	struct kprocs_walk w = { buf, max, 0 };
	spinlock_acquire(&proc_table_lock);
	proc_foreach_locked(kprocs_one, &w);
	spinlock_release(&proc_table_lock);
	int err = copyout(buf, ubuf, sizeof(struct kproc) * w.n);
	kfree(buf);
	return err ? err : w.n;
}

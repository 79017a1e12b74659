/*
 * proc.c - the process table: allocation, kernel stacks, lookup, the first
 * process, kernel threads, and listing for ps.
 *
 * Kernel stacks live in their own region (KSTACK_BASE): slot i of the
 * table owns [KSTACK_BASE + i*STRIDE, +STRIDE), whose lowest page is left
 * unmapped as a guard, so a kernel stack overflow faults at once instead of
 * silently corrupting a neighbour.  The stack pages are allocated when the
 * slot is taken and freed when the process is reaped.
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
#include "kern/sched.h"
#include "kern/file.h"
#include "kern/fdtable.h"
#include "kern/exec.h"
#include "kern/copyio.h"
#include "kern/counters.h"
#include "arch/x86_64/trap.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/pmap.h"
#include "arch/x86_64/pte.h"
#include "dev/console.h"
#include "vm/vm_page.h"
#include "vm/kmem.h"
#include "vm/vm_map.h"

#define KSTACK_STRIDE ((KSTACK_PAGES + 1) * PAGE_SIZE)

struct spinlock proc_table_lock = SPINLOCK_INIT("proc_table");
static struct proc proc_table[NPROC];  /* (t) */
static pid_t next_pid = 1;             /* (t) */
struct proc *initproc;

void trapret(void);

struct proc *curproc(void)
{
	return this_cpu()->proc;
}

uint64_t proc_count(void)
{
	uint64_t n = 0;
	spinlock_acquire(&proc_table_lock);
	for (int i = 0; i < NPROC; i++)
		if (proc_table[i].state != P_UNUSED)
			n++;
	spinlock_release(&proc_table_lock);
	return n;
}

static int kstack_map(uint64_t base)
{
	for (int i = 0; i < KSTACK_PAGES; i++) {
		struct vm_page *m = vm_page_alloc(0);
		if (m == NULL || pmap_kenter(base + i * PAGE_SIZE, VM_PAGE_TO_PHYS(m), PTE_W | PTE_NX) != 0) {
			if (m)
				vm_page_free(m);
			return -ENOMEM;
		}
	}
	return 0;
}

static void kstack_unmap(uint64_t base)
{
	for (int i = 0; i < KSTACK_PAGES; i++) {
		uint64_t va = base + i * PAGE_SIZE, pa = pmap_kextract(va);
		if (pa == 0)
			continue;
		pmap_kremove(va);
		vm_page_free(PHYS_TO_VM_PAGE(pa));
	}
}

/*
 * Take a free slot, give it a pid and a kernel stack, and lay out the stack
 * so the first switch to it enters proc_forkret and then returns to user
 * mode through trapret with the frame at the top.  Returns NULL when the
 * table is full or memory is short (the caller reports EAGAIN/ENOMEM).
 */
struct proc *proc_alloc(void)
{
	struct proc *p = NULL;
	spinlock_acquire(&proc_table_lock);
	for (int i = 0; i < NPROC && p == NULL; i++)
		if (proc_table[i].state == P_UNUSED)
			p = &proc_table[i];
	if (p != NULL) {
		memset(p, 0, sizeof(*p));
		list_init(&p->close_deferred);
		p->state = P_EMBRYO;
		p->pid = next_pid++;
	}
	spinlock_release(&proc_table_lock);
	if (p == NULL)
		return NULL;

	p->lock = &proc_table_lock;
	p->kstack = KSTACK_BASE + (p - proc_table) * KSTACK_STRIDE + PAGE_SIZE;
	if (kstack_map(p->kstack) != 0) {
		proc_free(p);
		return NULL;
	}
	uint64_t top = p->kstack + KSTACK_PAGES * PAGE_SIZE;
	p->tf = (struct trapframe *)(top - sizeof(struct trapframe));
	uint64_t *ret = (uint64_t *)p->tf - 1;
	*ret = (uint64_t)trapret;                /* proc_forkret "returns" here */
	p->context = (struct context *)ret - 1;
	memset(p->context, 0, sizeof(*p->context));
	p->context->rip = (uint64_t)proc_forkret;
	return p;
}

/* Release a slot.  The process must not be running or on the run queue. */
void proc_free(struct proc *p)
{
	if (p->kstack)
		kstack_unmap(p->kstack);
	spinlock_acquire(&proc_table_lock);
	p->kstack = 0;
	p->state = P_UNUSED;
	p->pid = 0;
	spinlock_release(&proc_table_lock);
}

/* A new process's first instructions: leave the scheduler's lock, then trapret. */
void proc_forkret(void)
{
	spinlock_release(&proc_table_lock);
}

struct proc *proc_find(pid_t pid)
{
	KASSERT(spinlock_held(&proc_table_lock), "proc_find: lock not held");
	for (int i = 0; i < NPROC; i++)
		if (proc_table[i].state != P_UNUSED && proc_table[i].state != P_EMBRYO &&
		    proc_table[i].pid == pid)
			return &proc_table[i];
	return NULL;
}

/* Calls that walk the table for their answer. */
void proc_foreach_locked(void (*fn)(struct proc *p, void *arg), void *arg)
{
	for (int i = 0; i < NPROC; i++)
		if (proc_table[i].state != P_UNUSED && proc_table[i].state != P_EMBRYO)
			fn(&proc_table[i], arg);
}

void proc_start_init(const char *cmdline)
{
	struct proc *p = proc_alloc();
	if (p == NULL)
		panic("proc_start_init: no process slot for init");
	p->fdtable = fdtable_alloc();
	if (p->fdtable == NULL)
		panic("proc_start_init: no memory for init's descriptor table");
	initproc = p;
	char *argv[] = { "/bin/init", (char *)cmdline, NULL };
	char *envp[] = { "PATH=/bin", "HOME=/", NULL };
	int err = exec_image(p, "/bin/init", argv, envp);
	if (err != 0)
		panic("proc_start_init: cannot exec /bin/init: error %d", err);
	/* Open fds 0, 1, 2 as init would: console_open_stdio() installs into
	 * the current process's table, so let init be "current" for the call. */
	this_cpu()->proc = p;
	err = console_open_stdio();
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
	struct proc *p = proc_alloc();
	if (p == NULL)
		return NULL;
	strlcpy(p->name, name, sizeof(p->name));
	/* A thread made by another process is its child and must be reaped
	 * with wait4; one made at boot belongs to init, like an orphan. */
	p->parent = curproc() ? curproc() : initproc;
	p->tf->rdi = (uint64_t)fn;
	p->tf->rsi = (uint64_t)arg;
	/* Return from proc_forkret into kthread_start instead of trapret. */
	((uint64_t *)p->tf)[-1] = (uint64_t)kthread_start;
	spinlock_acquire(&proc_table_lock);
	sched_make_runnable(p);
	spinlock_release(&proc_table_lock);
	return p;
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
	k->state = state_char[p->state];
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
	max = MIN(max, NPROC);
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

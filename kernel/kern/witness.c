/*
 * witness.c - the lock-order checker (debug builds only; see witness.h).
 *
 * How it works.
 *
 *   Classes.  A lock's class is its name string.  The first time a lock is
 *   taken, its name is looked up in (or added to) a fixed table of
 *   WITNESS_CLASSES classes, and the class number is cached in the lock.
 *   Two locks with the same name are the same class, so the checker learns
 *   about "every pipe lock", not about one pipe.
 *
 *   Held lists.  A spinlock belongs to the CPU (it is never held across a
 *   sleep: the scheduler's own proc_table_lock is handed from the thread
 *   that switches away to the one that resumes, on the same CPU).  A mutex
 *   belongs to a thread (it may be held across a sleep), so each struct proc
 *   carries its own list; before the first process runs, a boot list stands
 *   in.  Each entry keeps WITNESS_FRAMES return addresses of where the lock
 *   was taken, for the report.
 *
 *   Orders.  Taking a lock of class B while holding one of class A records
 *   A->B in a bit matrix, and, the first time, the two acquisition sites in
 *   a small table of edges.  If B->A is already in the matrix, the kernel
 *   has now taken the pair both ways round: two threads doing the two
 *   halves at once would deadlock.  Panic, printing all four sites.
 *
 *   Only *direct* reversals are caught: A->B then B->A.  A cycle through a
 *   third class (A->B, B->C, then C->A) is not; catching it means keeping
 *   the transitive closure of the matrix, which is left for later.  Every
 *   held lock, not just the last one taken, is paired with the new one, so
 *   A->B is learnt even with another lock taken in between.
 *
 *   Also caught: a spinlock or mutex taken again by the CPU/thread that
 *   holds it; two locks of one class held together (unless the class is
 *   WITNESS_DUPOK, when the caller keeps an order within it, as the VM does
 *   top-down along a shadow chain); a mutex taken with a spinlock held
 *   (mutex_lock may sleep); a sleep with a spinlock held; an unlock by a
 *   CPU/thread that does not hold the lock.
 *
 *   A try-lock records no order (it cannot wait, so it cannot deadlock:
 *   that is how code takes a lock against the order) but is held like any
 *   other.
 *
 * Invariants.
 *   - Each hook runs with interrupts off (intr_push), so it stays on one
 *     CPU and no interrupt on that CPU runs a hook half-way through it.
 *     The shared tables have their own lock, tables_lock, a bare word the
 *     checker does not check; a CPU's spinlocks are listed in its struct
 *     cpu and a thread's mutexes in its struct proc, which only that CPU
 *     or thread touches.
 *   - Once it reports, or once the kernel panics, it stops checking: the
 *     report itself prints through the console, whose lock would come back
 *     here.
 *   - Interrupt handlers run on the interrupted thread and take only
 *     spinlocks, so the only orders they add are mutex->spinlock ones;
 *     those can only be reversed by taking a mutex under a spinlock, which
 *     is an error on its own.  So sharing the thread's list is sound.
 */
#include "kern/kernel.h"
#include "kern/witness.h"

#ifdef KERNEL_DEBUG
#include "kern/spinlock.h"
#include "kern/proc.h"
#include "kern/panic.h"
#include "kern/printf.h"
#include "kern/string.h"
#include "kern/ksyms.h"
#include "dev/console.h"
#include "arch/x86_64/percpu.h"

#define WITNESS_CLASSES  128
#define WITNESS_EDGES    512

struct witness_class {
	const char *name;
	bool dupok;             /* two of the class may be held together */
};

/* The first time A->B was seen: where A and then B were taken. */
struct witness_edge {
	uint16_t from, to;
	uintptr_t from_pcs[WITNESS_FRAMES];
	uintptr_t to_pcs[WITNESS_FRAMES];
};

static struct witness_class classes[WITNESS_CLASSES];  /* [0] unused: "not looked up" */
static int nclasses = 1;
static uint64_t order[WITNESS_CLASSES][WITNESS_CLASSES / 64];  /* bit [a][b]: a then b */
static struct witness_edge edges[WITNESS_EDGES];
static int nedges;

static struct witness_thread boot_thread;       /* mutexes held before any process runs */

/*
 * The tables above (classes, order, edges) are shared by every CPU, so
 * they have a lock: a bare test-and-set word, not a struct spinlock,
 * because a spinlock would come back here to be checked.  It is taken
 * with interrupts off (every hook runs inside intr_push) and held for a
 * table lookup.  The held lists need no lock: a CPU's spinlocks are in
 * its own struct cpu, a thread's mutexes in its own struct proc.
 */
static volatile int tables_lock;

static void tables_acquire(void)
{
	while (__atomic_exchange_n(&tables_lock, 1, __ATOMIC_ACQUIRE) != 0)
		spin_wait();
}

static void tables_release(void)
{
	__atomic_store_n(&tables_lock, 0, __ATOMIC_RELEASE);
}

static bool witness_off;                        /* reported, or panicking: stop */

static bool order_get(int a, int b)
{
	return (order[a][b / 64] >> (b % 64)) & 1;
}

static void order_set(int a, int b)
{
	order[a][b / 64] |= 1ull << (b % 64);
}

static bool checking(unsigned flags)
{
	return !witness_off && !panicking && !(flags & WITNESS_NONE);
}

static struct witness_thread *thread_list(void)
{
	struct proc *p = curproc();
	return p ? &p->witness : &boot_thread;
}

/*
 * Where a lock is taken: backtrace_capture called straight from a hook
 * skips 2 frames (the hook's caller, spinlock_acquire or mutex_lock, and
 * the hook itself), so pcs[0] is in the code that took the lock.  The hooks
 * are called from spinlock.c and mutex.c never as their last call, which
 * the compiler would turn into a jump that leaves no frame.
 */
#define SITE_SKIP 2

static void print_site(const char *what, const char *name, const uintptr_t *pcs)
{
	kprintf("  %s \"%s\" at:\n", what, name);
	backtrace_print_pcs(pcs, WITNESS_FRAMES);
}

/* Begin a report: from here on the checker is off and the console unlocked. */
static void report_begin(void)
{
	witness_off = true;
	console_panic_mode();
}

static int class_of(const char *name, uint16_t *cls, unsigned flags)
{
	if (*cls == 0) {
		int i;
		for (i = 1; i < nclasses; i++)
			if (classes[i].name == name || strcmp(classes[i].name, name) == 0)
				break;
		if (i == nclasses) {
			if (nclasses == WITNESS_CLASSES) {
				report_begin();
				panic("witness: more than %d lock classes: raise WITNESS_CLASSES "
				    "(taking \"%s\")", WITNESS_CLASSES - 1, name);
			}
			classes[nclasses++].name = name;
		}
		*cls = (uint16_t)i;
	}
	if (flags & WITNESS_DUPOK)
		classes[*cls].dupok = true;
	return *cls;
}

static const struct witness_edge *edge_find(int from, int to)
{
	for (int i = 0; i < nedges; i++)
		if (edges[i].from == from && edges[i].to == to)
			return &edges[i];
	return NULL;
}

static void __attribute__((noreturn)) report_reversal(const struct witness_held *h,
    const char *name, int a, int b, const uintptr_t *now)
{
	char msg[200];
	report_begin();
	ksnprintf(msg, sizeof(msg),
	    "witness: lock order reversal: \"%s\" then \"%s\" here, but \"%s\" then \"%s\" before",
	    classes[a].name, classes[b].name, classes[b].name, classes[a].name);
	kprintf("\n%s\n", msg);
	print_site("here, first", h->name, h->pcs);
	print_site("here, then", name, now);
	const struct witness_edge *e = edge_find(b, a);
	if (e) {
		print_site("before, first", classes[b].name, e->from_pcs);
		print_site("before, then", classes[a].name, e->to_pcs);
	} else {
		kprintf("  (the earlier sites were not kept: raise WITNESS_EDGES)\n");
	}
	panic("%s", msg);
}

static void __attribute__((noreturn)) report_held(const char *why, const struct witness_held *h,
    const char *name, const uintptr_t *now)
{
	char msg[200];
	report_begin();
	ksnprintf(msg, sizeof(msg), "witness: %s", why);
	kprintf("\n%s\n", msg);
	print_site("held", h->name, h->pcs);
	print_site("taken now", name, now);
	panic("%s", msg);
}

/* Is `name` (class b) allowed after held lock h?  Records the order if so. */
static void check_one(const struct witness_held *h, const void *lock, const char *name,
    int b, unsigned flags, const uintptr_t *now)
{
	char why[160];
	int a = h->cls;

	if (h->lock == lock) {
		ksnprintf(why, sizeof(why), "%s \"%s\" taken recursively",
		    (flags & WITNESS_SPIN) ? "spinlock" : "mutex", name);
		report_held(why, h, name, now);
	}
	if ((flags & WITNESS_SLEEP) && (h->flags & WITNESS_SPIN)) {
		ksnprintf(why, sizeof(why), "mutex \"%s\" taken with spinlock \"%s\" held "
		    "(taking a mutex may sleep)", name, h->name);
		report_held(why, h, name, now);
	}
	if (a == b) {
		if (classes[a].dupok)
			return;
		ksnprintf(why, sizeof(why), "two locks of class \"%s\" held at once (if that is "
		    "meant, give the class WITNESS_DUPOK and an order)", name);
		report_held(why, h, name, now);
	}
	if (order_get(b, a))
		report_reversal(h, name, a, b, now);
	if (!order_get(a, b)) {
		order_set(a, b);
		if (nedges < WITNESS_EDGES) {
			struct witness_edge *e = &edges[nedges++];
			e->from = (uint16_t)a;
			e->to = (uint16_t)b;
			memcpy(e->from_pcs, h->pcs, sizeof(e->from_pcs));
			memcpy(e->to_pcs, now, sizeof(e->to_pcs));
		}
	}
}

void witness_checkorder(const void *lock, const char *name, uint16_t *cls, unsigned flags)
{
	if (!checking(flags))
		return;
	uintptr_t now[WITNESS_FRAMES];
	backtrace_capture(now, WITNESS_FRAMES, SITE_SKIP);
	intr_push();
	struct cpu *c = this_cpu();
	tables_acquire();
	int b = class_of(name, cls, flags);
	for (int i = 0; i < c->witness_nheld; i++)
		check_one(&c->witness_held[i], lock, name, b, flags, now);
	struct witness_thread *t = thread_list();
	for (int i = 0; i < t->n; i++)
		check_one(&t->held[i], lock, name, b, flags, now);
	tables_release();
	intr_pop();
}

void witness_lock(const void *lock, const char *name, uint16_t *cls, unsigned flags)
{
	if (!checking(flags))
		return;
	struct witness_held h = { lock, name, 0, (uint16_t)flags, { 0 } };
	backtrace_capture(h.pcs, WITNESS_FRAMES, SITE_SKIP);
	intr_push();
	struct cpu *c = this_cpu();
	tables_acquire();
	h.cls = (uint16_t)class_of(name, cls, flags);
	tables_release();
	if (flags & WITNESS_SPIN) {
		if (c->witness_nheld == WITNESS_CPU_HELD) {
			report_begin();
			panic("witness: spinlock \"%s\": more than %d spinlocks held", name,
			    WITNESS_CPU_HELD);
		}
		c->witness_held[c->witness_nheld++] = h;
	} else {
		struct witness_thread *t = thread_list();
		if (t->n == WITNESS_THREAD_HELD) {
			report_begin();
			panic("witness: mutex \"%s\": more than %d mutexes held", name,
			    WITNESS_THREAD_HELD);
		}
		t->held[t->n++] = h;
	}
	intr_pop();
}

/* The entry for lock in list[0..n), or -1. */
static int held_find(const struct witness_held *list, int n, const void *lock)
{
	for (int i = n - 1; i >= 0; i--)
		if (list[i].lock == lock)
			return i;
	return -1;
}

void witness_unlock(const void *lock, const char *name, unsigned flags)
{
	if (!checking(flags))
		return;
	intr_push();
	struct cpu *c = this_cpu();
	struct witness_held *list = c->witness_held;
	int *n = &c->witness_nheld;
	if (flags & WITNESS_SLEEP) {
		struct witness_thread *t = thread_list();
		list = t->held;
		n = &t->n;
	}
	int i = held_find(list, *n, lock);
	if (i < 0) {
		struct proc *p = curproc();
		report_begin();
		if (flags & WITNESS_SPIN)
			panic("witness: spinlock \"%s\" released by a CPU that does not hold it",
			    name);
		panic("witness: mutex \"%s\" unlocked by %s (pid %d), which does not hold it",
		    name, p ? p->name : "boot", p ? p->pid : 0);
	}
	for (; i < *n - 1; i++)
		list[i] = list[i + 1];
	(*n)--;
	intr_pop();
}

bool witness_held(const void *lock, unsigned flags)
{
	if (flags & WITNESS_SPIN) {
		/* Interrupts off: a thread that holds no spinlock could be moved
		 * to another CPU half-way through, and look at its list. */
		intr_push();
		struct cpu *c = this_cpu();
		bool held = held_find(c->witness_held, c->witness_nheld, lock) >= 0;
		intr_pop();
		return held;
	}
	struct witness_thread *t = thread_list();
	return held_find(t->held, t->n, lock) >= 0;
}

void witness_assert_held(const void *lock, const char *name, unsigned flags)
{
	if (!checking(flags) || witness_held(lock, flags))
		return;
	report_begin();
	panic("witness: %s \"%s\" is not held by this %s", (flags & WITNESS_SPIN) ?
	    "spinlock" : "mutex", name, (flags & WITNESS_SPIN) ? "CPU" : "thread");
}

void witness_assert_sleepable(const void *allowed, const void *where)
{
	if (witness_off || panicking)
		return;
	intr_push();                    /* this CPU's list, for the whole look */
	struct cpu *c = this_cpu();
	for (int i = 0; i < c->witness_nheld; i++) {
		const struct witness_held *h = &c->witness_held[i];
		if (h->lock == allowed)
			continue;
		uint64_t off1 = 0, off2 = 0;
		const char *at = ksyms_lookup((uint64_t)where, &off1);
		const char *taken = ksyms_lookup((uint64_t)h->pcs[0], &off2);
		report_begin();
		kprintf("\nwitness: sleeping with spinlock \"%s\" held\n", h->name);
		print_site("held", h->name, h->pcs);
		panic("sleeping at %s+%#lx with spinlock %s held, taken at %s+%#lx",
		    at ? at : "?", off1, h->name, taken ? taken : "?", off2);
	}
	intr_pop();
}
#endif

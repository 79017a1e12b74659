/*
 * vm_pageout.c - the pageout daemon: keeping memory free by writing pages
 * to swap and freeing them.
 *
 * Three thresholds of free pages, set at boot from the size of memory:
 *
 *   vm_free_high      the daemon works until free memory is back up here;
 *   vm_free_low       an allocation that leaves less than this wakes it;
 *   vm_free_reserved  user-data allocations (VM_ALLOC_NORMAL) fail below
 *                     this, so the kernel's own, which cannot wait (page
 *                     tables, the heap, kernel stacks), always find a page.
 *
 * A fault whose allocation fails sleeps in vm_page_wait until the daemon
 * has made a pass, then tries again.  When a whole pass frees nothing --
 * no swap disk, the swap disk full, or every page wired or busy -- the
 * waiters are told so and their faults fail: the process that faulted is
 * killed ("out of memory", or "out of swap" when there is a swap disk).
 * The faulting process is the one chosen because it is the one asking for
 * memory now and its death is predictable; Linux instead picks the process
 * with the most memory, FreeBSD the biggest, which frees more but may kill
 * a bystander.
 *
 * The queues.  Every page owned by an object and not wired is on the
 * active queue (recently used) or the inactive queue (candidates).  A pass:
 *
 *   1. refill: while the inactive queue holds less than a third of all
 *      queued pages, take pages from the head of the active queue; under
 *      the clock policy a page referenced since it was last looked at (its
 *      PG_REFERENCED flag, or an accessed bit in one of its mappings, read
 *      through the reverse map) gets a second chance -- the bits are
 *      cleared and it goes to the tail -- and the others go inactive;
 *   2. scan the inactive queue from the head: a referenced page goes back
 *      to the active queue (reactivated); a clean page whose copy on swap
 *      is good is unmapped and freed at once; a dirty page (or one with no
 *      copy) is laundered: it and up to 15 dirty neighbours in its object
 *      (consecutive indices, inactive, not busy) are made busy, write-
 *      protected in every pmap (so nobody changes them under the write;
 *      a write fault waits), written to swap in one request (put_pages),
 *      and unmapped and freed when the write succeeds.  A failed write leaves them dirty for
 *      a later pass; a full swap disk stops laundering for the pass.
 *
 * Policies (kernel command line pageout=): `clock` (second chance, the
 * default, above), `fifo` (references ignored: pages leave in the order
 * they came), `random` (victims are picked at random among all queued
 * pages).  A course can compare their page-out counts on one workload.
 *
 * The kernel is not preemptive, so the daemon gives the CPU up by itself:
 * at the end of every pass (the faults it woke must get to run before it
 * looks at their need again) and whenever its time slice is over in the
 * middle of a scan.
 *
 * Finding pages before their objects goes against the lock order (object,
 * then queues), so the daemon only try-locks an object
 * (vm_page_queue_next) and passes over a page whose object is busy.  It
 * leaves alone wired pages (kernel pages, page tables, the heap and DMA
 * buffers are never on a queue at all), busy pages, pages a process that
 * called mlockall maps, and pages of objects already dying.  While it writes, the pages are busy and the object's
 * paging_in_progress is up, so nobody frees either meanwhile.
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/string.h"
#include "kern/printf.h"
#include "kern/proc.h"
#include "kern/sched.h"
#include "kern/clock.h"
#include "kern/cmdline.h"
#include "kern/counters.h"
#include "vm/vm_pageout.h"
#include "vm/vm_page.h"
#include "vm/vm_object.h"
#include "vm/vm_pager.h"
#include "arch/x86_64/pmap.h"
#include "uapi/mman.h"

#define CLUSTER_MAX     16              /* pages in one write */
#define IDLE_NS         250000000ull    /* the daemon looks anyway this often */
#define BACKOFF_MAX_NS  4000000000ull   /* ... or this seldom, after passes in vain */
#define WAIT_MARGIN     16              /* pages a fault may need: its own, tables, heap */

uint64_t vm_free_reserved, vm_free_low, vm_free_high;
static enum vm_pageout_policy policy = PAGEOUT_CLOCK;

/* Locking: (w) pageout_lock. */
static struct spinlock pageout_lock = SPINLOCK_INIT("pageout");
static int waiters;                     /* (w) threads in vm_page_wait */
static uint64_t passes;                 /* (w) passes completed */
static bool last_pass_stuck;            /* (w) the last pass freed nothing */
static bool last_pass_store_full;       /* (w) ... and found the backing store full */
static bool daemon_sleeping;            /* (w) */
static uint64_t random_seed = 0x243f6a8885a308d3ull;    /* daemon only */
static bool store_full;                 /* daemon only: this pass met -ENOSPC */

static const char *const policy_names[] = {
	[PAGEOUT_CLOCK] = "clock", [PAGEOUT_FIFO] = "fifo", [PAGEOUT_RANDOM] = "random",
};

static bool memory_short(void)
{
	return vm_page_free_count() < vm_free_low;
}

/* ------------------------------------------------------------ one page */

#if 1 /* LAB pageout: BEGIN */
/* Was m used since the daemon last looked?  Clears the evidence.  (o) held. */
static bool page_referenced(struct vm_page *m)
{
	if (policy != PAGEOUT_CLOCK)
		return false;
	bool ref = (__atomic_fetch_and(&m->flags, (uint16_t)~PG_REFERENCED, __ATOMIC_RELAXED) &
	    PG_REFERENCED) || pmap_is_referenced(m);
	if (ref)
		pmap_clear_reference(m);
	return ref;
}
#else /* LAB pageout: STUB */
/*
 * LAB pageout: the clock's second chance.  Answer whether m was used since
 * the daemon last looked at it, and clear the evidence, so that the next
 * look asks about the time after this one.  Only under the clock policy
 * (policy == PAGEOUT_CLOCK); fifo and random never look.  Two places say
 * "used": m's PG_REFERENCED flag (set by the kernel itself, e.g. when a
 * fault maps the page: clear it atomically, the fault path does not hold
 * your lock) and the accessed bit of any pmap that maps m
 * (pmap_is_referenced, pmap_clear_reference: the reverse map finds every
 * mapping).  (o) held.
 *
 * The stub says no page was ever used: every policy is fifo.
 */
static bool page_referenced(struct vm_page *m)
{
	(void)m;
	return false;
}
#endif /* LAB pageout: END */

/* Must m be written before it can be freed?  (o) held. */
static bool page_needs_write(struct vm_object *obj, struct vm_page *m)
{
	vm_object_assert_locked(obj);
	return (m->flags & PG_DIRTY) || pmap_is_modified(m) || !vm_pager_has_page(obj, m->pindex);
}

/* May the daemon take m now?  Not if a process that called mlockall maps it.  (o) held. */
static bool page_takeable(struct vm_object *obj, struct vm_page *m)
{
	vm_object_assert_locked(obj);
	return !(m->flags & PG_BUSY) && m->wire_count == 0 && obj->ref_count > 0 &&
	    (m->queue == PQ_INACTIVE || m->queue == PQ_ACTIVE) && !pmap_page_locked(m);
}

static void page_free(struct vm_page *m)
{
	pmap_remove_all(m);
	vm_page_remove(m);
	vm_page_free(m);
}

#if 1 /* LAB pageout: BEGIN */
/* ma[0..n): m and its laundering neighbours, in index order.  (o) held. */
static int cluster_gather(struct vm_object *obj, struct vm_page *m, struct vm_page **ma)
{
	struct vm_page *before[CLUSTER_MAX];
	int nb = 0, n = 0;
	for (uint64_t i = m->pindex; i > 0 && nb + 1 < CLUSTER_MAX; i--) {
		struct vm_page *p = vm_page_lookup(obj, i - 1);
		if (p == NULL || !page_takeable(obj, p) || p->queue != PQ_INACTIVE ||
		    !page_needs_write(obj, p))
			break;
		before[nb++] = p;
	}
	while (nb > 0)
		ma[n++] = before[--nb];
	ma[n++] = m;
	for (uint64_t i = m->pindex + 1; n < CLUSTER_MAX && i < obj->size; i++) {
		struct vm_page *p = vm_page_lookup(obj, i);
		if (p == NULL || !page_takeable(obj, p) || p->queue != PQ_INACTIVE ||
		    !page_needs_write(obj, p))
			break;
		ma[n++] = p;
	}
	return n;
}
#else /* LAB pageout: STUB */
/*
 * LAB pageout: clustering.  Fill ma with m and the neighbours that may go
 * to swap in the same write, in index order, at most CLUSTER_MAX pages
 * in all, and answer how many (m included).  A neighbour is a page of obj
 * at the index just before or just after the run so far
 * (vm_page_lookup); the run stops, on each side, at the first index that
 * has no page, or whose page the daemon may not take (page_takeable), is
 * not on the inactive queue, or is clean (page_needs_write says no: a
 * clean page with a good copy on swap is freed without a write).  The
 * run never goes past the object's end (obj->size).  Pages before m are
 * found walking down, but ma must start with the lowest index.  (o) held.
 *
 * The stub writes m alone: one request per page.
 */
static int cluster_gather(struct vm_object *obj, struct vm_page *m, struct vm_page **ma)
{
	(void)obj;
	ma[0] = m;
	return 1;
}
#endif /* LAB pageout: END */

/*
 * Write m and its dirty neighbours to swap and free them.  (o) held on
 * entry and on return (released around the write).  Answers the pages
 * freed, or -ENOSPC / -EIO.
 */
static int launder(struct vm_object *obj, struct vm_page *m)
{
	vm_object_assert_locked(obj);
	struct vm_page *ma[CLUSTER_MAX];
	int n = cluster_gather(obj, m, ma);
	pmap_batch_begin();                             /* one shootdown for the cluster */
	for (int i = 0; i < n; i++) {
		vm_page_busy(ma[i]);
		pmap_page_protect(ma[i], PROT_READ);    /* nobody writes it while it goes out */
	}
	pmap_batch_end();
	vm_object_pip_add(obj, 1);
	vm_object_unlock(obj);
	int err = vm_pager_put_pages(obj, ma, n);
	vm_object_lock(obj);
	int freed = 0;
	struct vm_page *gone[CLUSTER_MAX];
	pmap_batch_begin();                             /* unmap them all, then free */
	for (int i = 0; i < n; i++) {
		struct vm_page *p = ma[i];
		bool wanted = p->flags & PG_WANTED;     /* a fault waits for it: keep it */
		if (err == 0)
			__atomic_fetch_and(&p->flags, (uint16_t)~PG_DIRTY, __ATOMIC_RELAXED);
		vm_page_unbusy(p);
		if (err == 0 && !wanted && p->wire_count == 0) {
			pmap_remove_all(p);
			gone[freed++] = p;
		} else {
			vm_page_deactivate(p);
		}
	}
	pmap_batch_end();
	for (int i = 0; i < freed; i++) {
		vm_page_remove(gone[i]);
		vm_page_free(gone[i]);
	}
	vm_object_pip_done(obj);
	return err ? err : freed;
}

/*
 * Decide m's fate (the inactive scan).  (o) held, and held again on
 * return.  Answers pages freed; *swap_full is set when laundering found no
 * room on swap (the rest of the pass only frees clean pages).
 */
static int consider(struct vm_object *obj, struct vm_page *m, bool *swap_full)
{
	vm_object_assert_locked(obj);
	COUNTER_INC(pageout_scans);
	if (!page_takeable(obj, m))
		return 0;
	if (page_referenced(m)) {
		vm_page_activate(m);
		COUNTER_INC(pages_reactivated);
		return 0;
	}
	if (!page_needs_write(obj, m)) {
		page_free(m);
		return 1;
	}
	if (*swap_full)
		return 0;
	int r = launder(obj, m);
	if (r == -ENOSPC || r == -ENODEV)
		*swap_full = true;
	if (r == -ENOSPC)
		store_full = true;
	return r > 0 ? r : 0;
}

/* ------------------------------------------------------------ one pass */

static struct vm_page *next_victim(struct vm_object **objp)
{
	if (policy == PAGEOUT_RANDOM) {
		random_seed = random_seed * 6364136223846793005ull + 1442695040888963407ull;
		return vm_page_queue_random(random_seed, objp);
	}
	return vm_page_queue_next(PQ_INACTIVE, objp);
}

/* Move pages from the active queue to the inactive one (see the top). */
static void refill_inactive(void)
{
	uint64_t budget = vm_page_active_count();
	while (budget-- > 0 &&
	    vm_page_inactive_count() * 3 < vm_page_active_count() + vm_page_inactive_count()) {
		struct vm_object *obj;
		struct vm_page *m = vm_page_queue_next(PQ_ACTIVE, &obj);
		if (m == NULL) {
			if (obj == NULL)
				return;         /* the queue is empty */
			continue;
		}
		COUNTER_INC(pageout_scans);
		if (page_takeable(obj, m)) {
			if (page_referenced(m))
				COUNTER_INC(pages_reactivated);    /* a second chance: it stays active */
			else
				vm_page_deactivate(m);
		}
		vm_object_unlock(obj);
	}
}

/* Scan until free memory is back up or the inactive queue has been seen once. */
static uint64_t scan_inactive(bool *swap_full)
{
	uint64_t freed = 0, budget = vm_page_inactive_count() + vm_page_active_count() / 4;
	while (budget-- > 0 && vm_page_free_count() < vm_free_high) {
		struct vm_object *obj;
		struct vm_page *m = next_victim(&obj);
		if (m == NULL) {
			if (obj == NULL)
				break;
			continue;
		}
		freed += consider(obj, m, swap_full);
		vm_object_unlock(obj);
	}
	return freed;
}

/* A pass: up to three rounds of refill and scan.  Answers pages freed. */
static uint64_t pageout_pass(void)
{
	uint64_t freed = 0;
	bool swap_full = false;
	store_full = false;
	for (int round = 0; round < 3 && vm_page_free_count() < vm_free_high; round++) {
		refill_inactive();
		freed += scan_inactive(&swap_full);
	}
	return freed;
}

/*
 * Sleep until needed.  After passes that freed nothing (no swap, or swap
 * full) memory stays short, so "needed" would hold at once: wait longer
 * each time instead -- up to BACKOFF_MAX_NS -- unless a fault is waiting.
 * (w) held.
 */
static void daemon_idle(uint64_t backoff_ns)
{
	uint64_t until = clock_deadline(backoff_ns);
	for (;;) {
		bool backing_off = clock_ns() < until;
		if (waiters > 0 || (memory_short() && !backing_off))
			return;
		daemon_sleeping = true;
		sleep_on_deadline(&daemon_sleeping, &pageout_lock, false,
		    backing_off ? until : clock_deadline(IDLE_NS));
		daemon_sleeping = false;
	}
}

static void vm_pageout_daemon(void *arg __unused)
{
	uint64_t backoff_ns = 0;
	for (;;) {
		spinlock_acquire(&pageout_lock);
		daemon_idle(backoff_ns);
		spinlock_release(&pageout_lock);
		uint64_t freed = pageout_pass();
		spinlock_acquire(&pageout_lock);
		passes++;
		last_pass_stuck = freed == 0;
		last_pass_store_full = store_full;
		spinlock_release(&pageout_lock);
		wakeup(&passes);
		sched_yield();                  /* let the faults it woke try again first */
		if (freed > 0)
			backoff_ns = 0;
		else
			backoff_ns = MIN(backoff_ns ? 2 * backoff_ns : IDLE_NS / 4, BACKOFF_MAX_NS);
	}
}

void vm_pageout_wakeup(void)
{
	/* wakeup() takes proc_table_lock: never from under it (the daemon
	 * looks by itself every IDLE_NS anyway). */
	if (__atomic_load_n(&daemon_sleeping, __ATOMIC_RELAXED) && !spinlock_held(&proc_table_lock))
		wakeup(&daemon_sleeping);
}

bool vm_page_wait(void)
{
	spinlock_acquire(&pageout_lock);
	waiters++;
	uint64_t gen = passes;
	if (daemon_sleeping)
		wakeup(&daemon_sleeping);
	while (passes == gen)
		sleep_on(&passes, &pageout_lock, false);
	/* Memory may have come back some other way (a process exited): enough
	 * above the reserve for the fault and the kernel pages it needs. */
	bool stuck = last_pass_stuck && vm_page_free_count() <= vm_free_reserved + WAIT_MARGIN;
	waiters--;
	spinlock_release(&pageout_lock);
	return !stuck;
}

bool vm_pageout_store_full(void)
{
	return __atomic_load_n(&last_pass_store_full, __ATOMIC_RELAXED);
}

static void pageout_choose_policy(void)
{
	char word[16];
	if (!cmdline_get("pageout", word, sizeof(word)))
		return;
	for (size_t i = 0; i < ARRAY_SIZE(policy_names); i++) {
		if (strcmp(word, policy_names[i]) == 0) {
			policy = (enum vm_pageout_policy)i;
			return;
		}
	}
	kprintf("vmos: pageout=%s: no such policy (clock, fifo, random): using clock\n", word);
}

void vm_pageout_init(void)
{
	uint64_t total = vm_page_total_count();
	vm_free_reserved = MAX(32ul, total / 256);
	vm_free_low = 2 * vm_free_reserved;
	vm_free_high = 4 * vm_free_reserved;
	pageout_choose_policy();
	if (kthread_create("pagedaemon", vm_pageout_daemon, NULL) == NULL)
		panic("vm_pageout_init: cannot start the pageout daemon");
	kprintf("vmos: pageout: policy %s, free pages reserved %lu, low %lu, high %lu\n",
	    policy_names[policy], vm_free_reserved, vm_free_low, vm_free_high);
}

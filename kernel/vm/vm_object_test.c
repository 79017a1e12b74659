/*
 * vm_object_test.c - self-tests of objects, shadow chains, fork and the
 * reverse map: copy-on-write isolation in both directions and across
 * repeated forks, collapse keeping fork/exit loops flat, shared memory
 * surviving fork, SIGBUS past an object's end, and exact accounting.
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/string.h"
#include "kern/counters.h"
#include "kern/selftest.h"
#include "kern/proc.h"
#include "kern/copyio.h"
#include "kern/sched.h"
#include "vm/vm_page.h"
#include "vm/kmem.h"
#include "vm/vm_map.h"
#include "vm/vm_fault.h"
#include "vm/vm_mmap.h"
#include "vm/vm_test_util.h"
#include "arch/x86_64/cpu.h"
#include "uapi/mman.h"

#define BASE 0x400000ul

/* Write v through the page tables as a user write would: fault for write, then store. */
static int user_store(struct vmspace *vs, uint64_t va, int v)
{
	if (vm_fault(vs, va, VM_FAULT_WRITE) != VM_FAULT_OK)
		return -1;
	uint64_t pa = pmap_extract(vmspace_pmap(vs), va);
	if (pa == 0 || !pmap_is_writable(vmspace_pmap(vs), va))
		return -1;
	*(int *)PHYS_TO_DMAP(pa) = v;
	return 0;
}

static struct vm_object *entry_object(struct vmspace *vs, uint64_t va)
{
	vm_map_lock(&vs->map);
	struct vm_map_entry *e = vm_map_lookup_entry(&vs->map, va);
	vm_map_unlock(&vs->map);
	return e ? e->object : NULL;
}

int test_vm_fork_cow_isolates_both_ways(void)
{
	struct vm_snap s;
	vm_snap_take(&s);
	struct vmspace *p = vmspace_alloc();
	KTEST_ASSERT(p && vm_map_anon_fixed(p, BASE, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE) == 0, "map");
	for (int i = 0; i < 4; i++)
		KTEST_ASSERT(user_store(p, BASE + i * PAGE_SIZE, 100 + i) == 0, "store %d", i);
	struct vmspace *c = vmspace_fork(p);
	KTEST_ASSERT(c != NULL, "fork");
	KTEST_ASSERT(!pmap_is_writable(vmspace_pmap(p), BASE), "parent not write-protected by fork");
	KTEST_ASSERT(vm_test_get32(c, BASE) == 100 && vm_test_get32(c, BASE + 3 * PAGE_SIZE) == 103, "child sees data");
	uint64_t cow = COUNTER_READ(cow_copies);
	KTEST_ASSERT(user_store(c, BASE, 200) == 0, "child store");
	KTEST_ASSERT(COUNTER_READ(cow_copies) == cow + 1, "no COW copy counted");
	KTEST_ASSERT(vm_test_get32(p, BASE) == 100, "child write visible in parent");
	KTEST_ASSERT(user_store(p, BASE + PAGE_SIZE, 301) == 0, "parent store");
	KTEST_ASSERT(vm_test_get32(c, BASE + PAGE_SIZE) == 101, "parent write visible in child");
	KTEST_ASSERT(vm_test_get32(c, BASE) == 200 && vm_test_get32(p, BASE + PAGE_SIZE) == 301, "own writes lost");
	/* a page read (mapped read-only from the shared object) then written */
	KTEST_ASSERT(vm_fault(c, BASE + 2 * PAGE_SIZE, VM_FAULT_READ) == VM_FAULT_OK, "read");
	KTEST_ASSERT(!pmap_is_writable(vmspace_pmap(c), BASE + 2 * PAGE_SIZE), "shared page writable");
	KTEST_ASSERT(user_store(c, BASE + 2 * PAGE_SIZE, 202) == 0, "store after read");
	KTEST_ASSERT(vm_test_get32(p, BASE + 2 * PAGE_SIZE) == 102, "write after read leaked to parent");
	vmspace_free(c);
	KTEST_ASSERT(vm_test_get32(p, BASE + 2 * PAGE_SIZE) == 102 && vm_test_get32(p, BASE) == 100, "parent after exit");
	vmspace_free(p);
	KTEST_NO_LEAK(&s);
	return 0;
}

int test_vm_fork_repeated_keeps_every_copy_private(void)
{
	struct vm_snap s;
	vm_snap_take(&s);
	struct vmspace *v[4];
	v[0] = vmspace_alloc();
	KTEST_ASSERT(v[0] && vm_map_anon_fixed(v[0], BASE, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE) == 0, "map");
	KTEST_ASSERT(user_store(v[0], BASE, 0) == 0, "store");
	for (int i = 1; i < 4; i++) {
		v[i] = vmspace_fork(v[i - 1]);            /* a chain: each forks the last */
		KTEST_ASSERT(v[i] != NULL, "fork %d", i);
		KTEST_ASSERT(user_store(v[i], BASE, i) == 0, "store %d", i);
	}
	KTEST_ASSERT(user_store(v[0], BASE + PAGE_SIZE, 77) == 0, "late store");
	for (int i = 0; i < 4; i++) {
		KTEST_ASSERT(vm_test_get32(v[i], BASE) == i, "space %d sees %d", i, vm_test_get32(v[i], BASE));
		KTEST_ASSERT(vm_test_get32(v[i], BASE + PAGE_SIZE) == (i == 0 ? 77 : 0), "space %d page 1", i);
	}
	vmspace_free(v[1]);                             /* a middle one exits first */
	for (int i = 0; i < 4; i++)
		KTEST_ASSERT(i == 1 || vm_test_get32(v[i], BASE) == i, "after exit, space %d", i);
	vmspace_free(v[3]);
	vmspace_free(v[0]);
	KTEST_ASSERT(vm_test_get32(v[2], BASE) == 2, "survivor");
	vmspace_free(v[2]);
	KTEST_NO_LEAK(&s);
	return 0;
}

int test_vm_fork_exit_loop_collapses_chain(void)
{
	struct vm_snap s;
	vm_snap_take(&s);
	struct vmspace *p = vmspace_alloc();
	KTEST_ASSERT(p && vm_map_anon_fixed(p, BASE, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE) == 0, "map");
	for (int i = 0; i < 4; i++)
		KTEST_ASSERT(user_store(p, BASE + i * PAGE_SIZE, i) == 0, "store");
	uint64_t objects = 0;
	for (int round = 0; round < 100; round++) {
		struct vmspace *c = vmspace_fork(p);
		KTEST_ASSERT(c != NULL, "fork %d", round);
		KTEST_ASSERT(user_store(c, BASE, -round) == 0, "child store");
		KTEST_ASSERT(user_store(p, BASE + PAGE_SIZE, round) == 0, "parent store");
		KTEST_ASSERT(vm_test_get32(c, BASE + PAGE_SIZE) == (round ? round - 1 : 1), "child saw parent write");
		vmspace_free(c);
		if (round == 1)
			objects = vm_object_count();
		KTEST_ASSERT(round < 1 || vm_object_count() == objects, "objects grew to %lu at round %d",
		    vm_object_count(), round);
		KTEST_ASSERT(vm_object_chain_length(entry_object(p, BASE)) <= 2, "chain %d at round %d",
		    vm_object_chain_length(entry_object(p, BASE)), round);
	}
	KTEST_ASSERT(vm_test_get32(p, BASE) == 0 && vm_test_get32(p, BASE + PAGE_SIZE) == 99, "parent data");
	KTEST_ASSERT(vm_test_get32(p, BASE + 3 * PAGE_SIZE) == 3, "untouched page");
	vmspace_free(p);
	KTEST_NO_LEAK(&s);
	return 0;
}

int test_vm_shared_anon_survives_fork_as_shared(void)
{
	struct vm_snap s;
	vm_snap_take(&s);
	struct vmspace *p = vmspace_alloc();
	KTEST_ASSERT(p != NULL, "vmspace_alloc");
	long a = vm_mmap(p, 0, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	long b = vm_mmap(p, 0, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	KTEST_ASSERT(a > 0 && b > 0, "mmap");
	KTEST_ASSERT(user_store(p, a, 1) == 0 && user_store(p, b, 1) == 0, "store");
	struct vmspace *c = vmspace_fork(p);
	KTEST_ASSERT(c != NULL, "fork");
	KTEST_ASSERT(pmap_is_writable(vmspace_pmap(p), a), "shared page write-protected by fork");
	KTEST_ASSERT(user_store(c, a, 2) == 0 && user_store(c, a + PAGE_SIZE, 3) == 0, "child store");
	KTEST_ASSERT(user_store(c, b, 2) == 0, "child private store");
	KTEST_ASSERT(vm_test_get32(p, a) == 2 && vm_test_get32(p, a + PAGE_SIZE) == 3, "shared write not seen");
	KTEST_ASSERT(vm_test_get32(p, b) == 1, "private write seen");
	KTEST_ASSERT(pmap_extract(vmspace_pmap(p), a) == pmap_extract(vmspace_pmap(c), a), "two pages");
	vmspace_free(p);
	KTEST_ASSERT(vm_test_get32(c, a) == 2, "shared object died with one side");
	vmspace_free(c);
	KTEST_NO_LEAK(&s);
	return 0;
}

/* Map obj (the stand-in for an shm object) at BASE: len bytes, shared or private. */
static int map_object(struct vmspace *vs, struct vm_object *obj, uint64_t len, bool shared)
{
	vm_object_reference(obj);
	vm_map_lock(&vs->map);
	int err = vm_map_insert(&vs->map, BASE, BASE + len, obj, 0, PROT_READ | PROT_WRITE,
	    VM_PROT_ALL, shared ? VM_INHERIT_SHARE : VM_INHERIT_COPY, !shared);
	vm_map_unlock(&vs->map);
	if (err)
		vm_object_deallocate(obj);
	return err;
}

int test_vm_object_resize_unmaps_and_sigbus_past_end(void)
{
	struct vm_snap s;
	vm_snap_take(&s);
	struct vmspace *vs = vmspace_alloc();
	struct vm_object *obj = vm_object_allocate_anon(4);
	KTEST_ASSERT(vs && obj && map_object(vs, obj, 8 * PAGE_SIZE, true) == 0, "setup");
	KTEST_ASSERT(vm_fault(vs, BASE + 5 * PAGE_SIZE, VM_FAULT_READ) == VM_FAULT_SIGBUS, "past end");
	KTEST_ASSERT(user_store(vs, BASE + 2 * PAGE_SIZE, 42) == 0, "store inside");
	struct vm_page *m = vm_page_lookup(obj, 2);
	KTEST_ASSERT(m != NULL && pmap_page_mapping_count(m) == 1, "page not in object");
	uint64_t free_before = kmem_free_and_heap_pages();
	uint64_t tables_before = pmap_ptpage_count(vmspace_pmap(vs));
	vm_object_set_size(obj, 1);
	KTEST_ASSERT(pmap_extract(vmspace_pmap(vs), BASE + 2 * PAGE_SIZE) == 0, "shrunk page still mapped");
	/* The page goes, and so do the page tables its mapping alone needed. */
	uint64_t tables_freed = tables_before - pmap_ptpage_count(vmspace_pmap(vs));
	KTEST_ASSERT(tables_freed == 3, "%lu page-table pages freed, want 3", tables_freed);
	KTEST_ASSERT(kmem_free_and_heap_pages() == free_before + 1 + tables_freed, "shrunk page not freed");
	KTEST_ASSERT(vm_fault(vs, BASE + 2 * PAGE_SIZE, VM_FAULT_READ) == VM_FAULT_SIGBUS, "after shrink");
	vm_object_set_size(obj, 4);
	KTEST_ASSERT(vm_test_get32(vs, BASE + 2 * PAGE_SIZE) == 0, "regrown page not zero");
	vm_object_deallocate(obj);
	vmspace_free(vs);
	KTEST_NO_LEAK(&s);
	return 0;
}

int test_vm_private_mapping_is_cow_snapshot(void)
{
	struct vm_snap s;
	vm_snap_take(&s);
	struct vmspace *sh = vmspace_alloc(), *pr = vmspace_alloc();
	struct vm_object *obj = vm_object_allocate_anon(2);
	KTEST_ASSERT(sh && pr && obj, "setup");
	KTEST_ASSERT(map_object(sh, obj, 2 * PAGE_SIZE, true) == 0, "shared map");
	KTEST_ASSERT(map_object(pr, obj, 3 * PAGE_SIZE, false) == 0, "private map");
	KTEST_ASSERT(user_store(sh, BASE, 5) == 0, "shared store");
	KTEST_ASSERT(vm_test_get32(pr, BASE) == 5, "private mapping does not see the object");
	KTEST_ASSERT(user_store(pr, BASE, 6) == 0, "private store");
	KTEST_ASSERT(vm_test_get32(sh, BASE) == 5, "private write reached the object");
	KTEST_ASSERT(vm_page_lookup(obj, 0) != NULL && *(int *)vm_page_to_dmap(vm_page_lookup(obj, 0)) == 5,
	    "object changed");
	KTEST_ASSERT(vm_fault(pr, BASE + 2 * PAGE_SIZE, VM_FAULT_READ) == VM_FAULT_SIGBUS, "read past end");
	KTEST_ASSERT(vm_fault(pr, BASE + 2 * PAGE_SIZE, VM_FAULT_WRITE) == VM_FAULT_SIGBUS, "write past end");
	KTEST_ASSERT(vm_fault(pr, BASE + PAGE_SIZE, VM_FAULT_READ) == VM_FAULT_OK, "read hole");
	vm_object_deallocate(obj);
	vmspace_free(sh);
	vmspace_free(pr);
	KTEST_NO_LEAK(&s);
	return 0;
}

/*
 * Load vs for this test thread, or (NULL) go back to the kernel's tables.
 * The thread borrows vs as its own address space, as a process owns one:
 * the scheduler loads a thread's own on every switch, so with the tables
 * only loaded, a sleep or a preemption between the load and the access
 * (the kernel is preemptible; see sched.c) would come back on the
 * kernel's tables, and the access would fault.
 */
static void borrow_vmspace(struct vmspace *vs)
{
	struct proc *self = curproc();
	self->vmspace = vs;
	vmspace_activate(vs);
}

/* Read an int at a user address of the loaded vmspace, as the CPU sees it. */
static int user_read(uint64_t va)
{
	if (cpu_has_smap)
		stac();
	int v = *(volatile int *)va;
	if (cpu_has_smap)
		clac();
	return v;
}

/* Store through a user address of the loaded vmspace (the page must be mapped writable). */
static void user_write(uint64_t va, int v)
{
	if (cpu_has_smap)
		stac();
	*(volatile int *)va = v;
	if (cpu_has_smap)
		clac();
}

int test_pmap_reverse_map_reaches_every_mapping(void)
{
	struct vm_snap s;
	vm_snap_take(&s);
	struct vmspace *a = vmspace_alloc(), *b = vmspace_alloc();
	struct vm_object *obj = vm_object_allocate_anon(1);
	KTEST_ASSERT(a && b && obj, "setup");
	KTEST_ASSERT(map_object(a, obj, PAGE_SIZE, true) == 0 && map_object(b, obj, PAGE_SIZE, true) == 0, "map");
	KTEST_ASSERT(user_store(a, BASE, 1) == 0 && vm_fault(b, BASE, VM_FAULT_WRITE) == VM_FAULT_OK, "fault");
	struct vm_page *m = vm_page_lookup(obj, 0);
	KTEST_ASSERT(m && pmap_page_mapping_count(m) == 2, "pv count %d", m ? pmap_page_mapping_count(m) : -1);
	KTEST_ASSERT(m->queue == PQ_ACTIVE, "faulted page not on the active queue");
	pmap_clear_modify(m);
	pmap_clear_reference(m);
	KTEST_ASSERT(!pmap_is_modified(m) && !pmap_is_referenced(m), "A/D bits not cleared");
	borrow_vmspace(b);
	user_write(BASE + 8, 9);                        /* the CPU sets A and D in b's PTE */
	borrow_vmspace(NULL);
	KTEST_ASSERT(pmap_is_referenced(m), "accessed bit not seen");
	KTEST_ASSERT(pmap_is_modified(m), "dirty bit not seen");
	pmap_clear_modify(m);
	KTEST_ASSERT(!pmap_is_modified(m), "dirty bit not cleared");
	pmap_clear_reference(m);
	KTEST_ASSERT(!pmap_is_referenced(m), "referenced bit not cleared");
	pmap_page_protect(m, PROT_READ);
	KTEST_ASSERT(!pmap_is_writable(vmspace_pmap(a), BASE) && !pmap_is_writable(vmspace_pmap(b), BASE),
	    "page_protect missed a mapping");
	pmap_remove_all(m);
	KTEST_ASSERT(pmap_page_mapping_count(m) == 0 && pmap_extract(vmspace_pmap(b), BASE) == 0, "remove_all");
	KTEST_ASSERT(vm_test_get32(b, BASE) == 1, "data lost");
	vm_object_deallocate(obj);
	vmspace_free(a);
	vmspace_free(b);
	KTEST_NO_LEAK(&s);
	return 0;
}


int test_pmap_tlb_invalidated_when_active(void)
{
	struct vm_snap s;
	vm_snap_take(&s);
	struct vmspace *vs = vmspace_alloc();
	KTEST_ASSERT(vs && vm_map_anon_fixed(vs, BASE, PAGE_SIZE, PROT_READ | PROT_WRITE) == 0, "map");
	KTEST_ASSERT(vm_test_put32(vs, BASE, 11) == 0, "store");
	borrow_vmspace(vs);
	int first = user_read(BASE);                    /* now in the TLB */
	int err = vm_map_anon_fixed(vs, BASE, PAGE_SIZE, PROT_READ | PROT_WRITE);
	if (err == 0)
		err = vm_test_put32(vs, BASE, 22);                  /* a new page at the same address */
	int second = err ? -1 : user_read(BASE);
	borrow_vmspace(NULL);
	KTEST_ASSERT(pmap_is_active(NULL), "kernel tables not reloaded");
	KTEST_ASSERT(first == 11 && second == 22, "read %d then %d (stale TLB?)", first, second);
	vmspace_free(vs);
	KTEST_NO_LEAK(&s);
	return 0;
}

/*
 * fork write-protects the parent's private pages while the parent's page
 * tables are loaded (fork runs in the parent).  The CPU may still hold a
 * writable translation for such a page in its TLB; unless fork
 * invalidates it, the parent's next write skips the copy-on-write fault
 * and lands in the page the child shares.  This test plays the parent:
 * it loads the address space, writes (the translation is now hot), forks,
 * and writes again with copyout, as a system call would -- a write that
 * must fault (this thread borrows the address space, so the fault handler
 * resolves it) and copy.  The child must still read the old value.
 */
int test_vm_fork_write_protect_flushes_the_parents_tlb(void)
{
	struct vm_snap s;
	vm_snap_take(&s);
	struct proc *self = curproc();
	struct vmspace *p = vmspace_alloc();
	KTEST_ASSERT(p && vm_map_anon_fixed(p, BASE, PAGE_SIZE, PROT_READ | PROT_WRITE) == 0, "map");
	KTEST_ASSERT(vm_fault(p, BASE, VM_FAULT_WRITE) == VM_FAULT_OK, "fault");
	KTEST_ASSERT(self != NULL && self->vmspace == NULL, "the test thread has an address space");
	borrow_vmspace(p);
	user_write(BASE, 1);                            /* a writable translation, hot */
	struct vmspace *c = vmspace_fork(p);
	int v = 2, err = c ? copyout(&v, (void __user *)BASE, sizeof(v)) : -1;
	int parent_sees = user_read(BASE);
	borrow_vmspace(NULL);
	KTEST_ASSERT(c != NULL && err == 0, "fork %p, copyout %d", c, err);
	KTEST_ASSERT(parent_sees == 2, "parent reads %d after writing 2", parent_sees);
	KTEST_ASSERT(vm_test_get32(c, BASE) == 1, "child reads %d: the parent wrote through a stale "
	    "writable TLB entry", vm_test_get32(c, BASE));
	KTEST_ASSERT(vm_test_get32(p, BASE) == 2, "parent's copy holds %d", vm_test_get32(p, BASE));
	vmspace_free(c);
	vmspace_free(p);
	KTEST_NO_LEAK(&s);
	return 0;
}

/*
 * Collapse moves a backing object's pages into the shadow with the same
 * physical page; a page the pageout daemon had moved to the inactive
 * queue must stay there (and be counted there), an active one stay active.
 */
int test_vm_collapse_keeps_each_moved_pages_queue(void)
{
	struct vm_snap s;
	vm_snap_take(&s);
	struct vmspace *p = vmspace_alloc();
	KTEST_ASSERT(p && vm_map_anon_fixed(p, BASE, 3 * PAGE_SIZE, PROT_READ | PROT_WRITE) == 0, "map");
	for (int i = 0; i < 3; i++)
		KTEST_ASSERT(user_store(p, BASE + i * PAGE_SIZE, 10 + i) == 0, "store %d", i);
	struct vm_object *backing = entry_object(p, BASE);
	struct vm_page *cold = vm_page_lookup(backing, 1), *hot = vm_page_lookup(backing, 2);
	KTEST_ASSERT(cold && hot, "pages");
	struct vmspace *c = vmspace_fork(p);
	KTEST_ASSERT(c != NULL, "fork");
	uint64_t inactive = vm_page_inactive_count();
	vm_page_deactivate(cold);                       /* what the pageout daemon does */
	KTEST_ASSERT(cold->queue == PQ_INACTIVE && vm_page_inactive_count() == inactive + 1,
	    "deactivate");
	KTEST_ASSERT(user_store(p, BASE, 20) == 0, "parent store");     /* the parent's shadow */
	vmspace_free(c);                                /* backing collapses into the shadow */
	struct vm_object *shadow = entry_object(p, BASE);
	KTEST_ASSERT(shadow != backing && shadow->backing_object == NULL, "not collapsed");
	KTEST_ASSERT(vm_page_lookup(shadow, 1) == cold && vm_page_lookup(shadow, 2) == hot,
	    "pages not moved");
	KTEST_ASSERT(cold->queue == PQ_INACTIVE && hot->queue == PQ_ACTIVE, "queues %d and %d",
	    cold->queue, hot->queue);
	KTEST_ASSERT(vm_page_inactive_count() == inactive + 1, "inactive count");
	KTEST_ASSERT(vm_test_get32(p, BASE + PAGE_SIZE) == 11 && vm_test_get32(p, BASE) == 20, "data");
	vmspace_free(p);
	KTEST_ASSERT(vm_page_inactive_count() == inactive, "inactive page not dequeued when freed");
	KTEST_NO_LEAK(&s);
	return 0;
}

/*
 * A collapse whose backing object is being paged out waits for it, holding
 * a reference on the shadow, and then collapses -- or, if that reference
 * was the last one by then, lets both objects go.  The paging in progress
 * is faked here (the count raised and lowered by hand) so the test does not
 * depend on when the pageout daemon happens to run.
 */
static void collapse_in_thread(void *arg)
{
	vm_object_collapse(arg);
}

/* S shadows B, which has one page and only S's reference; B "is paging". */
static struct vm_object *paging_chain(struct vm_object **backingp)
{
	struct vm_object *b = vm_object_allocate_anon(4), *s = b;
	struct vm_page *m = vm_page_alloc(VM_ALLOC_ZERO);
	uint64_t off = 0;
	if (b == NULL || m == NULL)
		return NULL;
	/* A second holder of b for the moment of the shadow (vm_object_shadow
	 * makes none for an object only its caller holds), gone again by hand,
	 * without the collapse a deallocate would start: the test starts it. */
	vm_object_lock(b);
	b->ref_count++;
	vm_object_unlock(b);
	if (vm_object_shadow(&s, &off, 4) != 0 || s == b)
		return NULL;
	vm_object_lock(b);
	b->ref_count--;
	vm_page_insert(m, b, 1);
	vm_object_pip_add(b, 1);
	vm_object_unlock(b);
	*backingp = b;
	return s;
}

static void paging_done(struct vm_object *b)
{
	vm_object_lock(b);
	vm_object_pip_done(b);
	vm_object_unlock(b);
}

/*
 * Wait until the collapse thread holds its reference on s (so it is past
 * the point of deciding to wait), then give it time to do something wrong.
 * Polling, not one fixed sleep: a loaded TCG host may not run the thread
 * for a while.
 */
static bool wait_for_hold(struct vm_object *s)
{
	for (int i = 0; i < 500 && s->ref_count < 2; i++)
		sched_sleep_ns(10000000);
	sched_sleep_ns(20000000);
	return s->ref_count == 2;
}

static int wait_thread(struct proc *t)
{
	int status = -1;
	pid_t pid = t->pid;
	int r = kern_wait4(pid, &status, 0);
	if (r != pid || status != 0)
		return selftest_fail(__func__, __LINE__, "wait4(%d): %d, status %#x", pid, r, status);
	return 0;
}

int test_vm_collapse_waits_for_paging_in_progress(void)
{
	struct vm_snap snap;
	vm_snap_take(&snap);
	struct vm_object *b, *s = paging_chain(&b);
	KTEST_ASSERT(s != NULL, "setup");
	struct proc *t = kthread_create("collapse", collapse_in_thread, s);
	KTEST_ASSERT(t != NULL, "thread");
	KTEST_ASSERT(wait_for_hold(s) && s->backing_object == b, "collapsed while b was paging "
	    "(backing %p, refs %u)", s->backing_object, s->ref_count);
	paging_done(b);
	if (wait_thread(t) != 0)
		return -1;
	KTEST_ASSERT(s->backing_object == NULL && s->ref_count == 1 && vm_page_lookup(s, 1) != NULL,
	    "not collapsed after the paging ended");
	vm_object_deallocate(s);

	/* The same, but the shadow's last other reference goes during the wait. */
	s = paging_chain(&b);
	KTEST_ASSERT(s != NULL, "setup 2");
	t = kthread_create("collapse", collapse_in_thread, s);
	KTEST_ASSERT(t != NULL, "thread 2");
	KTEST_ASSERT(wait_for_hold(s), "thread 2 never took its hold");
	vm_object_deallocate(s);                /* only the collapse's hold is left */
	paging_done(b);
	if (wait_thread(t) != 0)
		return -1;
	KTEST_NO_LEAK(&snap);
	return 0;
}

/*
 * A fault that finds its page busy (being read in or written out by
 * someone else) sleeps until the page is unbusied, then looks again and
 * takes it.  The busy page is made by hand here, so the test does not
 * depend on catching the pageout daemon in the act.
 */
struct busy_fault {
	struct vm_object *obj;
	struct vm_page *got;
	int err;
	bool done;
};

static void busy_fault_thread(void *arg)
{
	struct busy_fault *b = arg;
	b->err = vm_fault_object_page(b->obj, 0, &b->got);
	__atomic_store_n(&b->done, true, __ATOMIC_RELEASE);
}

int test_vm_fault_waits_for_a_busy_page(void)
{
	struct vm_snap snap;
	vm_snap_take(&snap);
	struct busy_fault b = { .obj = vm_object_allocate_anon(1) };
	struct vm_page *m = vm_page_alloc(VM_ALLOC_ZERO);
	KTEST_ASSERT(b.obj != NULL && m != NULL, "setup");
	vm_object_lock(b.obj);
	vm_page_insert(m, b.obj, 0);
	vm_page_busy(m);
	vm_object_unlock(b.obj);
	struct proc *t = kthread_create("busyfault", busy_fault_thread, &b);
	KTEST_ASSERT(t != NULL, "thread");
	for (int i = 0; i < 500 && !(__atomic_load_n(&m->flags, __ATOMIC_ACQUIRE) & PG_WANTED); i++)
		sched_sleep_ns(10000000);
	sched_sleep_ns(20000000);
	KTEST_ASSERT((m->flags & PG_WANTED) && !__atomic_load_n(&b.done, __ATOMIC_ACQUIRE),
	    "the fault did not wait for the busy page (done %d, flags %#x)", b.done, m->flags);
	vm_object_lock(b.obj);
	vm_page_unbusy(m);
	vm_object_unlock(b.obj);
	if (wait_thread(t) != 0)
		return -1;
	KTEST_ASSERT(b.err == 0 && b.got == m, "after the wait: error %d, page %p (want %p)",
	    b.err, b.got, m);
	KTEST_ASSERT(!(m->flags & (PG_BUSY | PG_WANTED)), "page left busy: flags %#x", m->flags);
	vm_page_unwire(m);
	vm_object_deallocate(b.obj);
	KTEST_NO_LEAK(&snap);
	return 0;
}

/*
 * A truncate that meets a busy page (a fault on another CPU is mapping it)
 * or a wired one (kernel code is copying through it) waits for it to be let
 * go, then frees it: it never frees a page under its user.  The page is
 * made busy, then wired, by hand; a thread truncates.
 */
struct truncate_wait {
	struct vm_object *obj;
	bool done;
};

static void truncate_thread(void *arg)
{
	struct truncate_wait *w = arg;
	vm_object_page_remove(w->obj, 0, 1);
	__atomic_store_n(&w->done, true, __ATOMIC_RELEASE);
}

/* Start a truncate of page 0 of w->obj and check that it waits for m. */
static struct proc *truncate_must_wait(struct truncate_wait *w, struct vm_page *m)
{
	w->done = false;
	struct proc *t = kthread_create("truncate", truncate_thread, w);
	if (t == NULL)
		return NULL;
	for (int i = 0; i < 500 && !(__atomic_load_n(&m->flags, __ATOMIC_ACQUIRE) & PG_WANTED); i++)
		sched_sleep_ns(10000000);
	sched_sleep_ns(20000000);
	return t;
}

int test_vm_truncate_waits_for_a_busy_or_wired_page(void)
{
	struct vm_snap snap;
	vm_snap_take(&snap);
	struct truncate_wait w = { .obj = vm_object_allocate_anon(1) };
	struct vm_page *m = vm_page_alloc(VM_ALLOC_ZERO);
	KTEST_ASSERT(w.obj != NULL && m != NULL, "setup");
	vm_object_lock(w.obj);
	vm_page_insert(m, w.obj, 0);
	vm_page_busy(m);
	vm_object_unlock(w.obj);

	struct proc *t = truncate_must_wait(&w, m);
	KTEST_ASSERT(t != NULL, "thread");
	KTEST_ASSERT((m->flags & PG_WANTED) && !__atomic_load_n(&w.done, __ATOMIC_ACQUIRE) &&
	    m->object == w.obj, "the truncate did not wait for the busy page (done %d, flags %#x)",
	    w.done, m->flags);
	/* Let it go wired, as a fault for a copy does (fault_release_page). */
	vm_object_lock(w.obj);
	vm_page_wire(m);
	vm_page_unbusy(m);
	vm_object_unlock(w.obj);
	sched_sleep_ns(20000000);
	KTEST_ASSERT(!__atomic_load_n(&w.done, __ATOMIC_ACQUIRE) && m->object == w.obj &&
	    (m->flags & PG_WANTED), "the truncate did not wait for the wired page (done %d, flags %#x)",
	    w.done, m->flags);
	vm_page_unwire(m);
	if (wait_thread(t) != 0)
		return -1;
	KTEST_ASSERT(w.done && w.obj->resident_count == 0, "the page outlived the truncate");

	/* A page that is neither: freed at once, no wait. */
	m = vm_page_alloc(VM_ALLOC_ZERO);
	KTEST_ASSERT(m != NULL, "setup 2");
	vm_object_lock(w.obj);
	vm_page_insert(m, w.obj, 0);
	vm_object_unlock(w.obj);
	vm_object_page_remove(w.obj, 0, 1);
	KTEST_ASSERT(w.obj->resident_count == 0, "an idle page was not freed");
	vm_object_deallocate(w.obj);
	KTEST_NO_LEAK(&snap);
	return 0;
}

/*
 * vm_object_shadow puts a shadow in front of an object someone else also
 * holds, and none in front of one only its caller holds: with two CPUs the
 * other holder can let go between the fault's look and the shadow, and a
 * shadow made then stayed in front of its backing object uncollapsed (the
 * smp runs' leak check saw one object too many after a case).
 */
int test_vm_shadow_only_of_a_shared_object(void)
{
	struct vm_snap snap;
	vm_snap_take(&snap);
	struct vm_object *b = vm_object_allocate_anon(2), *s = b;
	uint64_t off = PAGE_SIZE;
	KTEST_ASSERT(b != NULL, "setup");
	KTEST_ASSERT(vm_object_shadow(&s, &off, 1) == 0 && s == b && off == PAGE_SIZE,
	    "an object only the caller holds got a shadow (%p for %p)", s, b);
	vm_object_reference(b);                 /* a second holder */
	KTEST_ASSERT(vm_object_shadow(&s, &off, 1) == 0 && s != b && off == 0,
	    "a shared object got no shadow");
	KTEST_ASSERT(s->backing_object == b && s->backing_offset == 1 && b->shadow_count == 1 &&
	    b->ref_count == 2, "the shadow: backing %p offset %lu, b's shadows %u refs %u",
	    s->backing_object, s->backing_offset, b->shadow_count, b->ref_count);
	vm_object_deallocate(b);                /* the second holder goes: s collapses into b's place */
	KTEST_ASSERT(s->backing_object == NULL, "the sole shadow was not collapsed");
	vm_object_deallocate(s);
	KTEST_NO_LEAK(&snap);
	return 0;
}

/*
 * A shadow being terminated stays on its backing object's list of shadows
 * while its terminate sleeps (here: for a page "being written out", the
 * paging faked by hand).  If the backing object's other holder lets go
 * meanwhile, the shadow looks like a sole shadow to collapse -- but it is
 * dying, and taking a reference on it brought it back: the collapse and
 * the terminate then both freed it (the fuzz suite on two CPUs).  The
 * deallocate must leave the dying shadow alone.
 */
static void deallocate_in_thread(void *arg)
{
	vm_object_deallocate(arg);
}

int test_vm_dying_shadow_is_not_collapsed(void)
{
	struct vm_snap snap;
	vm_snap_take(&snap);
	struct vm_object *b = vm_object_allocate_anon(2), *s = b;
	struct vm_page *m = vm_page_alloc(VM_ALLOC_ZERO);
	uint64_t off = 0;
	KTEST_ASSERT(b != NULL && m != NULL, "setup");
	vm_object_reference(b);                 /* b's other holder */
	KTEST_ASSERT(vm_object_shadow(&s, &off, 2) == 0 && s != b, "shadow");
	vm_object_lock(s);
	vm_page_insert(m, s, 0);
	vm_object_pip_add(s, 1);                /* "being written out" */
	vm_object_unlock(s);

	struct proc *t = kthread_create("terminate", deallocate_in_thread, s);
	KTEST_ASSERT(t != NULL, "thread");
	for (int i = 0; i < 500 && __atomic_load_n(&s->ref_count, __ATOMIC_ACQUIRE) != 0; i++)
		sched_sleep_ns(10000000);
	sched_sleep_ns(20000000);               /* s's terminate now sleeps in pip_wait */
	KTEST_ASSERT(s->ref_count == 0 && s->backing_object == b && b->shadow_count == 1,
	    "the terminate of s did not start (refs %u)", s->ref_count);

	struct proc *d = kthread_create("dealloc", deallocate_in_thread, b);
	KTEST_ASSERT(d != NULL, "thread 2");
	if (wait_thread(d) != 0)
		return -1;
	bool left_alone = s->ref_count == 0 && s->backing_object == b && b->ref_count == 1;
	unsigned refs = s->ref_count;
	paging_done(s);                         /* let the terminate finish: s, then b, go */
	if (wait_thread(t) != 0)
		return -1;
	KTEST_ASSERT(left_alone, "the dying shadow was brought back to collapse (refs %u)", refs);
	KTEST_NO_LEAK(&snap);
	return 0;
}

/*
 * vm_object.c - VM objects, shadow chains and collapse.
 *
 * Objects and shadows
 * -------------------
 * A map entry maps a window of a VM object.  Anonymous memory, shared
 * anonymous memory and shm are all anonymous objects: a page nobody has is
 * zero-filled on first touch.  Copy-on-write is built from *shadow* objects,
 * as in Mach and BSD: a shadow object S sits in front of a backing object B
 * and holds only the pages that were written through S; every other page is
 * read through to B (at index + backing_offset), and B may itself be a
 * shadow, so lookups walk a chain
 *
 *      entry ──> S2 ──> S1 ──> B          (first object ──> ... ──> last)
 *
 * and the first object that has the page supplies it.  A write fault on a
 * page found further down copies it into the first object (vm_fault.c), so
 * the backing objects never change and everyone else who reads through them
 * keeps seeing the old contents.
 *
 * fork() uses this: a private entry with an object is shared copy-on-write
 * by parent and child.  Both entries keep pointing at the same object B
 * (one more reference) and are marked needs_copy, and the parent's pmap is
 * write-protected over the range.  The first write fault through either
 * entry puts a fresh shadow in front of B for that entry alone
 * (vm_object_shadow) and copies into it.  If by then the other side is gone
 * (B's only reference is the faulting entry's), no shadow is needed at all
 * and needs_copy is simply cleared.
 *
 * Collapse
 * --------
 * Chains grow with every fork in which both sides write.  When one side
 * exits, its shadow dies and B may be left referenced by a single shadow S:
 * nobody but S can ever see B's pages again, so B is merged into S
 * (vm_object_collapse): B's pages on swap move to S the same way (the
 * pager's collapse), each page of B that S does not have and that lies
 * in S's window is moved into S (same physical page, so existing mappings
 * stay right), every other page of B is freed, S takes over B's backing
 * object, and B is freed.  vm_object_deallocate() triggers this exactly
 * when an object's reference count drops to 1 while it has one shadow.  So
 * a process that forks children which write and exit, in a loop, keeps a
 * chain of constant length, and vm_object_count() stays flat.
 *
 * OBJ_ONEMAPPING marks an object whose pages are each reachable through one
 * map range only (a private object not shared by fork).  Unmapping part of
 * such an entry can free the pages at once instead of waiting for the whole
 * object to die; brk shrinking and regrowing relies on it to get zeroes.
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/counters.h"
#include "vm/kmem.h"
#include "vm/vm_object.h"
#include "kern/proc.h"
#include "kern/sched.h"
#include "vm/vm_page.h"
#include "vm/vm_pager.h"
#include "vm/swap_pager.h"
#include "kern/sched.h"
#include "arch/x86_64/pmap.h"

void vm_object_lock(struct vm_object *obj)
{
	spinlock_acquire(&obj->lock);
}

void vm_object_unlock(struct vm_object *obj)
{
	spinlock_release(&obj->lock);
}

static uint64_t vm_object_next_id = 1;        /* (a) */

uint64_t vm_object_count(void)
{
	return COUNTER_READ(vm_objects);
}

struct vm_object *vm_object_allocate(const struct pager_ops *pager, uint64_t npages)
{
	struct vm_object *obj = kmalloc(sizeof(*obj), KM_ZERO);
	if (obj == NULL)
		return NULL;
	/* DUPOK: a shadow chain is locked two objects at a time, a shadow
	 * before its backing object (vm_object.h's lock order); the checker
	 * cannot tell the two apart by class, so it lets the class nest. */
	spinlock_init_flags(&obj->lock, "vm_object", WITNESS_DUPOK);
	obj->id = __atomic_fetch_add(&vm_object_next_id, 1, __ATOMIC_RELAXED);
	obj->ref_count = 1;
	obj->size = npages;
	obj->pager = pager;
	list_init(&obj->memq);
	list_init(&obj->shadows);
	list_node_init(&obj->shadow_link);
	COUNTER_INC(vm_objects);
	return obj;
}

struct vm_object *vm_object_allocate_anon(uint64_t npages)
{
	return vm_object_allocate(&swap_pager_ops, npages);
}

void vm_object_pip_add(struct vm_object *obj, uint32_t n)
{
	KASSERT(spinlock_held(&obj->lock), "vm_object_pip_add: object not locked");
	vm_object_assert_locked(obj);
	obj->paging_in_progress += n;
}

void vm_object_pip_done(struct vm_object *obj)
{
	vm_object_assert_locked(obj);
	KASSERT(obj->paging_in_progress > 0, "vm_object_pip_done: no paging in progress");
	if (--obj->paging_in_progress == 0)
		wakeup(&obj->paging_in_progress);
}

void vm_object_pip_wait(struct vm_object *obj)
{
	vm_object_assert_locked(obj);
	while (obj->paging_in_progress > 0)
		sleep_on(&obj->paging_in_progress, &obj->lock, false);
}

void vm_object_count_writers(struct vm_object *obj, int delta)
{
	vm_object_lock(obj);
	KASSERT(delta > 0 || obj->writable_mappings >= (uint32_t)-delta,
	    "vm_object_count_writers: writable mappings underflow");
	obj->writable_mappings += delta;
	vm_object_unlock(obj);
}

void vm_object_reference(struct vm_object *obj)
{
	vm_object_lock(obj);
	KASSERT(obj->ref_count > 0, "vm_object_reference: dead object %p", obj);
	obj->ref_count++;
	vm_object_unlock(obj);
}

/* Unmap page m everywhere, take it out of its object and free it.  (o) held. */
static void vm_object_page_free(struct vm_page *m)
{
	vm_page_assert_locked(m);
	pmap_remove_all(m);
	vm_page_remove(m);
	vm_page_free(m);
}

/*
 * A busy page (a fault on another CPU is mapping it) or a wired one (kernel
 * code is copying to or from it) is waited for, not freed under its user:
 * the fault's new mapping is then removed with the page, and the copy ends
 * before the page goes.  After each wait the scan starts again, since the
 * object's lock was let go.
 */
void vm_object_page_remove(struct vm_object *obj, uint64_t start, uint64_t end)
{
	vm_object_lock(obj);
again:
	vm_object_pip_wait(obj);                /* no page of ours is being paged */
	if (end - start < obj->resident_count) {
		for (uint64_t i = start; i < end; i++) {
			struct vm_page *m = vm_page_lookup(obj, i);
			if (m == NULL)
				continue;
			if (vm_page_sleep_if_held(m, obj))
				goto again;
			vm_object_page_free(m);
		}
	} else {
		list_foreach_safe(&obj->memq, n, tmp) {
			struct vm_page *m = list_entry(n, struct vm_page, listq);
			if (m->pindex < start || m->pindex >= end)
				continue;
			if (vm_page_sleep_if_held(m, obj))
				goto again;
			vm_object_page_free(m);
		}
	}
	vm_pager_free_range(obj, start, end);
	vm_object_unlock(obj);
}

/*
 * A shrink sets the size first and then frees the pages past it.  The other
 * order let a fault on another CPU, between the two, find the index still
 * inside and no page there, and zero-fill one that outlived the truncate
 * (the smp suite's shootdown case read zeros where it wanted SIGBUS).
 */
void vm_object_set_size(struct vm_object *obj, uint64_t npages)
{
	vm_object_lock(obj);
	uint64_t old = obj->size;
	obj->size = npages;
	obj->generation++;
	vm_object_unlock(obj);
	if (npages < old)
		vm_object_page_remove(obj, npages, old);
}

/* Free an object that nobody refers to and that holds no pages. */
static void vm_object_free(struct vm_object *obj)
{
	KASSERT(obj->resident_count == 0 && list_empty(&obj->memq),
	    "vm_object_free: object %p still has %lu pages", obj, obj->resident_count);
	KASSERT(obj->shadow_count == 0, "vm_object_free: object %p still shadowed", obj);
	vm_pager_dealloc(obj);
	COUNTER_DEC(vm_objects);
	kfree(obj);
}

/*
 * The last reference to obj is gone: free its pages and the object, unlink
 * it from its backing object, and return that backing object, whose
 * reference (the one obj held) the caller must drop.
 */
static struct vm_object *vm_object_terminate(struct vm_object *obj)
{
	vm_object_lock(obj);
again:
	vm_object_pip_wait(obj);                /* the pageout daemon may be writing one out */
	list_foreach_safe(&obj->memq, n, tmp) {
		struct vm_page *m = list_entry(n, struct vm_page, listq);
		if (vm_page_sleep_if_held(m, obj))      /* wired by a copy from a process */
			goto again;                     /* that has just exited */
		vm_object_page_free(m);
	}
	struct vm_object *backing = obj->backing_object;
	obj->backing_object = NULL;
	vm_object_unlock(obj);
	if (backing != NULL) {
		vm_object_lock(backing);
		list_remove(&obj->shadow_link);
		backing->shadow_count--;
		vm_object_unlock(backing);
	}
	vm_object_free(obj);
	return backing;
}

/* obj's only shadow, if obj is referenced by that shadow alone; else NULL.  (o) held. */
static struct vm_object *sole_shadow(struct vm_object *obj)
{
	vm_object_assert_locked(obj);
	if (obj->ref_count != 1 || obj->shadow_count != 1)
		return NULL;
	return list_entry(list_first(&obj->shadows), struct vm_object, shadow_link);
}

/*
 * When the one reference left is a sole shadow's, that shadow is collapsed
 * into obj -- but the shadow may die the moment obj's lock is let go (its
 * process exiting on another CPU), so it is held first, with a reference
 * of our own, and released after.  Taking its lock to do that goes against
 * the order (a shadow before its backing object), so it is only tried; if
 * the lock is busy -- perhaps with someone who wants obj's next -- we keep
 * obj alive with a reference, let go of it, wait a moment and look again.
 * The loop's decrement then drops that reference.  (FreeBSD's
 * vm_object_deallocate does the same.)  A shadow with no references is
 * being terminated, and is left alone (FreeBSD marks it OBJ_DEAD): two
 * CPUs found the collapse of a dying shadow, which freed everything twice.
 */
void vm_object_deallocate(struct vm_object *obj)
{
	while (obj != NULL) {
		vm_object_lock(obj);
		KASSERT(obj->ref_count > 0, "vm_object_deallocate: object %p has no references", obj);
		if (--obj->ref_count > 0) {
			struct vm_object *shadow = sole_shadow(obj);
			if (shadow != NULL && !spinlock_try_acquire(&shadow->lock)) {
				obj->ref_count++;
				vm_object_unlock(obj);
				spin_wait();
				continue;
			}
			if (shadow != NULL && shadow->ref_count == 0) {
				/* The shadow is dying: its terminate sleeps (for a
				 * page being written out, or wired) before it lets go
				 * of obj, and the reference left is that one.  Never
				 * bring it back to collapse it. */
				vm_object_unlock(shadow);
				shadow = NULL;
			}
			if (shadow != NULL) {
				shadow->ref_count++;
				vm_object_unlock(shadow);
			}
			vm_object_unlock(obj);
			if (shadow != NULL) {
				vm_object_collapse(shadow);
				vm_object_deallocate(shadow);
			}
			return;
		}
		vm_object_unlock(obj);
		obj = vm_object_terminate(obj);     /* iterate, don't recurse, down the chain */
	}
}

int vm_object_shadow(struct vm_object **objp, uint64_t *offsetp, uint64_t npages)
{
	struct vm_object *backing = *objp;
	struct vm_object *shadow = vm_object_allocate_anon(npages);
	if (shadow == NULL)
		return -ENOMEM;
	vm_object_lock(backing);
	if (backing->ref_count == 1) {
		/* The other holder let go since the caller looked (a child
		 * exiting on another CPU): the caller has backing to itself,
		 * and a shadow now would stay in front of it uncollapsed --
		 * the exit's deallocate saw no shadow to collapse. */
		vm_object_unlock(backing);
		vm_object_deallocate(shadow);
		return 0;
	}
	shadow->flags |= OBJ_ONEMAPPING;
	shadow->backing_object = backing;
	shadow->backing_offset = *offsetp >> PAGE_SHIFT;
	list_push_back(&backing->shadows, &shadow->shadow_link);
	backing->shadow_count++;
	backing->flags &= ~OBJ_ONEMAPPING;
	vm_object_unlock(backing);
	*objp = shadow;
	*offsetp = 0;
	return 0;
}

/*
 * Move or free each page of backing into obj (see the essay).  Both locked.
 * A moved page keeps its queue; mappings of it stay valid because the
 * physical page and the virtual address it is seen at do not change.
 */
static void collapse_pages(struct vm_object *obj, struct vm_object *backing)
{
	uint64_t off = obj->backing_offset;
	list_foreach_safe(&backing->memq, n, tmp) {
		struct vm_page *m = list_entry(n, struct vm_page, listq);
		uint64_t idx = m->pindex - off;
		bool inside = m->pindex >= off && idx < obj->size;
		if (!inside || vm_page_lookup(obj, idx) != NULL || vm_pager_has_page(obj, idx)) {
			vm_object_page_free(m);
			continue;
		}
		bool active = m->queue == PQ_ACTIVE;
		vm_page_remove(m);
		vm_page_insert(m, obj, idx);
		if (active)
			vm_page_activate(m);
		else
			vm_page_deactivate(m);
	}
}

/* No page of obj's is busy or wired (a collapse may free or move them all).  (o) held. */
static bool pages_at_rest(struct vm_object *obj)
{
	vm_object_assert_locked(obj);
	list_foreach(&obj->memq, n) {
		struct vm_page *m = list_entry(n, struct vm_page, listq);
		if ((m->flags & PG_BUSY) || m->wire_count > 0)
			return false;
	}
	return true;
}

/* Make obj shadow backing's backing object instead of backing.  Both locked. */
static void collapse_relink(struct vm_object *obj, struct vm_object *backing)
{
	struct vm_object *next = backing->backing_object;
	list_remove(&obj->shadow_link);
	backing->shadow_count--;
	if (next != NULL) {
		vm_object_lock(next);
		list_remove(&backing->shadow_link);
		list_push_back(&next->shadows, &obj->shadow_link);      /* count unchanged */
		vm_object_unlock(next);
	}
	obj->backing_object = next;                 /* backing's reference on next is ours now */
	obj->backing_offset += backing->backing_offset;
	backing->backing_object = NULL;
	backing->ref_count = 0;
}

/* Drop the reference collapse took to wait; false if it was the last
 * (obj is then gone and there is nothing to collapse). */
static bool collapse_drop_hold(struct vm_object *obj)
{
	vm_object_lock(obj);
	bool last = obj->ref_count == 1;
	if (!last)
		obj->ref_count--;
	vm_object_unlock(obj);
	if (last)
		vm_object_deallocate(obj);
	return !last;
}

/*
 * Walks and collapses.  A walk down a shadow chain (the fault handler's,
 * and the other loops of vm_fault.c) reads obj->backing_object under obj's
 * lock, lets go of it, then locks the object it read -- which a collapse
 * of obj on another CPU may have freed in between (it was seen to, in the
 * console suite with two CPUs).  So the two exclude each other, as a
 * readers-writer lock that sleeps: any number of walks at once, or one
 * collapse, which waits for the walks under way and holds off new ones
 * (so that it cannot starve).  A walk is never held across a wait for a
 * collapse: a thread that walks skips the collapse it would start itself
 * (collapsing only shortens chains; the next deallocate tries again).
 */
static struct spinlock walk_lock = SPINLOCK_INIT("vm_object_walk");
static int walkers;                     /* (a) walks under way */
static int collapsers;                  /* (a, changed under w) collapses under way or waiting */
static bool collapsing;                 /* (w) one is under way */
static int boot_walks;                  /* the boot thread's (no process yet) */

/* This thread's depth of walks (a collapse counts as one: it walks too). */
static int *thread_walks(void)
{
	struct proc *p = curproc();
	return p != NULL ? &p->vm_walks : &boot_walks;
}

/* The last walk out wakes a collapse that waits for the walks to end. */
static void walk_leave(void)
{
	if (__atomic_sub_fetch(&walkers, 1, __ATOMIC_SEQ_CST) == 0 &&
	    __atomic_load_n(&collapsers, __ATOMIC_SEQ_CST) > 0) {
		spinlock_acquire(&walk_lock);
		wakeup(&walkers);
		spinlock_release(&walk_lock);
	}
}

/*
 * Every fault walks, so a walk takes no lock when no collapse is about:
 * it counts itself in, then looks for collapsers.  A collapse counts
 * itself in (collapsers) and then looks at the walks; both orders are
 * sequentially consistent, so at least one of the two sees the other --
 * the walk backs off and sleeps, or the collapse waits for the walk.
 */
void vm_object_walk_begin(void)
{
	if ((*thread_walks())++ > 0)
		return;                         /* nested: the outer walk counts */
	for (;;) {
		__atomic_add_fetch(&walkers, 1, __ATOMIC_SEQ_CST);
		if (__atomic_load_n(&collapsers, __ATOMIC_SEQ_CST) == 0)
			return;
		walk_leave();
		spinlock_acquire(&walk_lock);
		while (__atomic_load_n(&collapsers, __ATOMIC_SEQ_CST) > 0)
			sleep_on(&walkers, &walk_lock, false);
		spinlock_release(&walk_lock);
	}
}

void vm_object_walk_end(void)
{
	if (--(*thread_walks()) > 0)
		return;
	walk_leave();
}

static bool collapse_begin(void)
{
	if (*thread_walks() > 0)
		return false;                   /* see above: never wait inside a walk */
	(*thread_walks())++;                /* a collapse it causes is skipped too */
	spinlock_acquire(&walk_lock);
	__atomic_add_fetch(&collapsers, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&walkers, __ATOMIC_SEQ_CST) > 0 || collapsing)
		sleep_on(&walkers, &walk_lock, false);
	collapsing = true;
	spinlock_release(&walk_lock);
	return true;
}

static void collapse_end(void)
{
	spinlock_acquire(&walk_lock);
	collapsing = false;
	__atomic_sub_fetch(&collapsers, 1, __ATOMIC_SEQ_CST);
	wakeup(&walkers);
	spinlock_release(&walk_lock);
	(*thread_walks())--;
}

static void collapse_chain(struct vm_object *obj);

void vm_object_collapse(struct vm_object *obj)
{
	if (!collapse_begin())
		return;
	collapse_chain(obj);
	collapse_end();
}

static void collapse_chain(struct vm_object *obj)
{
	for (;;) {
		vm_object_lock(obj);
		struct vm_object *backing = obj->backing_object;
		if (backing == NULL) {
			vm_object_unlock(obj);
			return;
		}
		vm_object_lock(backing);
		if (sole_shadow(backing) != obj) {
			vm_object_unlock(backing);
			vm_object_unlock(obj);
			return;
		}
		if (backing->paging_in_progress > 0) {
			/* Its pages are not at rest (one is being written out): wait,
			 * holding a reference on obj so that it outlives the wait
			 * (backing lives while obj does), then look again. */
			obj->ref_count++;
			vm_object_unlock(obj);
			vm_object_pip_wait(backing);
			vm_object_unlock(backing);
			if (!collapse_drop_hold(obj))
				return;
			continue;
		}
		if (!pages_at_rest(backing)) {
			/* Kernel code holds one of its pages wired (a copy
			 * through this chain): leave the chain as it is; the
			 * next deallocate tries again. */
			vm_object_unlock(backing);
			vm_object_unlock(obj);
			return;
		}
		/* Swap first: it is the one step that can fail (for memory). */
		if (vm_pager_collapse(backing, obj, obj->backing_offset) != 0) {
			vm_object_unlock(backing);
			vm_object_unlock(obj);
			return;
		}
		collapse_pages(obj, backing);
		collapse_relink(obj, backing);
		vm_object_unlock(backing);
		vm_object_unlock(obj);
		vm_object_free(backing);
	}
}

uint64_t vm_object_page_count(struct vm_object *obj)
{
	vm_object_lock(obj);
	uint64_t n = vm_pager_page_count(obj);
	list_foreach(&obj->memq, node) {
		struct vm_page *m = list_entry(node, struct vm_page, listq);
		if (!vm_pager_has_page(obj, m->pindex))
			n++;
	}
	vm_object_unlock(obj);
	return n;
}

int vm_object_chain_length(struct vm_object *obj)
{
	int n = 0;
	for (; obj != NULL; obj = obj->backing_object)
		n++;
	return n;
}

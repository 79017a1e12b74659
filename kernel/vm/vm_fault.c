/*
 * vm_fault.c - the page-fault handler.
 *
 * A fault at address va in a vmspace is resolved in steps, each a small
 * function below, all under the map lock:
 *
 *   1. Entry (fault_lookup_entry).  No entry contains va: SIGSEGV.  The
 *      access is not allowed by the entry's protection: SIGSEGV.  (On x86
 *      write or execute permission implies read; VM_FAULT_FORCE - a kernel
 *      write such as exec loading text - skips the check.)
 *
 *   2. First object (fault_first_object).  A private anonymous entry that
 *      was never touched gets its object now, sized to the entry.  A write
 *      through a needs_copy entry (one that shares its object copy-on-write
 *      after fork or for a private file mapping) puts a fresh shadow object
 *      in front first, unless the entry's reference is by now the object's
 *      only one, in which case there is nobody to copy from and needs_copy
 *      is just cleared.  The entry's object is the "first object" and the
 *      page index in it is the "first index".
 *
 *   3. Find the page (fault_find_page): walk the shadow chain from the
 *      first object.  At each object: an index at or past its size is
 *      SIGBUS (a mapping of an shm object may extend past its end); a
 *      resident page ends the walk; else if the pager has the page it is
 *      paged in (fault_pagein, with up to FAULT_READAHEAD - 1 following
 *      pages the pager also has, in the same request; an I/O error is
 *      IOERR); else go to the backing object at index + backing_offset.
 *
 *   4. Then one of three cases:
 *      not found anywhere  zero-fill (fault_zero_fill): a zeroed page is
 *                          put in the first object (shadowing a needs_copy
 *                          entry first, so the shared object never changes);
 *      found below, write  copy-on-write (fault_cow): copy it into the
 *                          first object; the backing page stays for the
 *                          others who read through it;
 *      otherwise           use the page found.
 *
 *   5. Map it (fault_map) with the entry's protection, minus write if the
 *      page belongs to a backing object or the entry still needs_copy: a
 *      read of a page owned by a backing object is mapped read-only, so a
 *      later write faults again and copies.  The page goes to the active
 *      queue.
 *
 * The page the fault works on is busy (vm_page.h) from the moment it is
 * found or made until it is mapped: the pageout daemon leaves it alone and
 * another fault on it waits.  A fault that meets a page someone else has
 * busy sleeps until it is not and starts over (VM_FAULT_RETRY).
 *
 * Dirty pages and swap.  A page differs from its copy on swap once it is
 * written, and the copy is then worthless: a write fault marks the page
 * PG_DIRTY and gives its swap slot back; a read fault maps a clean page
 * read-only, so that the first write comes through here.  New pages
 * (zero-filled, copied) are dirty: they have no copy anywhere.
 *
 * Memory.  Pages for user data are VM_ALLOC_NORMAL, which leaves the
 * kernel's reserve alone.  When none is left the fault gives up the map
 * lock, waits for the pageout daemon (vm_page_wait) and starts over; it
 * reports VM_FAULT_OOM only when the daemon could free nothing (vm_fault's
 * caller then kills the process that faulted: it is the one that needs the
 * memory now, the same rule the kernel applies when swap is full).  Every
 * change made before giving up is harmless (an object created, a shadow
 * interposed) or undone.
 */
#include "kern/kernel.h"
#include "kern/string.h"
#include "kern/errno.h"
#include "kern/counters.h"
#include "vm/vm_fault.h"
#include "vm/vm_map.h"
#include "vm/vm_object.h"
#include "vm/vm_page.h"
#include "vm/vm_pager.h"
#include "vm/vm_pageout.h"
#include "arch/x86_64/pmap.h"

#define FAULT_READAHEAD 8              /* pages one page-in may read */

struct faultstate {
	struct vmspace *vs;
	struct vm_map_entry *entry;
	uint64_t va;                    /* page aligned */
	int type;                       /* VM_FAULT_* */
	struct vm_object *first_object; /* the entry's object */
	uint64_t first_pindex;
	struct vm_object *object;       /* where m was found */
	struct vm_page *m;              /* the page to map */
	bool fresh;                     /* m was made here: zero-filled or copied */
	struct vm_object *seen_object;  /* the first object as fault_find_page saw it */
	uint32_t seen_generation;       /* ... and its generation then */
};

const char *vm_fault_result_name(enum vm_fault_result r)
{
	switch (r) {
	case VM_FAULT_OK: return "ok";
	case VM_FAULT_SIGSEGV: return "segmentation fault";
	case VM_FAULT_SIGBUS: return "bus error (past the end of the object)";
	case VM_FAULT_OOM: return vm_pageout_store_full() ? "out of swap" : "out of memory";
	case VM_FAULT_IOERR: return "I/O error paging in";
	case VM_FAULT_RETRY: return "retry";
	}
	return "?";
}

/* What the entry allows, with x86's implied read. */
static int effective_prot(const struct vm_map_entry *e)
{
	int prot = e->prot;
	if (prot & (PROT_WRITE | PROT_EXEC))
		prot |= PROT_READ;
	return prot;
}

static enum vm_fault_result fault_lookup_entry(struct faultstate *fs)
{
	fs->entry = vm_map_lookup_entry(&fs->vs->map, fs->va);
	if (fs->entry == NULL)
		return VM_FAULT_SIGSEGV;
	int need = fs->type & (VM_FAULT_READ | VM_FAULT_WRITE | VM_FAULT_EXEC);
	if (!(fs->type & VM_FAULT_FORCE) && (effective_prot(fs->entry) & need) != need)
		return VM_FAULT_SIGSEGV;
	return VM_FAULT_OK;
}

static void fault_set_first(struct faultstate *fs)
{
	fs->first_object = fs->entry->object;
	fs->first_pindex = (fs->va - fs->entry->start + fs->entry->offset) >> PAGE_SHIFT;
}

#if 1 /* LAB cow: BEGIN */
/* Give a needs_copy entry its own object: a shadow, or the object itself if no one else has it. */
static enum vm_fault_result fault_shadow_entry(struct faultstate *fs)
{
	struct vm_map_entry *e = fs->entry;
	vm_object_lock(e->object);
	bool alone = e->object->ref_count == 1;
	vm_object_unlock(e->object);
	if (!alone && vm_object_shadow(&e->object, &e->offset, (e->end - e->start) >> PAGE_SHIFT) != 0)
		return VM_FAULT_OOM;
	e->needs_copy = false;
	fault_set_first(fs);
	return VM_FAULT_OK;
}
#else /* LAB cow: STUB */
/*
 * LAB cow: a helper of the stubs, not part of your solution.  A new
 * anonymous object holding a copy of every page that src (or an object
 * behind it) has at first .. first + npages - 1, ending where src's chain
 * ends: what copy-on-write would copy, copied all at once, as the oldest
 * Unix fork did.  Pages nobody has stay absent (they read as zeros).  Each
 * copy is also mapped at va + its offset in pmap with prot (when pmap is
 * not NULL), as if it had been touched.  0, -ENOMEM or -EIO.  Sleeps (it
 * may page in and wait for memory); no spinlock held.  Once your fork and
 * fault_shadow_entry share pages, nothing calls it: delete it, and its
 * declaration in vm_fault.h.
 */
struct copy_window {
	struct vm_object *copy;
	struct pmap *pmap;              /* where the copies are mapped, or NULL */
	uint64_t va;                    /* ... from this address */
	int prot;
};

/* The page src's chain has at pindex, wired, or NULL: 0 or -errno. */
static int chain_page(struct vm_object *obj, uint64_t pindex, struct vm_page **mp)
{
	int err;
	*mp = NULL;
	vm_object_walk_begin();
	while ((err = vm_fault_object_page(obj, pindex, mp)) == -ENOENT) {
		vm_object_lock(obj);
		struct vm_object *next = obj->backing_object;
		pindex += obj->backing_offset;
		vm_object_unlock(obj);
		if (next == NULL)
			break;
		obj = next;
	}
	vm_object_walk_end();
	return err == -ENOENT ? 0 : err;
}

static int copy_one_page(struct vm_object *src, uint64_t pindex, struct copy_window *w,
    uint64_t to)
{
	struct vm_page *from, *m;
	int err = chain_page(src, pindex, &from);
	if (err || from == NULL)
		return err;
	while ((m = vm_page_alloc(VM_ALLOC_NORMAL)) == NULL) {
		if (!vm_page_wait()) {
			vm_page_unwire(from);
			return -ENOMEM;
		}
	}
	memcpy(vm_page_to_dmap(m), vm_page_to_dmap(from), PAGE_SIZE);
	vm_page_unwire(from);
	__atomic_fetch_or(&m->flags, PG_DIRTY, __ATOMIC_RELAXED);
	vm_object_lock(w->copy);
	vm_page_insert(m, w->copy, to);
	vm_object_unlock(w->copy);
	if (w->pmap != NULL && w->prot != PROT_NONE)
		(void)pmap_enter(w->pmap, w->va + to * PAGE_SIZE, m, w->prot, false);  /* else a fault maps it */
	vm_page_activate(m);
	return 0;
}

/* How many pages from first on the chain from obj shows before its end
 * (past it, a fault is SIGBUS: the copy must end there too). */
static uint64_t visible_pages(struct vm_object *obj, uint64_t first, uint64_t npages)
{
	vm_object_walk_begin();
	while (obj != NULL) {
		vm_object_lock(obj);
		npages = first >= obj->size ? 0 : MIN(npages, obj->size - first);
		first += obj->backing_offset;
		struct vm_object *next = obj->backing_object;
		vm_object_unlock(obj);
		obj = next;
	}
	vm_object_walk_end();
	return npages;
}

int vm_fault_copy_window(struct vm_object *src, uint64_t first, uint64_t npages,
    struct pmap *pmap, uint64_t va, int prot, struct vm_object **copyp)
{
	struct copy_window w = { .pmap = pmap, .va = va, .prot = prot };
	npages = visible_pages(src, first, npages);
	w.copy = vm_object_allocate_anon(npages);
	if (w.copy == NULL)
		return -ENOMEM;
	for (uint64_t i = 0; i < npages; i++) {
		int err = copy_one_page(src, first + i, &w, i);
		if (err) {
			if (pmap != NULL)
				pmap_remove(pmap, va, va + npages * PAGE_SIZE);
			vm_object_deallocate(w.copy);
			return err;
		}
	}
	*copyp = w.copy;
	return 0;
}

/*
 * LAB cow: give a needs_copy entry its own object at its first write: a
 * shadow object in front of the shared one (vm_object_shadow), so that
 * only the pages written are ever copied -- or, when the entry's
 * reference is by now the object's only one, the object itself (nobody
 * is left to copy from).  Then clear needs_copy and set the first object
 * again (fault_set_first).
 *
 * This stub gives the entry a private copy of the whole window instead
 * (unmapping what the pmap mapped of the shared object), which is right
 * but copies every page, written or not.
 */
static enum vm_fault_result fault_shadow_entry(struct faultstate *fs)
{
	struct vm_map_entry *e = fs->entry;
	struct vm_object *copy;
	pmap_remove(vmspace_pmap(fs->vs), e->start, e->end);   /* the shared pages */
	int err = vm_fault_copy_window(e->object, e->offset >> PAGE_SHIFT,
	    (e->end - e->start) >> PAGE_SHIFT, NULL, 0, PROT_NONE, &copy);
	if (err)
		return err == -EIO ? VM_FAULT_IOERR : VM_FAULT_OOM;
	vm_object_deallocate(e->object);
	e->object = copy;
	e->offset = 0;
	e->needs_copy = false;
	fault_set_first(fs);
	return VM_FAULT_OK;
}
#endif /* LAB cow: END */

static enum vm_fault_result fault_first_object(struct faultstate *fs)
{
	struct vm_map_entry *e = fs->entry;
	if (e->object == NULL) {
		e->object = vm_object_allocate_anon((e->end - e->start) >> PAGE_SHIFT);
		if (e->object == NULL)
			return VM_FAULT_OOM;
		e->object->flags |= OBJ_ONEMAPPING;
		e->offset = 0;
		e->needs_copy = false;
	}
	fault_set_first(fs);
	if (e->needs_copy && (fs->type & VM_FAULT_WRITE))
		return fault_shadow_entry(fs);
	return VM_FAULT_OK;
}

/* How many pages from pindex on to read in one request: the page itself
 * and the following ones the pager has and nobody has in memory.  (o) held. */
static int fault_readahead_count(struct vm_object *obj, uint64_t pindex)
{
	vm_object_assert_locked(obj);
	int n = 1;
	while (n < FAULT_READAHEAD && pindex + n < obj->size &&
	    vm_page_lookup(obj, pindex + n) == NULL && vm_pager_has_page(obj, pindex + n))
		n++;
	return n;
}

/*
 * Read page pindex of obj from its pager, with read-ahead; answers the page,
 * busy.  obj locked (released around the I/O, held again on return).  The
 * read-ahead pages go to the inactive queue unmapped, marked PG_READAHEAD
 * so a later fault on one can count it as used.
 */
static enum vm_fault_result fault_pagein(struct vm_object *obj, uint64_t pindex, struct vm_page **mp)
{
	struct vm_page *ma[FAULT_READAHEAD];
	int n = fault_readahead_count(obj, pindex), got = 0;
	while (got < n && (ma[got] = vm_page_alloc(VM_ALLOC_NORMAL)) != NULL)
		got++;
	if (got == 0)
		return VM_FAULT_OOM;
	for (int i = 0; i < got; i++) {
		vm_page_busy(ma[i]);
		vm_page_insert(ma[i], obj, pindex + i);
	}
	vm_object_pip_add(obj, 1);
	vm_object_unlock(obj);
	/* The pages read good: all, or -- when the request failed and may have
	 * failed only for a page read ahead -- the one the fault needs alone. */
	int good = vm_pager_get_pages(obj, ma, got) == 0 ? got : 0;
	if (good == 0 && got > 1 && vm_pager_get_pages(obj, ma, 1) == 0)
		good = 1;
	vm_object_lock(obj);
	for (int i = good > 0 ? 1 : 0; i < got; i++) {  /* the fault's page stays busy */
		vm_page_unbusy(ma[i]);
		if (i >= good) {
			vm_page_remove(ma[i]);
			vm_page_free(ma[i]);
		} else {
			__atomic_fetch_or(&ma[i]->flags, PG_READAHEAD, __ATOMIC_RELAXED);
			vm_page_deactivate(ma[i]);
		}
	}
	vm_object_pip_done(obj);
	COUNTER_ADD(pageins, good);
	if (good == 0)
		return VM_FAULT_IOERR;
	*mp = ma[0];
	return VM_FAULT_OK;
}

/* Look in one object of the chain.  Sets *mp, busy, or leaves it NULL; obj locked. */
static enum vm_fault_result fault_lookup_in(struct vm_object *obj, uint64_t pindex, struct vm_page **mp)
{
	if (pindex >= obj->size)
		return VM_FAULT_SIGBUS;
	struct vm_page *m = vm_page_lookup(obj, pindex);
	if (m != NULL && (m->flags & PG_BUSY)) {
		vm_page_busy_sleep(m, obj);
		return VM_FAULT_RETRY;
	}
	if (m != NULL) {
		vm_page_busy(m);
		if (__atomic_fetch_and(&m->flags, (uint16_t)~PG_READAHEAD, __ATOMIC_RELAXED) & PG_READAHEAD)
			COUNTER_INC(readahead_used);
		*mp = m;
		return VM_FAULT_OK;
	}
	if (vm_pager_has_page(obj, pindex))
		return fault_pagein(obj, pindex, mp);
	return VM_FAULT_OK;
}

static enum vm_fault_result fault_find_page(struct faultstate *fs)
{
	struct vm_object *obj = fs->first_object;
	uint64_t pindex = fs->first_pindex;
	fs->m = NULL;
	while (obj != NULL) {
		vm_object_lock(obj);
		if (obj == fs->first_object) {
			fs->seen_object = obj;
			fs->seen_generation = obj->generation;
		}
		enum vm_fault_result r = fault_lookup_in(obj, pindex, &fs->m);
		struct vm_object *next = obj->backing_object;
		pindex += obj->backing_offset;
		vm_object_unlock(obj);
		if (r != VM_FAULT_OK || fs->m != NULL) {
			fs->object = obj;
			return r;
		}
		obj = next;
	}
	return VM_FAULT_OK;
}

/*
 * Put page m (new data: it becomes busy and dirty) into the first object at
 * the first index.  The object's lock was let go since fault_find_page saw
 * nothing there, so look again: a fault on another CPU may have put a page
 * there meanwhile (RETRY: take that one), or a truncate may have cut the
 * index off (SIGBUS).  m is freed in both cases.  The object's generation
 * says whether anything was inserted or resized since, which is seldom:
 * only then are the page hash and the pager asked.
 */
static enum vm_fault_result fault_insert_first(struct faultstate *fs, struct vm_page *m)
{
	struct vm_object *obj = fs->first_object;
	enum vm_fault_result r = VM_FAULT_OK;
	vm_object_lock(obj);
	if (obj == fs->seen_object && obj->generation == fs->seen_generation)
		;                       /* nothing came or went: no need to look */
	else if (fs->first_pindex >= obj->size)
		r = VM_FAULT_SIGBUS;
	else if (vm_page_lookup(obj, fs->first_pindex) != NULL ||
	    vm_pager_has_page(obj, fs->first_pindex))
		r = VM_FAULT_RETRY;
	if (r == VM_FAULT_OK) {
		__atomic_fetch_or(&m->flags, PG_DIRTY, __ATOMIC_RELAXED);
		vm_page_busy(m);
		vm_page_insert(m, obj, fs->first_pindex);
	}
	vm_object_unlock(obj);
	if (r != VM_FAULT_OK) {
		vm_page_free(m);
		return r;
	}
	fs->m = m;
	fs->object = obj;
	fs->fresh = true;
	return VM_FAULT_OK;
}

/* The fault is done with fs->m: let others at it (wired first, with wire,
 * for a caller that goes on using it). */
static void fault_release_page(struct faultstate *fs, bool wire)
{
	vm_object_lock(fs->object);
	if (wire)
		vm_page_wire(fs->m);
	vm_page_unbusy(fs->m);
	vm_object_unlock(fs->object);
}

static enum vm_fault_result fault_zero_fill(struct faultstate *fs)
{
	if (fs->entry->needs_copy) {
		enum vm_fault_result r = fault_shadow_entry(fs);
		if (r != VM_FAULT_OK)
			return r;
	}
	struct vm_page *m = vm_page_alloc(VM_ALLOC_NORMAL | VM_ALLOC_ZERO);
	if (m == NULL)
		return VM_FAULT_OOM;
	enum vm_fault_result r = fault_insert_first(fs, m);
	if (r == VM_FAULT_OK)
		COUNTER_INC(zero_fills);
	return r;
}

/* Copy fs->m (busy, in a backing object) into a new page of the first object. */
static enum vm_fault_result fault_cow(struct faultstate *fs)
{
#if 1 /* LAB cow: BEGIN */
	struct vm_page *m = vm_page_alloc(VM_ALLOC_NORMAL);
	if (m != NULL)
		vm_page_copy(m, fs->m);
	fault_release_page(fs, false);          /* the source: others may read it on */
	if (m == NULL)
		return VM_FAULT_OOM;
	enum vm_fault_result r = fault_insert_first(fs, m);
	if (r == VM_FAULT_OK)
		COUNTER_INC(cow_copies);
	return r;
#else /* LAB cow: STUB */
	/*
	 * LAB cow: a write found the page in an object behind the first one.
	 * Copy it into a new page, let the source go (it stays where it is,
	 * for everyone else who reads through that object), put the copy in
	 * the first object at the first index, and count it in cow_copies.
	 * Out of memory is VM_FAULT_OOM (vm_fault_hold then waits and retries).
	 * The stubs never make a shadow object, so nothing comes here yet.
	 */
	panic("fault_cow: LAB cow: copy on write is not written yet (fault at %#lx)", fs->va);
#endif /* LAB cow: END */
}

/*
 * A write makes the page differ from its copy on swap: dirty, and the copy
 * goes.  A clean page (its copy on swap is good) is mapped read-only on a
 * read, so that its first write comes back here.
 */
static int fault_prot(struct faultstate *fs)
{
	int prot = effective_prot(fs->entry);
	if (fs->object != fs->first_object || fs->entry->needs_copy)
		prot &= ~PROT_WRITE;
	/* A fresh page is dirty already, and its index has nothing on swap
	 * to give back: fault_find_page asked the first object's pager. */
	if ((fs->type & VM_FAULT_WRITE) && !fs->fresh) {
		vm_fault_page_dirtied(fs->object, fs->m);
	} else if (!(fs->m->flags & PG_DIRTY)) {
		prot &= ~PROT_WRITE;
	}
	return prot;
}

static enum vm_fault_result fault_map(struct faultstate *fs)
{
	int prot = fault_prot(fs);
	if (prot != PROT_NONE && pmap_enter(vmspace_pmap(fs->vs), fs->va, fs->m, prot, false) != 0)
		return VM_FAULT_OOM;
	vm_page_activate(fs->m);
	return VM_FAULT_OK;
}

/* Steps 2-5 of the essay, once the entry is known and allowed.  On OK
 * fs->m is mapped and still busy (the caller releases it). */
static enum vm_fault_result fault_resolve(struct faultstate *fs)
{
	enum vm_fault_result r = fault_first_object(fs);
	if (r == VM_FAULT_OK)
		r = fault_find_page(fs);
	if (r != VM_FAULT_OK)
		return r;
	if (fs->m == NULL)
		r = fault_zero_fill(fs);
	else if (fs->object != fs->first_object && (fs->type & VM_FAULT_WRITE))
		r = fault_cow(fs);
	if (r != VM_FAULT_OK)
		return r;
	r = fault_map(fs);
	if (r != VM_FAULT_OK)
		fault_release_page(fs, false);
	return r;
}

/* One try: the map lock is held throughout. */
static enum vm_fault_result fault_once(struct faultstate *fs, struct vm_page **mp)
{
	vm_map_lock(&fs->vs->map);
	enum vm_fault_result r = fault_lookup_entry(fs);
	if (r == VM_FAULT_OK)
		r = fault_resolve(fs);
	if (r == VM_FAULT_OK) {
		fault_release_page(fs, mp != NULL);
		if (mp != NULL)
			*mp = fs->m;
	}
	vm_map_unlock(&fs->vs->map);
	return r;
}

enum vm_fault_result vm_fault_hold(struct vmspace *vs, uint64_t addr, int fault_type,
    struct vm_page **mp)
{
	if (vs == NULL || addr >= USER_MAX)
		return VM_FAULT_SIGSEGV;
	for (;;) {
		struct faultstate fs = { .vs = vs, .va = page_trunc(addr), .type = fault_type };
		if (!(fault_type & (VM_FAULT_WRITE | VM_FAULT_EXEC)))
			fs.type |= VM_FAULT_READ;
		vm_object_walk_begin();
		enum vm_fault_result r = fault_once(&fs, mp);
		vm_object_walk_end();
		if (r == VM_FAULT_RETRY)
			continue;
		if (r == VM_FAULT_OOM && vm_page_wait())
			continue;
		return r;
	}
}

enum vm_fault_result vm_fault(struct vmspace *vs, uint64_t addr, int fault_type)
{
	COUNTER_INC(page_faults);
	return vm_fault_hold(vs, addr, fault_type & ~VM_FAULT_FORCE, NULL);
}

bool vm_fault_page_exists(struct vmspace *vs, uint64_t va)
{
	bool held = false;
	vm_map_lock(&vs->map);
	struct vm_map_entry *e = vm_map_lookup_entry(&vs->map, va);
	struct vm_object *obj = e ? e->object : NULL;
	uint64_t pindex = e ? (va - e->start + e->offset) >> PAGE_SHIFT : 0;
	vm_object_walk_begin();
	while (obj != NULL && !held) {
		vm_object_lock(obj);
		if (pindex >= obj->size) {
			vm_object_unlock(obj);
			break;                  /* past the end: SIGBUS, not a page */
		}
		held = vm_page_lookup(obj, pindex) != NULL || vm_pager_has_page(obj, pindex);
		struct vm_object *next = obj->backing_object;
		pindex += obj->backing_offset;
		vm_object_unlock(obj);
		obj = next;
	}
	vm_object_walk_end();
	vm_map_unlock(&vs->map);
	return held;
}

/*
 * The page at (obj, pindex) in memory, wired: found, or read from the pager
 * (no read-ahead).  For kernel code that works on an object without a
 * mapping (shm zeroing the tail of its last page).  0, -ENOENT (nobody has
 * it), -EIO, -EINVAL (past the end) or -ENOMEM (after waiting for the
 * pageout daemon in vain).  Sleeps; call with no lock held.  The caller
 * vm_page_unwire()s it.
 */
int vm_fault_object_page(struct vm_object *obj, uint64_t pindex, struct vm_page **mp)
{
	for (;;) {
		vm_object_lock(obj);
		struct vm_page *m = NULL;
		enum vm_fault_result r = fault_lookup_in(obj, pindex, &m);
		if (r == VM_FAULT_OK && m == NULL) {
			vm_object_unlock(obj);
			return -ENOENT;
		}
		if (r == VM_FAULT_OK) {
			vm_page_wire(m);
			vm_page_unbusy(m);
			*mp = m;
		}
		vm_object_unlock(obj);
		if (r == VM_FAULT_RETRY || (r == VM_FAULT_OOM && vm_page_wait()))
			continue;
		return r == VM_FAULT_OK ? 0 : r == VM_FAULT_IOERR ? -EIO : r == VM_FAULT_SIGBUS ?
		    -EINVAL : -ENOMEM;
	}
}

void vm_fault_page_dirtied(struct vm_object *obj, struct vm_page *m)
{
	__atomic_fetch_or(&m->flags, PG_DIRTY, __ATOMIC_RELAXED);
	vm_object_lock(obj);
	vm_pager_free_range(obj, m->pindex, m->pindex + 1);
	vm_object_unlock(obj);
}

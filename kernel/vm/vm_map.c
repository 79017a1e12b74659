/*
 * vm_map.c - address spaces (see vm_map.h): entries, splitting, fork.
 *
 * Splitting ("clipping") an entry at an address never changes what any
 * address means: the two halves map the same object at consecutive offsets
 * (one more reference on it).  So munmap and mprotect first split at both
 * ends of their range - the only step that can fail, for want of memory -
 * and then change whole entries, which cannot fail.
 *
 * fork (vmspace_fork) walks the parent's entries in order:
 *   share  the child's entry takes another reference on the same object;
 *   copy   without an object yet: the child simply gets its own untouched
 *          anonymous entry; with one: both entries keep the object, are
 *          marked needs_copy, and the parent's mappings of the range are
 *          write-protected, so the first write on either side faults and
 *          shadows (vm_fault.c);
 *   none   the child gets nothing.
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/string.h"
#include "vm/kmem.h"
#include "vm/vm_map.h"
#include "vm/vm_object.h"
#include "vm/vm_page.h"
#include "vm/vm_fault.h"
#include "arch/x86_64/pmap.h"

void vm_map_lock(struct vm_map *map)
{
	mutex_lock(&map->lock);
}

void vm_map_unlock(struct vm_map *map)
{
	mutex_unlock(&map->lock);
}

static void map_assert_locked(struct vm_map *map)
{
	KASSERT(mutex_held(&map->lock), "vm_map: map %p not locked", map);
	mutex_assert_held(&map->lock);
}

static struct vm_map_entry *entry_of(struct list_node *n)
{
	return n ? list_entry(n, struct vm_map_entry, link) : NULL;
}

static struct vm_map_entry *entry_next(struct vm_map *map, struct vm_map_entry *e)
{
	return e->link.next == &map->entries.head ? NULL : entry_of(e->link.next);
}

static struct vm_map_entry *entry_prev(struct vm_map *map, struct vm_map_entry *e)
{
	return e->link.prev == &map->entries.head ? NULL : entry_of(e->link.prev);
}

/* The first entry that ends above addr (contains addr or lies above it), or NULL. */
static struct vm_map_entry *entry_at_or_above(struct vm_map *map, uint64_t addr)
{
	struct vm_map_entry *e = map->hint;
	if (e == NULL || e->start > addr)
		e = entry_of(list_first(&map->entries));
	while (e != NULL && e->end <= addr)
		e = entry_next(map, e);
	if (e != NULL)
		map->hint = e;
	return e;
}

struct vm_map_entry *vm_map_lookup_entry(struct vm_map *map, uint64_t addr)
{
	map_assert_locked(map);
	struct vm_map_entry *e = entry_at_or_above(map, addr);
	return (e != NULL && e->start <= addr) ? e : NULL;
}

bool vm_map_range_free(struct vm_map *map, uint64_t start, uint64_t end)
{
	struct vm_map_entry *e = entry_at_or_above(map, start);
	return e == NULL || e->start >= end;
}

bool vm_map_next_range(struct vm_map *map, uint64_t addr, uint64_t *start, uint64_t *end)
{
	map_assert_locked(map);
	struct vm_map_entry *e = entry_at_or_above(map, addr);
	if (e == NULL)
		return false;
	*start = MAX(e->start, addr);
	*end = e->end;
	return true;
}

uint64_t vm_map_bytes_mapped(struct vm_map *map, uint64_t start, uint64_t end)
{
	uint64_t bytes = 0;
	map_assert_locked(map);
	for (struct vm_map_entry *e = entry_at_or_above(map, start); e && e->start < end;
	    e = entry_next(map, e))
		bytes += MIN(e->end, end) - MAX(e->start, start);
	return bytes;
}

int vm_map_findspace(struct vm_map *map, uint64_t len, uint64_t *addrp)
{
	uint64_t hi = VM_MMAP_TOP;
	map_assert_locked(map);
	for (struct vm_map_entry *e = entry_of(list_last(&map->entries)); e; e = entry_prev(map, e)) {
		if (e->start >= hi)
			continue;
		if (e->end <= hi && hi - e->end >= len) {
			*addrp = hi - len;
			return 0;
		}
		hi = e->start;
	}
	if (hi < VM_MMAP_MIN || hi - VM_MMAP_MIN < len)
		return -ENOMEM;
	*addrp = hi - len;
	return 0;
}

/* Link e into map after `after` (NULL: at the front). */
/*
 * Does e let someone write its object's pages for everyone to see (a
 * shared mapping whose max_prot allows write)?  Such entries are counted in
 * the object (writable_mappings) as they are linked, and the entry
 * remembers it (writecount) to be uncounted when it is unlinked: every
 * entry is linked once (insert, split, fork) and unlinked once.  An entry
 * linked before it had an object (anonymous memory, given one by its first
 * fault) is not counted; no descriptor reaches such an object, so no seal
 * can ask.  F_SEAL_WRITE on an shm object needs the count (EBUSY while any
 * exist), as FreeBSD's writecount.
 */
static bool entry_writes_shared(const struct vm_map_entry *e)
{
	return e->object != NULL && e->inheritance == VM_INHERIT_SHARE && !e->needs_copy &&
	    (e->max_prot & PROT_WRITE);
}

static void entry_count_write(struct vm_map_entry *e, int delta)
{
	if (delta > 0)
		e->writecount = entry_writes_shared(e);
	if (!e->writecount)
		return;
	vm_object_count_writers(e->object, delta);
	if (delta < 0)
		e->writecount = false;
}

static void entry_link(struct vm_map *map, struct vm_map_entry *after, struct vm_map_entry *e)
{
	list_insert_after(after ? &after->link : &map->entries.head, &e->link);
	map->nentries++;
	map->size += e->end - e->start;
	entry_count_write(e, 1);
}

static void entry_unlink(struct vm_map *map, struct vm_map_entry *e)
{
	if (map->hint == e)
		map->hint = NULL;
	list_remove(&e->link);
	map->nentries--;
	map->size -= e->end - e->start;
	entry_count_write(e, -1);
}

/* The last entry that starts below addr (where a new entry at addr goes after), or NULL. */
static struct vm_map_entry *entry_before(struct vm_map *map, uint64_t addr)
{
	struct vm_map_entry *e = entry_at_or_above(map, addr);
	if (e == NULL)
		return entry_of(list_last(&map->entries));
	return e->start < addr ? e : entry_prev(map, e);
}

/* Can a fresh anonymous range [start, ...) simply extend prev?  (brk growth) */
static bool entry_can_extend(struct vm_map_entry *prev, uint64_t start, struct vm_object *obj,
    int prot, int max_prot, int inh, bool needs_copy)
{
	return prev != NULL && prev->end == start && obj == NULL && prev->object == NULL &&
	    prev->prot == prot && prev->max_prot == max_prot && prev->inheritance == inh &&
	    !needs_copy && !prev->needs_copy;
}

int vm_map_insert(struct vm_map *map, uint64_t start, uint64_t end, struct vm_object *obj,
    uint64_t offset, int prot, int max_prot, int inheritance, bool needs_copy)
{
	map_assert_locked(map);
	KASSERT(start < end && !(start & PAGE_MASK) && !(end & PAGE_MASK) && end <= USER_MAX,
	    "vm_map_insert: bad range [%#lx, %#lx)", start, end);
	KASSERT(vm_map_range_free(map, start, end), "vm_map_insert: [%#lx, %#lx) in use", start, end);
	struct vm_map_entry *prev = entry_before(map, start);
	if (entry_can_extend(prev, start, obj, prot, max_prot, inheritance, needs_copy)) {
		prev->end = end;
		map->size += end - start;
		return 0;
	}
	if (map->nentries >= VM_MAP_ENTRIES_MAX)
		return -ENOMEM;
	struct vm_map_entry *e = kmalloc(sizeof(*e), KM_ZERO);
	if (e == NULL)
		return -ENOMEM;
	e->start = start;
	e->end = end;
	e->object = obj;
	e->offset = offset;
	e->prot = prot;
	e->max_prot = max_prot;
	e->inheritance = inheritance;
	e->needs_copy = needs_copy;
	entry_link(map, prev, e);
	return 0;
}

/* Split e at addr (inside it): e keeps [start, addr), a new entry gets [addr, end). */
static int entry_split(struct vm_map *map, struct vm_map_entry *e, uint64_t addr)
{
	if (map->nentries >= VM_MAP_ENTRIES_MAX)
		return -ENOMEM;
	struct vm_map_entry *n = kmalloc(sizeof(*n), 0);
	if (n == NULL)
		return -ENOMEM;
	*n = *e;
	n->start = addr;
	n->offset = e->offset + (addr - e->start);
	if (n->object != NULL)
		vm_object_reference(n->object);
	map->size -= e->end - addr;         /* entry_link adds it back */
	e->end = addr;
	entry_link(map, e, n);
	return 0;
}

/* Make entry boundaries at start and end (if they fall inside entries). */
static int map_clip_range(struct vm_map *map, uint64_t start, uint64_t end)
{
	struct vm_map_entry *e = vm_map_lookup_entry(map, start);
	if (e != NULL && e->start < start) {
		int err = entry_split(map, e, start);
		if (err)
			return err;
	}
	e = vm_map_lookup_entry(map, end);
	if (e != NULL && e->start < end)
		return entry_split(map, e, end);
	return 0;
}

/* Remove entry e: its mappings, its pages if nobody else can see them, its reference. */
static void entry_delete(struct vm_map *map, struct vm_map_entry *e)
{
	struct vm_object *obj = e->object;
	pmap_remove(map->pmap, e->start, e->end);
	if (obj != NULL && (obj->flags & OBJ_ONEMAPPING) && obj->shadow_count == 0 && !e->needs_copy) {
		uint64_t first = e->offset >> PAGE_SHIFT;
		vm_object_page_remove(obj, first, first + ((e->end - e->start) >> PAGE_SHIFT));
	}
	entry_unlink(map, e);
	if (obj != NULL)
		vm_object_deallocate(obj);
	kfree(e);
}

int vm_map_delete(struct vm_map *map, uint64_t start, uint64_t end)
{
	map_assert_locked(map);
	int err = map_clip_range(map, start, end);
	if (err)
		return err;
	struct vm_map_entry *e = entry_at_or_above(map, start);
	while (e != NULL && e->start < end) {
		struct vm_map_entry *next = entry_next(map, e);
		entry_delete(map, e);
		e = next;
	}
	return 0;
}

/* Check [start, end) for mprotect: fully mapped (-ENOMEM) and prot within max (-EACCES). */
static int protect_check(struct vm_map *map, uint64_t start, uint64_t end, int prot)
{
	uint64_t covered = start;
	for (struct vm_map_entry *e = entry_at_or_above(map, start); e && e->start < end;
	    e = entry_next(map, e)) {
		if (e->start > covered)
			return -ENOMEM;
		if (prot & ~e->max_prot)
			return -EACCES;
		covered = e->end;
	}
	return covered >= end ? 0 : -ENOMEM;
}

int vm_map_protect(struct vm_map *map, uint64_t start, uint64_t end, int prot)
{
	map_assert_locked(map);
	int err = protect_check(map, start, end, prot);
	if (err == 0)
		err = map_clip_range(map, start, end);
	if (err)
		return err;
	for (struct vm_map_entry *e = entry_at_or_above(map, start); e && e->start < end;
	    e = entry_next(map, e)) {
		e->prot = prot;
		pmap_protect(map->pmap, e->start, e->end, prot);    /* only ever removes rights */
	}
	return 0;
}

/* ------------------------------------------------------------------ vmspace */

struct vmspace *vmspace_alloc(void)
{
	struct vmspace *vs = kmalloc(sizeof(*vs), KM_ZERO);
	if (vs == NULL)
		return NULL;
	vs->map.pmap = pmap_create();
	if (vs->map.pmap == NULL) {
		kfree(vs);
		return NULL;
	}
	mutex_init(&vs->map.lock, "vm_map");
	list_init(&vs->map.entries);
	vs->refcnt = 1;
	return vs;
}

void vmspace_hold(struct vmspace *vs)
{
	int old = __atomic_fetch_add(&vs->refcnt, 1, __ATOMIC_RELAXED);
	KASSERT(old > 0, "vmspace_hold: vmspace %p has %d references", vs, old);
}

void vmspace_free(struct vmspace *vs)
{
	if (vs == NULL || __atomic_sub_fetch(&vs->refcnt, 1, __ATOMIC_ACQ_REL) > 0)
		return;
	vm_map_lock(&vs->map);
	int err = vm_map_delete(&vs->map, 0, USER_MAX);    /* no entry straddles the ends */
	KASSERT(err == 0 && vs->map.nentries == 0, "vmspace_free: map not emptied (%d)", err);
	vm_map_unlock(&vs->map);
	pmap_destroy(vs->map.pmap);
	kfree(vs);
}

void vmspace_activate(struct vmspace *vs)
{
	pmap_activate(vs ? vs->map.pmap : NULL);
}

/* Give a shared entry that has no object yet its object, so both sides see it. */
static int fork_ensure_object(struct vm_map_entry *e)
{
	if (e->object != NULL)
		return 0;
	e->object = vm_object_allocate_anon((e->end - e->start) >> PAGE_SHIFT);
	e->offset = 0;
	if (e->object == NULL)
		return -ENOMEM;
	entry_count_write(e, 1);        /* e was linked without an object */
	return 0;
}

/* The child's entry maps e's object too: one more reference, and its
 * pages are no longer reachable through one map range only. */
static void fork_share_object(struct vm_map_entry *e)
{
	vm_object_lock(e->object);
	e->object->ref_count++;
	e->object->flags &= ~OBJ_ONEMAPPING;
	vm_object_unlock(e->object);
}

/*
 * A private (VM_INHERIT_COPY) entry e of the parent src that has an
 * object: make the child's entry c, a copy of e, a private copy of what e
 * shows.  (dst, the child, is for a fork that copies at once and maps
 * its copies there; copy-on-write does not need it.)  0 or -errno (fork
 * fails).  src's map locked.
 */
static int fork_copy_entry(struct vmspace *src, struct vmspace *dst __unused,
    struct vm_map_entry *e, struct vm_map_entry *c)
{
#if 1 /* LAB cow: BEGIN */
	fork_share_object(e);
	e->needs_copy = c->needs_copy = true;
	pmap_protect(src->map.pmap, e->start, e->end, e->prot & ~PROT_WRITE);
	return 0;
#else /* LAB cow: STUB */
	/*
	 * LAB cow: copy nothing.  Let both entries share e's object
	 * (fork_share_object), mark both needs_copy, and write-protect the
	 * parent's mappings of the range (pmap_protect), so that the first
	 * write on either side faults and vm_fault.c's fault_shadow_entry
	 * puts a shadow object in front for that side alone.
	 *
	 * This stub gives the child a copy of every page now, mapped.
	 */
	(void)src;
	c->offset = 0;
	c->needs_copy = false;
	return vm_fault_copy_window(e->object, e->offset >> PAGE_SHIFT,
	    (e->end - e->start) >> PAGE_SHIFT, dst->map.pmap, c->start, c->prot, &c->object);
#endif /* LAB cow: END */
}

/* Copy parent entry e into child map dst per its inheritance (see the top of the file). */
static int fork_entry(struct vmspace *src, struct vmspace *dst, struct vm_map_entry *e)
{
	if (e->inheritance == VM_INHERIT_NONE)
		return 0;
	if (e->inheritance == VM_INHERIT_SHARE && fork_ensure_object(e) != 0)
		return -ENOMEM;
	struct vm_map_entry *c = kmalloc(sizeof(*c), 0);
	if (c == NULL)
		return -ENOMEM;
	*c = *e;
	if (e->object != NULL && e->inheritance == VM_INHERIT_COPY) {
		int err = fork_copy_entry(src, dst, e, c);
		if (err) {
			kfree(c);
			return err;
		}
	} else if (e->object != NULL) {
		fork_share_object(e);
	}
	entry_link(&dst->map, entry_of(list_last(&dst->map.entries)), c);
	return 0;
}

struct vmspace *vmspace_fork(struct vmspace *src)
{
	struct vmspace *dst = vmspace_alloc();
	if (dst == NULL)
		return NULL;
	vm_map_lock(&src->map);
	dst->data_start = src->data_start;
	dst->heap_start = src->heap_start;
	dst->brk = src->brk;
	list_foreach(&src->map.entries, n) {
		if (fork_entry(src, dst, entry_of(n)) != 0) {
			vm_map_unlock(&src->map);
			vmspace_free(dst);
			return NULL;
		}
	}
	vm_map_unlock(&src->map);
	return dst;
}

int vm_map_anon_fixed(struct vmspace *vs, uint64_t addr, uint64_t len, int prot)
{
	if ((addr & PAGE_MASK) || len == 0 || addr < USER_MIN || len > USER_MAX - addr ||
	    (prot & ~VM_PROT_ALL))
		return -EINVAL;
	uint64_t end = page_round(addr + len);
	vm_map_lock(&vs->map);
	int err = vm_map_delete(&vs->map, addr, end);
	if (err == 0)
		err = vm_map_insert(&vs->map, addr, end, NULL, 0, prot, VM_PROT_ALL,
		    VM_INHERIT_COPY, false);
	vm_map_unlock(&vs->map);
	return err;
}

int vm_map_object_cow_fixed(struct vmspace *vs, uint64_t addr, uint64_t len,
    struct vm_object *obj, uint64_t offset, int prot)
{
	if ((addr & PAGE_MASK) || (offset & PAGE_MASK) || len == 0 || addr < USER_MIN ||
	    len > USER_MAX - addr || (prot & ~VM_PROT_ALL))
		return -EINVAL;
	uint64_t end = page_round(addr + len);
	vm_map_lock(&vs->map);
	int err = vm_map_delete(&vs->map, addr, end);
	if (err == 0)
		err = vm_map_insert(&vs->map, addr, end, obj, offset, prot, VM_PROT_ALL,
		    VM_INHERIT_COPY, true);
	vm_map_unlock(&vs->map);
	return err;
}

/* Copy between kernel memory and vs, page by page, through vm_fault_hold. */
static int vmspace_copy(struct vmspace *vs, uint64_t va, char *kbuf, size_t len, bool to_user)
{
	if (va >= USER_MAX || len > USER_MAX - va)
		return -EFAULT;
	while (len > 0) {
		size_t off = va & PAGE_MASK, n = MIN(len, PAGE_SIZE - off);
		struct vm_page *m;
		int type = (to_user ? VM_FAULT_WRITE : VM_FAULT_READ) | VM_FAULT_FORCE;
		enum vm_fault_result r = vm_fault_hold(vs, va - off, type, &m);
		if (r != VM_FAULT_OK)
			return r == VM_FAULT_OOM ? -ENOMEM : -EFAULT;
		char *page = vm_page_to_dmap(m);
		if (to_user)
			memcpy(page + off, kbuf, n);
		else
			memcpy(kbuf, page + off, n);
		vm_page_unwire(m);
		va += n;
		kbuf += n;
		len -= n;
	}
	return 0;
}

int vmspace_copyout(struct vmspace *vs, uint64_t va, const void *src, size_t len)
{
	return vmspace_copy(vs, va, (char *)src, len, true);
}

int vmspace_copyin(struct vmspace *vs, uint64_t va, void *dst, size_t len)
{
	return vmspace_copy(vs, va, dst, len, false);
}

void vmspace_set_brk(struct vmspace *vs, uint64_t data_start, uint64_t heap_start)
{
	vm_map_lock(&vs->map);
	vs->data_start = data_start;
	vs->heap_start = heap_start;
	vs->brk = heap_start;
	vm_map_unlock(&vs->map);
}

uint64_t vmspace_virtual_size(struct vmspace *vs)
{
	return vs ? vs->map.size : 0;
}

uint64_t vmspace_resident_pages(struct vmspace *vs)
{
	return vs ? pmap_resident_count(vs->map.pmap) : 0;
}

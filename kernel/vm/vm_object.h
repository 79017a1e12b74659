/*
 * vm_object.h - VM objects: the things map entries map.
 *
 * An object is a sequence of `size` pages, numbered from 0.  Its resident
 * pages are found by index through the page hash (vm_page_lookup); pages it
 * does not hold come from its pager, or, for a shadow object, from the
 * object behind it (backing_object, at index + backing_offset).  See the
 * essay at the top of vm_object.c for shadow chains and collapse.
 *
 * References: every map entry that maps the object holds one, every shadow
 * holds one on its backing object, and a file (shm) holds one.  The last
 * vm_object_deallocate() frees the pages, the pager state and the object.
 *
 * Paging in progress: while a pager reads or writes pages of an object
 * (the fault handler paging in, the pageout daemon writing out), the object's
 * paging_in_progress count is up, and those pages are busy.  Whatever must
 * see an object's pages at rest -- its death, a truncation, a collapse --
 * waits for the count to drop to 0 (vm_object_pip_wait), so those calls
 * may sleep.
 *
 * Locking: (o) the object's own spinlock; (c) constant after creation.
 * Lock order: a map's lock, then objects top-down (a shadow before its
 * backing object), then the page hash and queue locks, then the pmap lock.
 */
#ifndef VM_VM_OBJECT_H
#define VM_VM_OBJECT_H

#include "kern/kernel.h"
#include "kern/list.h"
#include "kern/spinlock.h"

struct pager_ops;

/* flags */
#define OBJ_ONEMAPPING  0x1     /* each page is mapped by at most one map entry
                                   range, so unmapping a range may free its pages */
#define OBJ_SHM         0x2     /* the pages of a POSIX shm object (set by
                                   ipc/uipc_shm.c); the VM treats it like any
                                   anonymous object, and only tools read it */
#define OBJ_BOOTFS      0x4     /* the pages of a boot file (set by
                                   fs/bootfs_pager.c): for tools, like OBJ_SHM */

struct vm_object {
	struct spinlock lock;
	uint64_t id;                        /* (c) 1, 2, 3 ... in order of creation, never
	                                       reused: how tools name an object (kvmmap,
	                                       the gdb helpers), never by its address */
	uint32_t ref_count;                 /* (o) references (entries, shadows, files) */
	uint32_t shadow_count;              /* (o) objects whose backing object this is */
	uint32_t flags;                     /* (o) OBJ_* */
	uint64_t size;                      /* (o) in pages; index >= size is SIGBUS */
	uint64_t resident_count;            /* (o) pages on memq */
	uint32_t paging_in_progress;        /* (o) pager I/O under way on our pages */
	uint32_t writable_mappings;         /* (o) map entries that share it with write
	                                       allowed (max_prot): F_SEAL_WRITE's EBUSY */
	uint32_t generation;                /* (o) bumped by each page inserted and each
	                                       resize: a fault that let go of the lock
	                                       knows from it whether to look again */
	struct list memq;                   /* (o) resident pages (vm_page.listq) */
	struct vm_object *backing_object;   /* (o) the object this one shadows, or NULL */
	uint64_t backing_offset;            /* (o) in pages: our index i is its i + offset */
	struct list shadows;                /* (o) objects that shadow this one */
	struct list_node shadow_link;       /* (backing's o) on backing_object->shadows */
	const struct pager_ops *pager;      /* (c) */
	void *pager_data;                   /* pager-private (swap slots ...) */
};

/* A new object of npages pages with one reference, or NULL (no memory). */
struct vm_object *vm_object_allocate(const struct pager_ops *pager, uint64_t npages);
/* An anonymous object: zero-filled on first touch, paged to swap (swap_pager.c). */
struct vm_object *vm_object_allocate_anon(uint64_t npages);

void vm_object_reference(struct vm_object *obj);
/*
 * Drop one reference.  The last one frees the object's pages (removing any
 * mapping left through the reverse map), its pager state and the object,
 * then drops its reference on the backing object, and so on down the chain.
 * When only a single shadow still refers to obj, that shadow is collapsed
 * into it.  Caller holds no spinlock; may sleep (waiting for paging I/O).
 */
void vm_object_deallocate(struct vm_object *obj);

/*
 * Put a new anonymous shadow object of npages pages in front of *objp,
 * which it backs at page *offsetp / PAGE_SIZE (offset in bytes).  The
 * caller's reference on *objp becomes the shadow's; on return *objp is the
 * shadow (caller owns its one reference) and *offsetp is 0.  Returns 0 or
 * -ENOMEM (nothing changed).  If the caller's reference turns out to be
 * the only one (checked under *objp's lock, where a deallocate on another
 * CPU decrements it), no shadow is needed: 0, and nothing changes.
 */
int vm_object_shadow(struct vm_object **objp, uint64_t *offsetp, uint64_t npages);

/* Merge obj's backing objects into obj while they are referenced by obj
 * alone.  May sleep: a backing object's pages must be at rest first. */
void vm_object_collapse(struct vm_object *obj);
/* Around a walk down a shadow chain that lets go of each object's lock
 * before it takes the next: no collapse frees an object meanwhile
 * (vm_object.c, "Walks and collapses").  May sleep; nests. */
void vm_object_walk_begin(void);
void vm_object_walk_end(void);

/*
 * Resize obj to npages.  Shrinking frees the resident pages past the new end
 * (unmapping them everywhere first) and the pager's store for them; zeroing
 * the tail of a now-partial last page is the caller's business.
 */
void vm_object_set_size(struct vm_object *obj, uint64_t npages);
/* Free obj's resident pages and pager store in [start, end) (page indices).
 * May sleep (waiting for paging I/O on obj). */
void vm_object_page_remove(struct vm_object *obj, uint64_t start, uint64_t end);

/* Paging in progress (see the top).  (o) held for all three; pip_wait
 * sleeps with the lock released and returns with it held. */
void vm_object_pip_add(struct vm_object *obj, uint32_t n);
void vm_object_pip_done(struct vm_object *obj);
void vm_object_pip_wait(struct vm_object *obj);

void vm_object_lock(struct vm_object *obj);
void vm_object_unlock(struct vm_object *obj);
/* Debug builds: panic unless this CPU holds obj's lock.  Free otherwise. */
static inline void vm_object_assert_locked(const struct vm_object *obj)
{
	spinlock_assert_held(&obj->lock);
}

/* writable_mappings += delta, under obj's lock (the count F_SEAL_WRITE
 * reads; see vm_map.c's entry_count_write and vm_mmap). */
void vm_object_count_writers(struct vm_object *obj, int delta);

/* Live objects (the same number as kcounters' vm_objects). */
uint64_t vm_object_count(void);
/*
 * Pages obj holds, in memory or in its pager, each counted once (a page
 * read back from swap keeps its slot until written, so it is in both).
 * Takes obj's lock; walks the resident pages.
 */
uint64_t vm_object_page_count(struct vm_object *obj);
/* Number of objects in obj's shadow chain, obj included (for tests and ps). */
int vm_object_chain_length(struct vm_object *obj);

#endif

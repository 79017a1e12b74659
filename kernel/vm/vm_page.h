/*
 * vm_page.h - one record per physical page frame.
 *
 * vm_page_startup() builds an array with one struct vm_page for every frame
 * from physical 0 up to the end of RAM, so frame <-> record is arithmetic
 * (PHYS_TO_VM_PAGE, VM_PAGE_TO_PHYS).  A page is in exactly one of these
 * states, recorded in `queue`:
 *   PQ_NONE      reserved (kernel image, holes) or allocated and not pageable
 *   PQ_FREE      on the free list
 *   PQ_ACTIVE    owned by a VM object, recently used
 *   PQ_INACTIVE  owned by a VM object, a candidate for pageout
 * A page owned by an object and not wired sits on the active or inactive
 * queue (the pageout daemon's input); a wired page is on no queue.
 *
 * Pages owned by objects are found by (object, index) through one global
 * hash table sized at boot to the number of frames (Mach's "object/offset
 * hash"), so lookup is O(1) and needs no per-object allocation; each object
 * also keeps a list of its pages so that it can walk them when it dies,
 * shrinks or is collapsed.
 *
 * Locking: (f) vm_page free lock; (o) the owning object's lock;
 * (p) the pmap/pv lock; (h) the page hash lock; (q) the page queue lock;
 * (c) constant.  PG_REFERENCED and PG_DIRTY are also set atomically by the
 * pmap when it folds hardware accessed/dirty bits in.
 */
#ifndef VM_VM_PAGE_H
#define VM_VM_PAGE_H

#include "kern/kernel.h"
#include "kern/list.h"
#include "arch/x86_64/vmparam.h"

struct vm_object;
struct pv_entry;

enum vm_page_queue {
	PQ_NONE = 0,
	PQ_FREE,
	PQ_ACTIVE,
	PQ_INACTIVE,
};

/* flags */
#define PG_BUSY        0x0001   /* being paged in or out: do not touch */
#define PG_DIRTY       0x0002   /* differs from its copy on swap */
#define PG_REFERENCED  0x0004   /* used since the pageout daemon last looked */
#define PG_RESERVED    0x0008   /* never allocatable (kernel image, BIOS, holes) */
#define PG_SLAB        0x0010   /* a kernel heap slab page */
#define PG_KMEM_LARGE  0x0020   /* first page of a multi-page kernel heap block */
#define PG_WANTED      0x0040   /* someone sleeps until this page is not busy or wired */
#define PG_READAHEAD   0x0080   /* paged in ahead of need and not used yet */

struct vm_page {
	struct list_node q;             /* (f/o) free list or paging queue */
	struct vm_object *object;       /* (o) owner, or NULL */
	uint64_t pindex;                /* (o) page index within the object */
	struct pv_entry *pv_list;       /* (p) reverse map: every (pmap, va) mapping it */
	struct list_node listq;         /* (o) on its object's page list */
	struct vm_page *hnext;          /* (h) next page in its hash bucket */
	uint32_t wire_count;            /* (o) >0: may not be paged out */
	uint16_t flags;                 /* (o) PG_* */
	uint8_t queue;                  /* (f/o) enum vm_page_queue */
	uint8_t kmem_class;             /* kmem: size class of a slab page */
	uint32_t kmem_count;            /* kmem: objects in use (slab) or pages (large block) */
	uint32_t pt_entries;            /* (p) a page-table page: its present entries (pmap.c) */
	void *kmem_freelist;            /* kmem: free objects of a slab page */
};

/*
 * vm_page_alloc flags.  Pages for user data (faults, socket buffers) are
 * VM_ALLOC_NORMAL: they fail while free memory is down to the reserve, so
 * the kernel's own allocations (page tables, the heap, kernel stacks), which
 * cannot wait, always find a page while the pageout daemon works
 * (FreeBSD's v_free_reserved; the numbers are in vm_pageout.c).
 */
#define VM_ALLOC_ZERO   0x1             /* return the page zero-filled */
#define VM_ALLOC_NORMAL 0x2             /* user data: leave the reserve alone */

extern struct vm_page *vm_page_array;
extern uint64_t vm_page_array_size;     /* number of records (frames 0..size-1) */

static inline uint64_t VM_PAGE_TO_PHYS(const struct vm_page *m)
{
	return (uint64_t)(m - vm_page_array) << PAGE_SHIFT;
}

static inline struct vm_page *PHYS_TO_VM_PAGE(uint64_t pa)
{
	return &vm_page_array[pa >> PAGE_SHIFT];
}

static inline void *vm_page_to_dmap(const struct vm_page *m)
{
	return PHYS_TO_DMAP(VM_PAGE_TO_PHYS(m));
}

struct bootinfo;
void vm_page_startup(const struct bootinfo *bi);

/* Never sleeps; NULL when out of memory (NORMAL: down to the reserve).  A
 * caller that may sleep waits with vm_page_wait() (vm_pageout.h) and retries. */
struct vm_page *vm_page_alloc(int flags);
void vm_page_free(struct vm_page *m);
/* npages physically contiguous pages, all below max_phys (for DMA). */
struct vm_page *vm_page_alloc_contig(uint64_t npages, uint64_t max_phys, int flags);
void vm_page_free_contig(struct vm_page *m, uint64_t npages);
void vm_page_zero(struct vm_page *m);
/* Copy src's contents into dst (the copy-on-write fault). */
void vm_page_copy(struct vm_page *dst, struct vm_page *src);

/*
 * Object membership.  Caller holds the object's lock.  vm_page_insert puts
 * an unowned page at (obj, pindex), which must be free; vm_page_remove takes
 * it out of its object and off the paging queues (it stays allocated);
 * vm_page_lookup finds the page at (obj, pindex) or returns NULL.
 */
void vm_page_insert(struct vm_page *m, struct vm_object *obj, uint64_t pindex);
void vm_page_remove(struct vm_page *m);
struct vm_page *vm_page_lookup(struct vm_object *obj, uint64_t pindex);

/*
 * Busy pages.  A page under I/O (being paged in or out), or one a fault is
 * mapping, is PG_BUSY: nobody else maps it, frees it or moves it meanwhile.
 * Whoever meets a busy page sleeps until it is not (vm_page_busy_sleep) and
 * then looks it up again -- it may be gone.  The owning object's lock is
 * held for all three.
 */
void vm_page_busy(struct vm_page *m);
void vm_page_unbusy(struct vm_page *m);
/* m is busy: sleep until it is not, with obj's lock released meanwhile
 * and held again on return. */
void vm_page_busy_sleep(struct vm_page *m, struct vm_object *obj);

/* Paging queues: only pages owned by an object and not wired are on one. */
void vm_page_activate(struct vm_page *m);
void vm_page_deactivate(struct vm_page *m);
void vm_page_dequeue(struct vm_page *m);
/*
 * Wiring: a wired page is on no queue, may not be paged out, and stays in
 * its object (a truncate waits for it) while kernel code reads or writes it
 * with no lock held.  vm_page_wire: (o) held.  vm_page_unwire takes the
 * object's lock itself; call it with no object locked.
 */
void vm_page_wire(struct vm_page *m);
void vm_page_unwire(struct vm_page *m);
/* m is busy or wired: sleep until someone lets it go, with obj's lock
 * released meanwhile and held again on return, and say true (look m up
 * again: it may be gone).  Else false at once.  (o) held. */
bool vm_page_sleep_if_held(struct vm_page *m, struct vm_object *obj);
/* Debug builds: panic unless this CPU holds the lock of m's object (the
 * "(o) held" of the functions that take a page).  Free otherwise. */
#define vm_page_assert_locked(m) spinlock_assert_held(&(m)->object->lock)
/*
 * For the pageout daemon, against the lock order (it finds pages before
 * their objects): the page at the head of queue q, moved to the queue's
 * tail, with its object locked -- or NULL with *objp NULL when the queue
 * is empty, and NULL with *objp set when that object's lock was taken
 * (the caller goes on with the next page).
 */
struct vm_page *vm_page_queue_next(enum vm_page_queue q, struct vm_object **objp);
/* The same for a page picked at random among those on either queue. */
struct vm_page *vm_page_queue_random(uint64_t seed, struct vm_object **objp);
uint64_t vm_page_active_count(void);
uint64_t vm_page_inactive_count(void);

uint64_t vm_page_free_count(void);
uint64_t vm_page_total_count(void);

#endif

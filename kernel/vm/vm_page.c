/*
 * vm_page.c - the physical page allocator.
 *
 * At boot, vm_page_startup() sizes RAM from the boot loader's memory map,
 * carves the vm_page array out of the first free RAM above the kernel, marks
 * every frame reserved, then releases the frames of usable RAM that nothing
 * else occupies (the kernel image, the boot information, the modules GRUB
 * loaded and the array itself) onto the free list.
 *
 * Single pages come from the head of the free list in O(1).  Physically
 * contiguous runs (for DMA rings) are found by scanning the array for free
 * frames in a row: slow, but only drivers ask, and only at start-up.
 *
 * The free list is LIFO: a page freed a moment ago is likely still in the
 * CPU cache, so it is the best one to hand out next.
 */
#include "kern/kernel.h"
#include "kern/string.h"
#include "kern/spinlock.h"
#include "kern/printf.h"
#include "vm/vm_page.h"
#include "vm/vm_object.h"
#include "vm/vm_pageout.h"
#include "kern/sched.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/multiboot.h"

struct vm_page *vm_page_array;
uint64_t vm_page_array_size;

static struct spinlock free_lock = SPINLOCK_INIT("vm_page_free");
static struct list free_list = LIST_INIT(free_list);    /* (f) */
static uint64_t free_count;                             /* (f) */
static uint64_t total_count;                            /* (c) after startup */

/* The (object, index) -> page hash; its size is a power of two fixed at boot. */
static struct spinlock hash_lock = SPINLOCK_INIT("vm_page_hash");
static struct vm_page **page_hash;                      /* (h) */
static uint64_t page_hash_mask;                         /* (c) */

/* The paging queues. */
static struct spinlock queue_lock = SPINLOCK_INIT("vm_page_queue");
static struct list active_queue = LIST_INIT(active_queue);      /* (q) */
static struct list inactive_queue = LIST_INIT(inactive_queue);  /* (q) */
static uint64_t active_count, inactive_count;                   /* (q) */

extern char _kernel_end[];

static bool range_overlaps(uint64_t s, uint64_t e, const struct phys_range *r)
{
	return s < r->end && r->start < e;
}

/* Is the frame at pa occupied by something the boot loader or kernel placed? */
static bool frame_is_occupied(const struct bootinfo *bi, uint64_t pa, const struct phys_range *array)
{
	struct phys_range kernel = { 0, page_round(KVA_TO_PHYS(_kernel_end)) };  /* low 1 MiB too */
	if (range_overlaps(pa, pa + PAGE_SIZE, &kernel) ||
	    range_overlaps(pa, pa + PAGE_SIZE, &bi->mbi) ||
	    range_overlaps(pa, pa + PAGE_SIZE, array))
		return true;
	for (int i = 0; i < bi->nmodules; i++) {
		struct phys_range mod = { page_trunc(bi->modules[i].start), page_round(bi->modules[i].end) };
		if (range_overlaps(pa, pa + PAGE_SIZE, &mod))
			return true;
	}
	return false;
}

/* Find room for `bytes` of boot-time data in usable RAM, below 4 GiB (the boot direct map). */
static uint64_t find_boot_space(const struct bootinfo *bi, uint64_t bytes)
{
	for (int i = 0; i < bi->nram; i++) {
		for (uint64_t pa = bi->ram[i].start; pa + bytes <= bi->ram[i].end &&
		    pa + bytes <= 4 * GiB; pa += PAGE_SIZE) {
			struct phys_range none = { 0, 0 };
			bool ok = true;
			for (uint64_t q = pa; q < pa + bytes && ok; q += PAGE_SIZE)
				if (frame_is_occupied(bi, q, &none))
					ok = false;
			if (ok)
				return pa;
		}
	}
	panic("vm_page_startup: no room for the vm_page array (%lu bytes)", bytes);
}

void vm_page_startup(const struct bootinfo *bi)
{
	uint64_t top = 0;
	for (int i = 0; i < bi->nram; i++)
		top = MAX(top, bi->ram[i].end);
	vm_page_array_size = top >> PAGE_SHIFT;

	uint64_t nbuckets = 256;
	while (nbuckets < vm_page_array_size / 2)
		nbuckets <<= 1;
	uint64_t array_bytes = page_round(vm_page_array_size * sizeof(struct vm_page));
	uint64_t bytes = array_bytes + page_round(nbuckets * sizeof(struct vm_page *));
	uint64_t array_pa = find_boot_space(bi, bytes);
	struct phys_range array = { array_pa, array_pa + bytes };   /* array and hash */
	vm_page_array = PHYS_TO_DMAP(array_pa);
	memset(vm_page_array, 0, bytes);
	page_hash = PHYS_TO_DMAP(array_pa + array_bytes);
	page_hash_mask = nbuckets - 1;

	for (uint64_t i = 0; i < vm_page_array_size; i++)
		vm_page_array[i].flags = PG_RESERVED;
	for (int r = 0; r < bi->nram; r++) {
		for (uint64_t pa = bi->ram[r].start; pa < bi->ram[r].end; pa += PAGE_SIZE) {
			if (frame_is_occupied(bi, pa, &array))
				continue;
			struct vm_page *m = PHYS_TO_VM_PAGE(pa);
			m->flags = 0;
			m->queue = PQ_FREE;
			list_push_back(&free_list, &m->q);
			free_count++;
		}
	}
	total_count = free_count;
}

void vm_page_zero(struct vm_page *m)
{
	cpu_page_zero(vm_page_to_dmap(m));
}

void vm_page_copy(struct vm_page *dst, struct vm_page *src)
{
	cpu_page_copy(vm_page_to_dmap(dst), vm_page_to_dmap(src));
}

/* Take m off the free list and make it a fresh allocated page.  (f) held. */
static void vm_page_take(struct vm_page *m)
{
	KASSERT(m->queue == PQ_FREE, "vm_page_take: page %#lx not free", VM_PAGE_TO_PHYS(m));
	list_remove(&m->q);
	free_count--;
	m->queue = PQ_NONE;
	m->flags = 0;
	m->object = NULL;
	m->pindex = 0;
	m->pv_list = NULL;
	m->hnext = NULL;
	list_node_init(&m->listq);
	m->wire_count = 0;
	m->kmem_class = 0;
	m->kmem_count = 0;
	m->kmem_freelist = NULL;
}

/*
 * Allocate one page.  Returns NULL when memory is exhausted (the caller
 * decides whether to wait for the pageout daemon or fail with -ENOMEM).
 * Does not sleep.
 */
struct vm_page *vm_page_alloc(int flags)
{
	struct vm_page *m = NULL;
	spinlock_acquire(&free_lock);
	if (!(flags & VM_ALLOC_NORMAL) || free_count > vm_free_reserved) {
		struct list_node *n = list_first(&free_list);
		m = n ? list_entry(n, struct vm_page, q) : NULL;
	}
	if (m)
		vm_page_take(m);
	bool short_of_memory = free_count < vm_free_low;
	spinlock_release(&free_lock);
	if (short_of_memory)
		vm_pageout_wakeup();
	if (m && (flags & VM_ALLOC_ZERO))
		vm_page_zero(m);
	return m;
}

void vm_page_free(struct vm_page *m)
{
	KASSERT(m->queue == PQ_NONE && !(m->flags & PG_RESERVED),
	    "vm_page_free: page %#lx queue %d flags %#x", VM_PAGE_TO_PHYS(m), m->queue, m->flags);
	KASSERT(m->object == NULL && m->pv_list == NULL && m->wire_count == 0,
	    "vm_page_free: page %#lx still owned or mapped", VM_PAGE_TO_PHYS(m));
#ifdef KERNEL_DEBUG
	memset(vm_page_to_dmap(m), 0xdf, PAGE_SIZE);    /* make use-after-free visible */
#endif
	spinlock_acquire(&free_lock);
	m->flags = 0;
	m->queue = PQ_FREE;
	list_push_front(&free_list, &m->q);
	free_count++;
	spinlock_release(&free_lock);
}

struct vm_page *vm_page_alloc_contig(uint64_t npages, uint64_t max_phys, int flags)
{
	uint64_t limit = MIN(vm_page_array_size, max_phys >> PAGE_SHIFT);
	struct vm_page *found = NULL;

	KASSERT(npages > 0, "vm_page_alloc_contig: npages=0");
	spinlock_acquire(&free_lock);
	for (uint64_t start = 0, run = 0, i = 0; i < limit; i++) {
		if (vm_page_array[i].queue != PQ_FREE) {
			run = 0;
			continue;
		}
		if (run++ == 0)
			start = i;
		if (run == npages) {
			found = &vm_page_array[start];
			break;
		}
	}
	for (uint64_t i = 0; found && i < npages; i++)
		vm_page_take(&found[i]);
	spinlock_release(&free_lock);
	for (uint64_t i = 0; found && (flags & VM_ALLOC_ZERO) && i < npages; i++)
		vm_page_zero(&found[i]);
	return found;
}

void vm_page_free_contig(struct vm_page *m, uint64_t npages)
{
	for (uint64_t i = 0; i < npages; i++)
		vm_page_free(&m[i]);
}

uint64_t vm_page_free_count(void)
{
	return __atomic_load_n(&free_count, __ATOMIC_RELAXED);
}

uint64_t vm_page_total_count(void)
{
	return total_count;
}

/* ------------------------------------------------------- object membership */

static struct vm_page **hash_bucket(const struct vm_object *obj, uint64_t pindex)
{
	uint64_t h = ((uint64_t)obj >> 4) * 0x9e3779b97f4a7c15ull + pindex;
	return &page_hash[(h ^ (h >> 29)) & page_hash_mask];
}

void vm_page_insert(struct vm_page *m, struct vm_object *obj, uint64_t pindex)
{
	KASSERT(m->object == NULL, "vm_page_insert: page %#lx already owned", VM_PAGE_TO_PHYS(m));
	vm_object_assert_locked(obj);
	m->object = obj;
	m->pindex = pindex;
	spinlock_acquire(&hash_lock);
	struct vm_page **b = hash_bucket(obj, pindex);
	m->hnext = *b;
	*b = m;
	spinlock_release(&hash_lock);
	list_push_back(&obj->memq, &m->listq);
	obj->resident_count++;
	obj->generation++;
}

void vm_page_remove(struct vm_page *m)
{
	struct vm_object *obj = m->object;
	KASSERT(obj != NULL, "vm_page_remove: page %#lx has no object", VM_PAGE_TO_PHYS(m));
	vm_object_assert_locked(obj);
	vm_page_dequeue(m);
	spinlock_acquire(&hash_lock);
	struct vm_page **pp = hash_bucket(obj, m->pindex);
	while (*pp != m)
		pp = &(*pp)->hnext;
	*pp = m->hnext;
	spinlock_release(&hash_lock);
	m->hnext = NULL;
	list_remove(&m->listq);
	obj->resident_count--;
	m->object = NULL;
	m->pindex = 0;
}

struct vm_page *vm_page_lookup(struct vm_object *obj, uint64_t pindex)
{
	spinlock_acquire(&hash_lock);
	struct vm_page *m = *hash_bucket(obj, pindex);
	while (m != NULL && (m->object != obj || m->pindex != pindex))
		m = m->hnext;
	spinlock_release(&hash_lock);
	return m;
}

/* ------------------------------------------------------------- busy pages */

void vm_page_busy(struct vm_page *m)
{
	if (m->object != NULL)          /* a new page is busied before it is inserted */
		vm_page_assert_locked(m);
	uint16_t old = __atomic_fetch_or(&m->flags, PG_BUSY, __ATOMIC_ACQUIRE);
	KASSERT(!(old & PG_BUSY), "vm_page_busy: page %#lx already busy", VM_PAGE_TO_PHYS(m));
}

void vm_page_unbusy(struct vm_page *m)
{
	vm_page_assert_locked(m);
	uint16_t old = __atomic_fetch_and(&m->flags, (uint16_t)~(PG_BUSY | PG_WANTED),
	    __ATOMIC_RELEASE);
	KASSERT(old & PG_BUSY, "vm_page_unbusy: page %#lx not busy", VM_PAGE_TO_PHYS(m));
	if (old & PG_WANTED)
		wakeup(m);
}

void vm_page_busy_sleep(struct vm_page *m, struct vm_object *obj)
{
	KASSERT(m->flags & PG_BUSY, "vm_page_busy_sleep: page %#lx not busy", VM_PAGE_TO_PHYS(m));
	__atomic_fetch_or(&m->flags, PG_WANTED, __ATOMIC_RELAXED);
	sleep_on(m, &obj->lock, false);
}

/* ------------------------------------------------------------ paging queues */

/* Take m off whichever paging queue it is on.  (q) held. */
static void queue_remove_locked(struct vm_page *m)
{
	spinlock_assert_held(&queue_lock);
	if (m->queue == PQ_ACTIVE)
		active_count--;
	else if (m->queue == PQ_INACTIVE)
		inactive_count--;
	else
		return;
	list_remove(&m->q);
	m->queue = PQ_NONE;
}

static void queue_put(struct vm_page *m, enum vm_page_queue q)
{
	KASSERT(m->object != NULL, "vm_page_queue: page %#lx has no object", VM_PAGE_TO_PHYS(m));
	spinlock_acquire(&queue_lock);
	queue_remove_locked(m);
	if (m->wire_count == 0) {
		list_push_back(q == PQ_ACTIVE ? &active_queue : &inactive_queue, &m->q);
		m->queue = q;
		if (q == PQ_ACTIVE)
			active_count++;
		else
			inactive_count++;
	}
	spinlock_release(&queue_lock);
}

/* Put m at the tail of the active queue (it was just used). */
void vm_page_activate(struct vm_page *m)
{
	__atomic_fetch_or(&m->flags, PG_REFERENCED, __ATOMIC_RELAXED);
	queue_put(m, PQ_ACTIVE);
}

void vm_page_deactivate(struct vm_page *m)
{
	queue_put(m, PQ_INACTIVE);
}

void vm_page_dequeue(struct vm_page *m)
{
	spinlock_acquire(&queue_lock);
	queue_remove_locked(m);
	spinlock_release(&queue_lock);
}

void vm_page_wire(struct vm_page *m)
{
	vm_object_assert_locked(m->object);
	if (m->wire_count++ == 0)
		vm_page_dequeue(m);
}

/*
 * Lock the object a wired page is in.  It cannot leave its object while it
 * is wired (vm_object_page_remove and vm_object_terminate wait for it, and
 * a collapse leaves such a backing object alone), but a collapse may move
 * it from the backing object into its shadow, under both locks: so read
 * m->object, lock it, and look again.
 */
static struct vm_object *wired_page_lock_object(struct vm_page *m)
{
	for (;;) {
		struct vm_object *obj = __atomic_load_n(&m->object, __ATOMIC_ACQUIRE);
		KASSERT(obj != NULL, "vm_page_unwire: wired page %#lx has no object",
		    VM_PAGE_TO_PHYS(m));
		vm_object_lock(obj);
		if (m->object == obj)
			return obj;
		vm_object_unlock(obj);
	}
}

void vm_page_unwire(struct vm_page *m)
{
	struct vm_object *obj = wired_page_lock_object(m);
	KASSERT(m->wire_count > 0, "vm_page_unwire: page %#lx not wired", VM_PAGE_TO_PHYS(m));
	if (--m->wire_count == 0) {
		vm_page_activate(m);
		if (__atomic_fetch_and(&m->flags, (uint16_t)~PG_WANTED, __ATOMIC_RELAXED) & PG_WANTED)
			wakeup(m);
	}
	vm_object_unlock(obj);
}

bool vm_page_sleep_if_held(struct vm_page *m, struct vm_object *obj)
{
	vm_object_assert_locked(obj);
	if (!(m->flags & PG_BUSY) && m->wire_count == 0)
		return false;
	__atomic_fetch_or(&m->flags, PG_WANTED, __ATOMIC_RELAXED);
	sleep_on(m, &obj->lock, false);
	return true;
}

/* Lock m's object without waiting (queue_lock held, which keeps m in it). */
static struct vm_page *queue_lock_object(struct vm_page *m, struct vm_object **objp)
{
	*objp = m->object;
	return spinlock_try_acquire(&m->object->lock) ? m : NULL;
}

struct vm_page *vm_page_queue_next(enum vm_page_queue q, struct vm_object **objp)
{
	struct list *l = q == PQ_ACTIVE ? &active_queue : &inactive_queue;
	struct vm_page *m = NULL;
	*objp = NULL;
	spinlock_acquire(&queue_lock);
	struct list_node *n = list_pop_front(l);
	if (n != NULL) {
		list_push_back(l, n);                   /* seen: to the back */
		m = queue_lock_object(list_entry(n, struct vm_page, q), objp);
	}
	spinlock_release(&queue_lock);
	return m;
}

struct vm_page *vm_page_queue_random(uint64_t seed, struct vm_object **objp)
{
	struct vm_page *m = NULL;
	*objp = NULL;
	spinlock_acquire(&queue_lock);
	/* Probe random frames: under memory pressure most are on a queue. */
	for (int probe = 0; probe < 64 && *objp == NULL; probe++) {
		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		struct vm_page *c = &vm_page_array[(seed >> 33) % vm_page_array_size];
		if (c->queue == PQ_ACTIVE || c->queue == PQ_INACTIVE)
			m = queue_lock_object(c, objp);
	}
	spinlock_release(&queue_lock);
	return m;
}

uint64_t vm_page_active_count(void)
{
	return __atomic_load_n(&active_count, __ATOMIC_RELAXED);
}

uint64_t vm_page_inactive_count(void)
{
	return __atomic_load_n(&inactive_count, __ATOMIC_RELAXED);
}

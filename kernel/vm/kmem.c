/*
 * kmem.c - the kernel heap (see kmem.h for the interface and debug aids).
 *
 * Layout of a slab page (class size S):   [slot][slot]...[slot]
 * Layout of a slot:  [header 16 B][user data: size B][redzone 0xcc][...]
 * The slab's bookkeeping lives in its struct vm_page (kmem_class,
 * kmem_count = slots in use, kmem_freelist), so a page holds 4096/S slots
 * exactly and kfree() finds the class from the pointer's page alone.
 *
 * Partially used slabs of each class sit on a list.  A slab that becomes
 * empty is returned to the page allocator, except that each class keeps
 * one empty slab as a spare: a class whose only block is allocated and
 * freed over and over (a socket message sent and received) would
 * otherwise take a page and carve it on every allocation -- the profiler
 * found that in every sendmsg.  Seven spare pages at most; they count in
 * kmem_pages, so "free_pages + kmem_pages comes back after a test" stays
 * exact.
 *
 * Blocks too large for a slab get whole pages: one page straight from the
 * page allocator (reached through the direct map), more than one as single
 * pages mapped side by side in the kernel's virtual arena (vm/kva.h), so a
 * big kmalloc never needs physically contiguous memory and keeps working
 * when free memory is fragmented.  The first page's struct vm_page records
 * the page count (kmem_count).
 */
#include "kern/kernel.h"
#include "kern/string.h"
#include "kern/spinlock.h"
#include "kern/ksyms.h"
#include "kern/printf.h"
#include "vm/kmem.h"
#include "vm/vm_page.h"
#include "vm/kva.h"
#include "arch/x86_64/pmap.h"

#define HDR_SIZE        16
#define MAGIC_LIVE      0x6b6d656du     /* "kmem" */
#define MAGIC_FREE      0x66726565u     /* "free" */
#define REDZONE_BYTE    0xcc
#define POISON_BYTE     0xde
#define NCLASSES        7               /* 32 .. 2048 */
#define MIN_CLASS_SHIFT 5

#ifdef KMEM_DEBUG
#define REDZONE_MIN     16
#else
#define REDZONE_MIN     0
#endif

struct kmem_hdr {
	uint32_t magic;
	uint32_t size;          /* bytes asked for */
	union {
		uint64_t caller;        /* live: return address of kmalloc's caller */
		struct kmem_hdr *next;  /* free: next free slot in the slab */
	};
};

static struct spinlock kmem_lock = SPINLOCK_INIT("kmem");
static struct list partial[NCLASSES];   /* slabs with at least one free slot */
static struct vm_page *spare[NCLASSES]; /* an empty slab kept, or NULL */
static uint64_t bytes_in_use;
static uint64_t pages_in_use;           /* slab pages and large blocks */
static bool kmem_ready;

static size_t class_size(int c) { return (size_t)1 << (c + MIN_CLASS_SHIFT); }

static int size_class(size_t total)
{
	for (int c = 0; c < NCLASSES; c++)
		if (total <= class_size(c))
			return c;
	return -1;
}

static struct kmem_hdr *hdr_of(const void *p)
{
	return (struct kmem_hdr *)((char *)p - HDR_SIZE);
}

/* The page behind a heap address: direct-mapped, or in the arena. */
static struct vm_page *kmem_page(const void *p)
{
	uint64_t va = (uint64_t)p;
	return PHYS_TO_VM_PAGE(kva_contains(va) ? pmap_kextract(va) : DMAP_TO_PHYS(va));
}

static __unused size_t slot_size(const struct kmem_hdr *h)
{
	struct vm_page *m = kmem_page(h);
	if (m->flags & PG_SLAB)
		return class_size(m->kmem_class);
	return (size_t)m->kmem_count * PAGE_SIZE;
}

static __unused bool bytes_are(const uint8_t *p, size_t n, uint8_t v)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != v)
			return false;
	return true;
}

enum kmem_fault kmem_check_live(const void *p)
{
	const struct kmem_hdr *h = hdr_of(p);
	if (h->magic != MAGIC_LIVE)
		return KMEM_BAD_MAGIC;
#ifdef KMEM_DEBUG
	size_t slack = slot_size(h) - HDR_SIZE - h->size;
	if (!bytes_are((const uint8_t *)p + h->size, slack, REDZONE_BYTE))
		return KMEM_BAD_REDZONE;
#endif
	return KMEM_OK;
}

enum kmem_fault kmem_check_freed(const void *p)
{
	const struct kmem_hdr *h = hdr_of(p);
	if (h->magic != MAGIC_FREE)
		return KMEM_BAD_MAGIC;
#ifdef KMEM_DEBUG
	if (!bytes_are(p, slot_size(h) - HDR_SIZE, POISON_BYTE))
		return KMEM_BAD_POISON;
#endif
	return KMEM_OK;
}

const char *kmem_fault_name(enum kmem_fault f)
{
	switch (f) {
	case KMEM_OK: return "ok";
	case KMEM_BAD_MAGIC: return "bad header (wild pointer or double free)";
	case KMEM_BAD_REDZONE: return "redzone overwritten (buffer overflow)";
	case KMEM_BAD_POISON: return "freed block written (use after free)";
	}
	return "?";
}

static void __noreturn kmem_corrupt(const char *fn, const void *p, enum kmem_fault f)
{
	const struct kmem_hdr *h = hdr_of(p);
	uint64_t off = 0;
	const char *who = f == KMEM_BAD_REDZONE ? ksyms_lookup(h->caller, &off) : NULL;
	panic("%s: block %p: %s (size %u, allocated by %s+%#lx)", fn, p, kmem_fault_name(f),
	    h->size, who ? who : "?", off);
}

/* Carve a fresh page into free slots of class c.  kmem_lock held. */
static struct vm_page *slab_new(int c)
{
	struct vm_page *m = vm_page_alloc(0);
	if (m == NULL)
		return NULL;
	pages_in_use++;
	m->flags |= PG_SLAB;
	m->kmem_class = c;
	m->kmem_count = 0;
	m->kmem_freelist = NULL;
	uint8_t *base = vm_page_to_dmap(m);
	size_t sz = class_size(c);
	for (size_t off = PAGE_SIZE; off >= sz; off -= sz) {
		struct kmem_hdr *h = (struct kmem_hdr *)(base + off - sz);
		h->magic = MAGIC_FREE;
#ifdef KMEM_DEBUG
		memset((uint8_t *)h + HDR_SIZE, POISON_BYTE, sz - HDR_SIZE);
#endif
		h->next = m->kmem_freelist;
		m->kmem_freelist = h;
	}
	list_push_front(&partial[c], &m->q);
	return m;
}

static struct kmem_hdr *slab_alloc(int c)
{
	struct list_node *n = list_first(&partial[c]);
	struct vm_page *m = n ? list_entry(n, struct vm_page, q) : NULL;
	if (m == NULL && spare[c] != NULL) {
		m = spare[c];
		spare[c] = NULL;
		list_push_front(&partial[c], &m->q);
	}
	if (m == NULL)
		m = slab_new(c);
	if (m == NULL)
		return NULL;
	struct kmem_hdr *h = m->kmem_freelist;
	m->kmem_freelist = h->next;
	if (++m->kmem_count == PAGE_SIZE / class_size(c))
		list_remove(&m->q);     /* full: off the partial list */
	return h;
}

static void slab_free(struct kmem_hdr *h)
{
	struct vm_page *m = PHYS_TO_VM_PAGE(DMAP_TO_PHYS(h));
	int c = m->kmem_class;
	if (m->kmem_count == PAGE_SIZE / class_size(c))
		list_push_front(&partial[c], &m->q);    /* was full */
	h->next = m->kmem_freelist;
	m->kmem_freelist = h;
	if (--m->kmem_count == 0) {
		list_remove(&m->q);
		if (spare[c] == NULL) {
			spare[c] = m;   /* its free list is whole: ready to reuse */
			return;
		}
		m->flags &= ~PG_SLAB;
		m->kmem_freelist = NULL;
		vm_page_free(m);
		pages_in_use--;
	}
}

/* Whole pages for a big block: one direct-mapped, or several in the arena. */
static struct kmem_hdr *large_alloc(size_t total)
{
	uint64_t npages = page_round(total) >> PAGE_SHIFT;
	void *va;
	if (npages == 1) {
		struct vm_page *m = vm_page_alloc(0);
		if (m == NULL)
			return NULL;
		va = vm_page_to_dmap(m);
	} else {
		uint64_t a;
		if (kva_alloc(npages, &a) != 0)
			return NULL;
		if (kva_map_new_pages(a, npages, false) != 0) {
			kva_free(a, npages);
			return NULL;
		}
		va = (void *)a;
	}
	struct vm_page *m = kmem_page(va);
	m->flags |= PG_KMEM_LARGE;
	m->kmem_count = npages;
	return va;
}

/* Give a big block's pages back; answers how many. */
static uint64_t large_free(struct kmem_hdr *h)
{
	struct vm_page *m = kmem_page(h);
	uint64_t npages = m->kmem_count;
	m->flags &= ~PG_KMEM_LARGE;
	m->kmem_count = 0;
	if (kva_contains((uint64_t)h)) {
		kva_unmap_free_pages((uint64_t)h, npages);
		kva_free((uint64_t)h, npages);
	} else {
		vm_page_free(m);
	}
	return npages;
}

static void kmem_init(void)
{
	for (int c = 0; c < NCLASSES; c++)
		list_init(&partial[c]);
	kmem_ready = true;
}

/*
 * Allocate size bytes (KM_ZERO: zeroed).  Returns NULL when memory is out.
 * Never sleeps; callable with spinlocks held.  Big blocks are made outside
 * kmem_lock (the page allocator and the kernel pmap have their own locks).
 */
void *kmalloc(size_t size, int flags)
{
	size_t total = size + HDR_SIZE + REDZONE_MIN;
	int c = size_class(total);
	struct kmem_hdr *h = NULL;

	if (size > UINT32_MAX)
		return NULL;
	if (c < 0)
		h = large_alloc(total);
	spinlock_acquire(&kmem_lock);
	if (!kmem_ready)
		kmem_init();
	if (c >= 0)
		h = slab_alloc(c);
	else if (h != NULL)
		pages_in_use += page_round(total) >> PAGE_SHIFT;
	if (h != NULL)
		bytes_in_use += size;
	spinlock_release(&kmem_lock);
	if (h == NULL)
		return NULL;

	void *p = (uint8_t *)h + HDR_SIZE;
	if (c >= 0) {
		enum kmem_fault f = kmem_check_freed(p);
		if (f != KMEM_OK)
			kmem_corrupt("kmalloc", p, f);
	}
	h->magic = MAGIC_LIVE;
	h->size = size;
	h->caller = (uint64_t)__builtin_return_address(0);
#ifdef KMEM_DEBUG
	memset((uint8_t *)p + size, REDZONE_BYTE, slot_size(h) - HDR_SIZE - size);
#endif
	if (flags & KM_ZERO)
		memset(p, 0, size);
	return p;
}

void kfree(void *p)
{
	if (p == NULL)
		return;
	struct kmem_hdr *h = hdr_of(p);
	enum kmem_fault f = kmem_check_live(p);
	if (f != KMEM_OK)
		kmem_corrupt("kfree", p, f);

	bool slab = kmem_page(h)->flags & PG_SLAB;
	size_t size = h->size;
	h->magic = MAGIC_FREE;
#ifdef KMEM_DEBUG
	if (slab)
		memset(p, POISON_BYTE, slot_size(h) - HDR_SIZE);
#endif
	uint64_t large_pages = slab ? 0 : large_free(h);
	spinlock_acquire(&kmem_lock);
	bytes_in_use -= size;
	pages_in_use -= large_pages;
	if (slab)
		slab_free(h);
	spinlock_release(&kmem_lock);
}

size_t kmem_size(const void *p)
{
	return hdr_of(p)->size;
}

uint64_t kmem_bytes_in_use(void)
{
	return __atomic_load_n(&bytes_in_use, __ATOMIC_RELAXED);
}

uint64_t kmem_pages_in_use(void)
{
	return __atomic_load_n(&pages_in_use, __ATOMIC_RELAXED);
}

uint64_t kmem_free_and_heap_pages(void)
{
	return vm_page_free_count() + kmem_pages_in_use();
}

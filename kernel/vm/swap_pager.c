/*
 * swap_pager.c - anonymous memory on the swap disk.
 *
 * What it keeps: for each object, which of its pages have a copy on the
 * swap disk, and in which slot (swap_space.c hands out the slots).  The
 * map is sparse: a struct swblk covers SWB_PAGES consecutive page indices
 * of one object, with a slot or SWAP_SLOT_NONE for each, and exists only
 * while one of them has a slot.  Blocks are found by (object, index /
 * SWB_PAGES) through one hash table, and each object lists its own blocks
 * so that its death, a truncation and a collapse walk only what it has --
 * an object of a terabyte with three pages on swap costs one block.
 * (FreeBSD keeps such blocks, of 32 pages, in a per-object radix tree.)
 *
 * A copy in swap is valid only while the page is clean.  So (and see
 * swap_drop_copies for what changes when the disk is more than half full):
 *   - a page read from swap keeps its slot and is mapped read-only, and the
 *     fault handler gives the slot back (vm_pager_free_range) the moment
 *     the page is written: its copy is stale (vm_fault.c);
 *   - a clean page with a slot is freed by the pageout daemon without
 *     being written again; a dirty one, or one with no slot, is written
 *     to fresh slots and its old slot, if any, goes back.
 * A slot is also given back when its page is freed or truncated away
 * (free_range), when its object dies (dealloc), and when a collapse finds
 * it shadowed or outside the surviving object (collapse).  A slot that
 * failed a read keeps its place in the map, flagged (SLOT_UNREADABLE): the
 * page is lost, but saying "no copy" would make the next fault read zeros
 * where data was; the process that needs the page gets SIGBUS instead, and
 * when the slot is let go it is retired, never to be used again.
 *
 * I/O.  put_pages writes a cluster as one request when it finds enough
 * consecutive slots (swap_space_alloc), else in shorter runs; it either
 * writes every page or none (the caller then keeps them dirty).  A run
 * whose write fails has its slots retired for good (swap_space_mark_bad)
 * and the pages are written elsewhere on a later pass.  get_pages reads a
 * run of consecutive indices whose slots are consecutive in one request
 * (the fault handler's read-ahead asks for up to 8).
 *
 * Locking: swap_lock, a leaf spinlock, guards the hash, the blocks and the
 * per-object lists.  The disk is read and written with no lock held: the
 * pages are busy and the object's paging_in_progress is up (the caller
 * sees to it), so nobody frees them meanwhile.  has_page, free_range,
 * collapse and dealloc never sleep.
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/string.h"
#include "kern/printf.h"
#include "kern/spinlock.h"
#include "kern/counters.h"
#include "dev/blk.h"
#include "vm/swap_pager.h"
#include "vm/swap_space.h"
#include "vm/vm_object.h"
#include "vm/vm_page.h"
#include "vm/kmem.h"

#define SWB_PAGES    16                 /* page indices per block */
#define SLOT_UNREADABLE 0x80000000u     /* in slots[]: a read of it failed */
#define SWB_BUCKETS  1024               /* hash chains */

struct swblk {
	struct swblk *hnext;            /* (s) on its hash chain */
	struct list_node link;          /* (s) on its object's list */
	struct vm_object *obj;          /* (s) */
	uint64_t base;                  /* (s) first index, a multiple of SWB_PAGES */
	uint32_t slots[SWB_PAGES];      /* (s) slot of base + i (| SLOT_UNREADABLE),
	                                   or SWAP_SLOT_NONE */
	int used;                       /* (s) slots[] that are not NONE */
};

/* An object's part: hung on obj->pager_data on its first page-out. */
struct swap_obj {
	struct list blocks;             /* (s) struct swblk.link */
	uint64_t nslots;                /* (s) its pages on swap */
};

static struct spinlock swap_lock = SPINLOCK_INIT("swap_pager");
static struct swblk *swb_hash[SWB_BUCKETS];     /* (s) */
static struct blk_dev *swap_dev;                /* (c) after swap_pager_init */

void swap_pager_init(void)
{
	struct blk_dev *dev = blk_first();
	if (dev == NULL) {
		kprintf("vmos: no swap disk: anonymous memory stays in RAM\n");
		return;
	}
	uint64_t nslots = dev->sectors / BLK_SECTORS_PER_PAGE;
	int err = swap_space_init(nslots);
	if (err) {
		kprintf("vmos: swap on %s refused: error %d\n", dev->name, err);
		return;
	}
	swap_dev = dev;
	kprintf("vmos: swap on %s: %lu MiB (%lu slots)\n", dev->name, nslots * PAGE_SIZE / MiB,
	    nslots);
}

static struct swblk **swb_chain(const struct vm_object *obj, uint64_t base)
{
	uint64_t h = ((uint64_t)obj >> 4) * 0x9e3779b97f4a7c15ull + base / SWB_PAGES;
	return &swb_hash[(h ^ (h >> 31)) % SWB_BUCKETS];
}

/* obj's block holding index pindex, or NULL.  (s) held. */
static struct swblk *swb_lookup(const struct vm_object *obj, uint64_t pindex)
{
	uint64_t base = ROUNDDOWN(pindex, SWB_PAGES);
	struct swblk *b = *swb_chain(obj, base);
	while (b != NULL && (b->obj != obj || b->base != base))
		b = b->hnext;
	return b;
}

static uint32_t swb_slot(const struct vm_object *obj, uint64_t pindex)
{
	struct swblk *b = swb_lookup(obj, pindex);
	return b ? b->slots[pindex % SWB_PAGES] : SWAP_SLOT_NONE;
}

static uint32_t slot_number(uint32_t v)
{
	return v & ~SLOT_UNREADABLE;
}

/* A slot the map no longer holds: back to swap space, or retired if it failed a read. */
static void slot_release(uint32_t v)
{
	if (v & SLOT_UNREADABLE)
		swap_space_mark_bad(slot_number(v));
	else
		swap_space_free(v, 1);
}

static void swb_unhash(struct swblk *b)
{
	struct swblk **pp = swb_chain(b->obj, b->base);
	while (*pp != b)
		pp = &(*pp)->hnext;
	*pp = b->hnext;
	list_remove(&b->link);
}

/*
 * What one change to an object's map may need, allocated before swap_lock
 * is taken (kmalloc does not sleep, but the lock is a leaf): the object's
 * swap part, if it has none yet, and new blocks.
 */
struct swap_spares {
	struct swap_obj *so;
	struct swblk **blocks;
	int nblocks, used;
};

static int spares_get(struct swap_spares *sp, struct swblk **storage, int nblocks)
{
	sp->blocks = storage;
	sp->nblocks = nblocks;
	sp->used = 0;
	sp->so = kmalloc(sizeof(*sp->so), KM_ZERO);
	int err = sp->so ? 0 : -ENOMEM;
	for (int i = 0; i < nblocks; i++)
		if ((storage[i] = kmalloc(sizeof(struct swblk), 0)) == NULL)
			err = -ENOMEM;          /* spares_put frees what was made */
	return err;
}

static void spares_put(struct swap_spares *sp)
{
	kfree(sp->so);
	for (int i = sp->used; i < sp->nblocks; i++)
		kfree(sp->blocks[i]);
}

/* obj's swap part, made from the spares if it has none.  (s) held. */
static struct swap_obj *swap_obj_get(struct vm_object *obj, struct swap_spares *sp)
{
	if (obj->pager_data == NULL) {
		KASSERT(sp->so != NULL, "swap_obj_get: no spare");
		obj->pager_data = sp->so;
		sp->so = NULL;
		list_init(&((struct swap_obj *)obj->pager_data)->blocks);
	}
	return obj->pager_data;
}

/* An object with nothing on swap keeps no swap part.  (s) held. */
static void swap_obj_trim(struct vm_object *obj)
{
	struct swap_obj *so = obj->pager_data;
	if (so != NULL && so->nslots == 0) {
		KASSERT(list_empty(&so->blocks), "swap_obj_trim: blocks left");
		obj->pager_data = NULL;
		kfree(so);
	}
}

/*
 * Forget slot i of block b (giving the slot back to swap space); the block
 * goes when it holds nothing more.  (s) held.  Answers whether b was freed.
 * The object's swap part stays: the caller trims it when done.
 */
static bool swb_clear(struct swblk *b, int i)
{
	struct swap_obj *so = b->obj->pager_data;
	if (b->slots[i] == SWAP_SLOT_NONE)
		return false;
	slot_release(b->slots[i]);
	b->slots[i] = SWAP_SLOT_NONE;
	so->nslots--;
	if (--b->used > 0)
		return false;
	swb_unhash(b);
	kfree(b);
	return true;
}

/* Record slot for obj's page pindex; the slot it had goes back.  (s) held. */
static void swb_set(struct vm_object *obj, uint64_t pindex, uint32_t slot, struct swap_spares *sp)
{
	struct swap_obj *so = swap_obj_get(obj, sp);
	struct swblk *b = swb_lookup(obj, pindex);
	if (b == NULL) {
		KASSERT(sp->used < sp->nblocks, "swb_set: no spare block");
		b = sp->blocks[sp->used++];
		b->obj = obj;
		b->base = ROUNDDOWN(pindex, SWB_PAGES);
		for (int i = 0; i < SWB_PAGES; i++)
			b->slots[i] = SWAP_SLOT_NONE;
		b->used = 0;
		struct swblk **chain = swb_chain(obj, b->base);
		b->hnext = *chain;
		*chain = b;
		list_push_back(&so->blocks, &b->link);
	}
	int i = pindex % SWB_PAGES;
	if (b->slots[i] != SWAP_SLOT_NONE) {
		slot_release(b->slots[i]);
	} else {
		b->used++;
		so->nslots++;
	}
	b->slots[i] = slot;
}

/* ------------------------------------------------------------------ the ops */

static bool swap_pager_has_page(struct vm_object *obj, uint64_t pindex)
{
	if (obj->pager_data == NULL)
		return false;
	spinlock_acquire(&swap_lock);
	bool has = swb_slot(obj, pindex) != SWAP_SLOT_NONE;
	spinlock_release(&swap_lock);
	return has;
}

/* Read or write pages ma[0..n) at slot: 0, or -EIO with the error counted. */
static int swap_io(uint32_t slot, struct vm_page **ma, int n, bool write)
{
	uint64_t sector = (uint64_t)slot * BLK_SECTORS_PER_PAGE;
	int err = write ? blk_write_pages(swap_dev, sector, ma, n) : blk_read_pages(swap_dev, sector, ma, n);
	if (err) {
		COUNTER_INC(swap_io_errors);
		return -EIO;
	}
	return 0;
}

/* A read of obj's page pindex failed by itself: flag its slot.  (s) taken. */
static void swap_mark_unreadable(struct vm_object *obj, uint64_t pindex)
{
	spinlock_acquire(&swap_lock);
	struct swblk *b = obj->pager_data ? swb_lookup(obj, pindex) : NULL;
	if (b != NULL && b->slots[pindex % SWB_PAGES] != SWAP_SLOT_NONE)
		b->slots[pindex % SWB_PAGES] |= SLOT_UNREADABLE;
	spinlock_release(&swap_lock);
}

/*
 * Swap more than half full: pages just read give their slots back and
 * become dirty (they must be written again if they go out).  Otherwise a
 * page in memory and its copy on swap both take room, and a workload that
 * reads its pages back could fill the disk with copies of pages that are
 * in memory (Linux's vm_swap_full, FreeBSD's swap_pager_almost_full).
 */
static void swap_drop_copies(struct vm_object *obj, struct vm_page **ma, int count)
{
	spinlock_acquire(&swap_lock);
	for (int i = 0; i < count; i++) {
		struct swblk *b = swb_lookup(obj, ma[i]->pindex);
		if (b != NULL) {
			__atomic_fetch_or(&ma[i]->flags, PG_DIRTY, __ATOMIC_RELAXED);
			swb_clear(b, ma[i]->pindex % SWB_PAGES);
		}
	}
	swap_obj_trim(obj);
	spinlock_release(&swap_lock);
}

/*
 * ma[0..count): busy pages at consecutive indices that all have a slot.
 * Runs of consecutive slots are read in one request each.  A single page
 * that cannot be read has its slot flagged (see the top); a failed request
 * of several pages flags nothing, since any one of them may be the bad one
 * (the fault handler then asks for its own page alone).
 */
static int swap_pager_get_pages(struct vm_object *obj, struct vm_page **ma, int count)
{
	uint32_t slots[BLK_MAX_PAGES];
	KASSERT(count >= 1 && count <= BLK_MAX_PAGES, "swap_pager_get_pages: %d pages", count);
	spinlock_acquire(&swap_lock);
	for (int i = 0; i < count; i++)
		slots[i] = obj->pager_data ? swb_slot(obj, ma[i]->pindex) : SWAP_SLOT_NONE;
	spinlock_release(&swap_lock);
	for (int i = 0; i < count;) {
		if (slots[i] == SWAP_SLOT_NONE)
			return -EIO;            /* has_page said yes: a caller's bug */
		if (slots[i] & SLOT_UNREADABLE)
			return -EIO;            /* it failed before: no need to ask again */
		int n = 1;                      /* the run of consecutive slots from i */
		while (i + n < count && slots[i + n] == slots[i] + (uint32_t)n)
			n++;
		int err = swap_io(slots[i], &ma[i], n, false);
		if (err) {
			if (count == 1)
				swap_mark_unreadable(obj, ma[0]->pindex);
			return err;
		}
		i += n;
	}
	if (swap_space_used() > swap_space_total() / 2)
		swap_drop_copies(obj, ma, count);
	return 0;
}

/* Slots for count pages, in as few runs as swap space allows: runs[] of
 * (first slot, length); answers how many runs, or -ENOSPC (none kept). */
static int swap_alloc_runs(int count, uint32_t *first, int *len)
{
	int nruns = 0;
	for (int done = 0, want = count; done < count;) {
		want = MIN(want, count - done);
		if (swap_space_alloc(want, &first[nruns]) == 0) {
			len[nruns++] = want;
			done += want;
		} else if (want > 1) {
			want /= 2;                      /* no run that long: try shorter */
		} else {
			for (int r = 0; r < nruns; r++)
				swap_space_free(first[r], len[r]);
			return -ENOSPC;
		}
	}
	return nruns;
}

/* The pages are on swap: note each one's slot (an old slot goes back). */
static void swap_record(struct vm_object *obj, struct vm_page **ma, const uint32_t *first,
    const int *len, int nruns, struct swap_spares *sp)
{
	spinlock_acquire(&swap_lock);
	for (int r = 0, page = 0; r < nruns; r++)
		for (int k = 0; k < len[r]; k++, page++)
			swb_set(obj, ma[page]->pindex, first[r] + k, sp);
	spinlock_release(&swap_lock);
}

/* A run of writes failed at run r: retire its slots, give back the others. */
static void swap_write_failed(const uint32_t *first, const int *len, int nruns, int r)
{
	for (int k = 0; k < len[r]; k++)
		swap_space_mark_bad(first[r] + k);
	kprintf("vmos: swap: write of %d page(s) at slot %u failed: slots retired\n", len[r],
	    first[r]);
	for (int q = 0; q < nruns; q++)
		if (q != r)
			swap_space_free(first[q], len[q]);
}

/* Write busy pages ma[0..count) of obj (any indices).  All or nothing. */
static int swap_pager_put_pages(struct vm_object *obj, struct vm_page **ma, int count)
{
	uint32_t first[BLK_MAX_PAGES];
	int len[BLK_MAX_PAGES];
	struct swblk *storage[BLK_MAX_PAGES];
	struct swap_spares sp;
	KASSERT(count >= 1 && count <= BLK_MAX_PAGES, "swap_pager_put_pages: %d pages", count);
	if (swap_dev == NULL)
		return -ENODEV;
	int err = spares_get(&sp, storage, count);
	int nruns = err ? err : swap_alloc_runs(count, first, len);
	if (nruns < 0)
		err = nruns;
	for (int r = 0, page = 0; err == 0 && r < nruns; page += len[r], r++) {
		err = swap_io(first[r], &ma[page], len[r], true);
		if (err)
			swap_write_failed(first, len, nruns, r);
	}
	if (err == 0) {
		swap_record(obj, ma, first, len, nruns, &sp);
		COUNTER_ADD(pageouts, count);
		COUNTER_INC(pageout_clusters);
	}
	spares_put(&sp);
	return err;
}

/* Give back obj's slots for indices [start, end): a short range by index
 * (a write fault frees one page's slot), a long one over obj's blocks. */
static void swap_pager_free_range(struct vm_object *obj, uint64_t start, uint64_t end)
{
	if (obj->pager_data == NULL)
		return;                         /* nothing on swap: the common case */
	spinlock_acquire(&swap_lock);
	struct swap_obj *so = obj->pager_data;
	if (so != NULL && end - start <= 4 * SWB_PAGES) {
		for (uint64_t idx = start; idx < end && so->nslots > 0; idx++) {
			struct swblk *b = swb_lookup(obj, idx);
			if (b != NULL)
				swb_clear(b, idx % SWB_PAGES);
		}
	} else if (so != NULL) {
		list_foreach_safe(&so->blocks, n, tmp) {
			struct swblk *b = list_entry(n, struct swblk, link);
			if (b->base >= end || b->base + SWB_PAGES <= start)
				continue;
			for (int i = 0; i < SWB_PAGES; i++)
				if (b->base + i >= start && b->base + i < end && swb_clear(b, i))
					break;  /* the block went with its last slot */
		}
	}
	swap_obj_trim(obj);
	spinlock_release(&swap_lock);
}

/* How many of src's slots move to dst: blocks dst may need (each of src's
 * blocks may straddle two of dst's).  (s) held. */
static int collapse_blocks_needed(struct swap_obj *so)
{
	int n = 0;
	list_foreach(&so->blocks, node)
		n += 2;
	return n;
}

/* Move or free each of src's slots (see swap_pager_collapse).  (s) held. */
static void collapse_slots(struct vm_object *src, struct vm_object *dst, uint64_t offset,
    struct swap_spares *sp)
{
	struct swap_obj *so = src->pager_data;
	list_foreach_safe(&so->blocks, n, tmp) {
		struct swblk *b = list_entry(n, struct swblk, link);
		for (int i = 0; i < SWB_PAGES; i++) {
			uint64_t idx = b->base + i;
			uint32_t slot = b->slots[i];
			if (slot == SWAP_SLOT_NONE)
				continue;
			bool keep = idx >= offset && idx - offset < dst->size &&
			    vm_page_lookup(dst, idx - offset) == NULL &&
			    (dst->pager_data == NULL || swb_slot(dst, idx - offset) == SWAP_SLOT_NONE);
			if (keep)
				swb_set(dst, idx - offset, slot, sp);
			else
				slot_release(slot);
		}
		swb_unhash(b);
		kfree(b);
	}
	so->nslots = 0;
	swap_obj_trim(src);
}

/*
 * Collapse: src dies into dst, which sees src's index i at i - offset.  A
 * slot of src moves to dst unless it lies outside dst's window or dst has
 * that page already, resident or on swap; then it is freed.  Called before
 * the resident pages move, with both objects locked.  The blocks dst may
 * need are allocated first, so that either every slot is placed or,
 * -ENOMEM, nothing has changed and the collapse is abandoned.
 */
static int swap_pager_collapse(struct vm_object *src, struct vm_object *dst, uint64_t offset)
{
	if (src->pager_data == NULL)
		return 0;
	spinlock_acquire(&swap_lock);
	int nblocks = collapse_blocks_needed(src->pager_data);
	spinlock_release(&swap_lock);
	struct swblk **storage = kmalloc((size_t)nblocks * sizeof(*storage), KM_ZERO);
	struct swap_spares sp = { 0 };
	int err = storage ? spares_get(&sp, storage, nblocks) : -ENOMEM;
	if (err == 0) {
		spinlock_acquire(&swap_lock);
		collapse_slots(src, dst, offset, &sp);
		spinlock_release(&swap_lock);
	}
	if (storage != NULL)
		spares_put(&sp);
	kfree(storage);
	return err;
}

static uint64_t swap_pager_page_count(struct vm_object *obj)
{
	spinlock_acquire(&swap_lock);
	struct swap_obj *so = obj->pager_data;
	uint64_t n = so ? so->nslots : 0;
	spinlock_release(&swap_lock);
	return n;
}

/* The object is dying: every slot goes back (and with the last, its swap part). */
static void swap_pager_dealloc(struct vm_object *obj)
{
	swap_pager_free_range(obj, 0, UINT64_MAX);
	KASSERT(obj->pager_data == NULL, "swap_pager_dealloc: slots left");
}

const struct pager_ops swap_pager_ops = {
	.name = "swap",
	.has_page = swap_pager_has_page,
	.get_pages = swap_pager_get_pages,
	.put_pages = swap_pager_put_pages,
	.free_range = swap_pager_free_range,
	.collapse = swap_pager_collapse,
	.page_count = swap_pager_page_count,
	.dealloc = swap_pager_dealloc,
};

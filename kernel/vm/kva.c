/*
 * kva.c - the kernel virtual address arena (see kva.h).
 *
 * The arena's pages are one bit each in kva_map (1: reserved).  A request
 * for n pages scans for a run of n clear bits, starting where the last
 * search ended (next fit), wrapping round once; whole 64-bit words of
 * ones are skipped in one step, so a mostly-full arena is scanned a word,
 * not a bit, at a time.  Requests are rare and mostly small (kernel stacks
 * of 5 pages, exec's 33-page argument buffer), so this is plenty; a
 * kernel with heavier use would reach for FreeBSD's vmem (boundary tags
 * and power-of-two free lists), which answers in constant time.
 *
 * Locking: kva_lock, a leaf spinlock, guards the bitmap and the hint.
 * Mapping and unmapping take the kernel pmap's own lock (pmap_kenter).
 * Nothing here sleeps.
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/spinlock.h"
#include "kern/list.h"
#include "vm/kva.h"
#include "vm/vm_page.h"
#include "arch/x86_64/pmap.h"
#include "arch/x86_64/pte.h"

#define KVA_PAGES (KVA_SIZE / PAGE_SIZE)

static struct spinlock kva_lock = SPINLOCK_INIT("kva");
static uint64_t kva_map[KVA_PAGES / 64];        /* (k) bit i: page i reserved */
static uint64_t kva_hint;                       /* (k) where the next search starts */
static uint64_t kva_reserved;                   /* (k) pages reserved */

static bool bit_set(uint64_t i)
{
	return (kva_map[i / 64] >> (i % 64)) & 1;
}

static void bits_assign(uint64_t first, uint64_t n, bool value)
{
	for (uint64_t i = first; i < first + n; i++) {
		if (value)
			kva_map[i / 64] |= 1ul << (i % 64);
		else
			kva_map[i / 64] &= ~(1ul << (i % 64));
	}
}

/* Is there a run of n clear bits in [from, to)?  The first in *firstp.  (k) held. */
static bool find_run(uint64_t from, uint64_t to, uint64_t n, uint64_t *firstp)
{
	uint64_t run = 0;
	for (uint64_t i = from; i < to; i++) {
		if (i % 64 == 0 && kva_map[i / 64] == ~0ul && i + 64 <= to) {
			run = 0;
			i += 63;                /* a full word: skip it */
			continue;
		}
		if (bit_set(i)) {
			run = 0;
			continue;
		}
		if (++run == n) {
			*firstp = i + 1 - n;
			return true;
		}
	}
	return false;
}

int kva_alloc(uint64_t npages, uint64_t *vap)
{
	if (npages == 0 || npages > KVA_PAGES)
		return -ENOMEM;
	uint64_t first;
	spinlock_acquire(&kva_lock);
	bool found = find_run(kva_hint, KVA_PAGES, npages, &first) ||
	    find_run(0, MIN(kva_hint + npages, KVA_PAGES), npages, &first);
	if (found) {
		bits_assign(first, npages, true);
		kva_hint = first + npages;
		kva_reserved += npages;
	}
	spinlock_release(&kva_lock);
	if (!found)
		return -ENOMEM;
	*vap = KVA_BASE + first * PAGE_SIZE;
	return 0;
}

void kva_free(uint64_t va, uint64_t npages)
{
	KASSERT(kva_contains(va) && (va & PAGE_MASK) == 0 && npages <= KVA_PAGES &&
	    va + npages * PAGE_SIZE <= KVA_BASE + KVA_SIZE, "kva_free: bad range %#lx + %lu pages",
	    va, npages);
	uint64_t first = (va - KVA_BASE) / PAGE_SIZE;
	spinlock_acquire(&kva_lock);
	for (uint64_t i = first; i < first + npages; i++)
		KASSERT(bit_set(i), "kva_free: page %#lx was not reserved", KVA_BASE + i * PAGE_SIZE);
	bits_assign(first, npages, false);
	kva_reserved -= npages;
	spinlock_release(&kva_lock);
}

int kva_map_new_pages(uint64_t va, uint64_t npages, bool zero)
{
	for (uint64_t i = 0; i < npages; i++) {
		struct vm_page *m = vm_page_alloc(zero ? VM_ALLOC_ZERO : 0);
		if (m == NULL || pmap_kenter(va + i * PAGE_SIZE, VM_PAGE_TO_PHYS(m), PTE_W | PTE_NX) != 0) {
			if (m != NULL)
				vm_page_free(m);
			kva_unmap_free_pages(va, i);
			return -ENOMEM;
		}
	}
	return 0;
}

/*
 * The pages are freed only after the unmap: until every CPU's TLB has
 * forgotten them (pmap_kremove_range's shootdown), another CPU could
 * still write through a stale entry into a page someone else now has.
 */
void kva_unmap_free_pages(uint64_t va, uint64_t npages)
{
	struct list pages = LIST_INIT(pages);
	for (uint64_t i = 0; i < npages; i++) {
		uint64_t pa = pmap_kextract(va + i * PAGE_SIZE);
		if (pa == 0)
			continue;
		struct vm_page *m = PHYS_TO_VM_PAGE(pa);
		KASSERT(!list_node_linked(&m->q), "kva_unmap_free_pages: page %#lx is queued", pa);
		list_push_back(&pages, &m->q);
	}
	pmap_kremove_range(va, npages);
	struct list_node *n;
	while ((n = list_pop_front(&pages)) != NULL)
		vm_page_free(list_entry(n, struct vm_page, q));
}

uint64_t kva_pages_reserved(void)
{
	return __atomic_load_n(&kva_reserved, __ATOMIC_RELAXED);
}

/*
 * kva_test.c - self-tests for the kernel virtual arena and the big heap
 * blocks that live in it.
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/string.h"
#include "kern/selftest.h"
#include "vm/kva.h"
#include "vm/kmem.h"
#include "vm/vm_page.h"
#include "arch/x86_64/pmap.h"

#define RUNS 64

static bool overlaps(uint64_t a, uint64_t an, uint64_t b, uint64_t bn)
{
	return a < b + bn * PAGE_SIZE && b < a + an * PAGE_SIZE;
}

/* Runs never overlap, freed addresses are found again, and the count comes back. */
int test_kva_runs_do_not_overlap_and_are_reused(void)
{
	static uint64_t va[RUNS];
	uint64_t reserved = kva_pages_reserved();
	for (int i = 0; i < RUNS; i++) {
		KTEST_ASSERT(kva_alloc(3, &va[i]) == 0, "run %d", i);
		KTEST_ASSERT(kva_contains(va[i]) && (va[i] & PAGE_MASK) == 0, "run %d at %#lx", i, va[i]);
		for (int j = 0; j < i; j++)
			KTEST_ASSERT(!overlaps(va[i], 3, va[j], 3), "runs %d and %d overlap", i, j);
	}
	KTEST_ASSERT(kva_pages_reserved() == reserved + 3 * RUNS, "reserved count");
	for (int i = 0; i < RUNS; i += 2)
		kva_free(va[i], 3);
	for (int i = 0; i < RUNS; i += 2) {
		KTEST_ASSERT(kva_alloc(3, &va[i]) == 0, "again %d", i);
		for (int j = 1; j < RUNS; j += 2)
			KTEST_ASSERT(!overlaps(va[i], 3, va[j], 3), "new run %d overlaps live run %d", i, j);
	}
	for (int i = 0; i < RUNS; i++)
		kva_free(va[i], 3);
	KTEST_ASSERT(kva_pages_reserved() == reserved, "pages not given back");
	uint64_t v;
	KTEST_ASSERT(kva_alloc(0, &v) == -ENOMEM, "a run of 0 pages");
	KTEST_ASSERT(kva_alloc(KVA_SIZE / PAGE_SIZE + 1, &v) == -ENOMEM, "a run bigger than the arena");
	/* Nearly the whole arena in one run.  While it is held, a run longer
	 * than what is left fails after searching both ways, over the big
	 * run's full words. */
	uint64_t big = KVA_SIZE / PAGE_SIZE - reserved - 1024;
	KTEST_ASSERT(kva_alloc(big, &v) == 0, "a run of %lu pages", big);
	uint64_t w;
	KTEST_ASSERT(kva_alloc(2048, &w) == -ENOMEM, "2048 pages found beside a run of %lu", big);
	/* Freed, the big run leaves the search hint at its end, past which
	 * fewer than 1024 pages are free: 2048 pages are found only by the
	 * search wrapping round to the start, so they lie before the hint. */
	kva_free(v, big);
	KTEST_ASSERT(kva_alloc(2048, &w) == 0, "2048 pages not found after freeing %lu", big);
	KTEST_ASSERT(w + 2048 * PAGE_SIZE <= v + big * PAGE_SIZE,
	    "found %#lx, past the freed run's end %#lx: no wrap", w, v + big * PAGE_SIZE);
	kva_free(w, 2048);
	KTEST_ASSERT(kva_alloc(8, &w) == 0, "8 pages not found");
	kva_free(w, 8);
	KTEST_ASSERT(kva_pages_reserved() == reserved, "pages not given back");
	return 0;
}

int test_kmem_large_blocks_need_no_contiguity(void)
{
	uint64_t free_before = kmem_free_and_heap_pages();
	struct vm_page *even = NULL, *odd = NULL, *m;
	/* Take everything, sorting frames into even and odd chains. */
	while ((m = vm_page_alloc(0)) != NULL) {
		struct vm_page **chain = (VM_PAGE_TO_PHYS(m) >> PAGE_SHIFT) % 2 ? &odd : &even;
		*(struct vm_page **)vm_page_to_dmap(m) = *chain;
		*chain = m;
	}
	/* Give the even ones back: every free frame now sits between two taken ones. */
	uint64_t given = 0;
	while (even != NULL) {
		m = even;
		even = *(struct vm_page **)vm_page_to_dmap(m);
		vm_page_free(m);
		given++;
	}
	struct vm_page *pair = vm_page_alloc_contig(2, ~0ul, 0);
	bool fragmented = pair == NULL;
	if (pair != NULL)
		vm_page_free_contig(pair, 2);
	void *big = kmalloc(64 * KiB, KM_ZERO);
	void *path = kmalloc(4096, 0);
	bool ok = big != NULL && path != NULL && kmem_check_live(big) == KMEM_OK;
	if (big != NULL)
		memset(big, 0x77, 64 * KiB);
	kfree(big);
	kfree(path);
	while (odd != NULL) {
		m = odd;
		odd = *(struct vm_page **)vm_page_to_dmap(m);
		vm_page_free(m);
	}
	KTEST_ASSERT(given > 100, "only %lu pages given back", given);
	KTEST_ASSERT(fragmented, "two free frames side by side: the test did not fragment memory");
	KTEST_ASSERT(ok, "a 64 KiB kmalloc failed with memory fragmented");
	KTEST_ASSERT(kmem_free_and_heap_pages() == free_before, "pages: %lu, were %lu",
	    kmem_free_and_heap_pages(), free_before);
	return 0;
}

/*
 * vm_page_test.c - self-tests for the physical page allocator.
 */
#include "kern/kernel.h"
#include "kern/selftest.h"
#include "vm/vm_page.h"

/* Allocate every free page, check each is distinct and usable, free them all. */
int test_vm_page_alloc_all_free_all(void)
{
	uint64_t before = vm_page_free_count(), n = 0;
	struct vm_page *chain = NULL;

	KTEST_ASSERT(before > 0 && before <= vm_page_total_count(), "free %lu total %lu",
	    before, vm_page_total_count());
	for (struct vm_page *m; (m = vm_page_alloc(0)) != NULL; n++) {
		KTEST_ASSERT(m->queue == PQ_NONE && !(m->flags & PG_RESERVED), "bad page state");
		/* Chain through the page itself: proves the memory is writable and unique. */
		*(struct vm_page **)vm_page_to_dmap(m) = chain;
		chain = m;
	}
	KTEST_ASSERT(n == before, "allocated %lu pages, but %lu were free", n, before);
	KTEST_ASSERT(vm_page_free_count() == 0, "free count %lu after exhausting", vm_page_free_count());
	while (chain != NULL) {
		struct vm_page *next = *(struct vm_page **)vm_page_to_dmap(chain);
		vm_page_free(chain);
		chain = next;
	}
	KTEST_ASSERT(vm_page_free_count() == before, "free count %lu, expected %lu",
	    vm_page_free_count(), before);
	return 0;
}

int test_vm_page_contig(void)
{
	uint64_t before = vm_page_free_count();
	struct vm_page *m = vm_page_alloc_contig(16, 4 * GiB, 0);
	KTEST_ASSERT(m != NULL, "no 16-page run");
	KTEST_ASSERT(VM_PAGE_TO_PHYS(m) + 16 * PAGE_SIZE <= 4 * GiB, "run above the limit");
	for (int i = 0; i < 16; i++)
		KTEST_ASSERT(m[i].queue == PQ_NONE, "page %d of the run not allocated", i);
	KTEST_ASSERT(vm_page_free_count() == before - 16, "free count off by %ld",
	    (long)(before - 16 - vm_page_free_count()));
	for (int i = 0; i < 16; i++)
		*(uint64_t *)vm_page_to_dmap(&m[i]) = 0x5a5a;     /* dirty, then ask for zeroes */
	vm_page_free_contig(m, 16);
	m = vm_page_alloc_contig(16, 4 * GiB, VM_ALLOC_ZERO);
	KTEST_ASSERT(m != NULL, "no zeroed 16-page run");
	for (int i = 0; i < 16; i++)
		for (int w = 0; w < 512; w++)
			KTEST_ASSERT(((uint64_t *)vm_page_to_dmap(&m[i]))[w] == 0,
			    "page %d word %d of a VM_ALLOC_ZERO run is not zero", i, w);
	vm_page_free_contig(m, 16);
	KTEST_ASSERT(vm_page_alloc_contig(vm_page_total_count() + 1, ~0ul, 0) == NULL,
	    "impossible run succeeded");
	KTEST_ASSERT(vm_page_free_count() == before, "pages leaked");
	return 0;
}

int test_vm_page_zeroed(void)
{
	struct vm_page *m = vm_page_alloc(0);
	KTEST_ASSERT(m != NULL, "out of pages");
	uint64_t *w = vm_page_to_dmap(m);
	w[0] = w[511] = 0x1234;
	vm_page_free(m);
	m = vm_page_alloc(VM_ALLOC_ZERO);
	KTEST_ASSERT(m != NULL, "out of pages");
	w = vm_page_to_dmap(m);
	for (int i = 0; i < 512; i++)
		KTEST_ASSERT(w[i] == 0, "word %d is %#lx", i, w[i]);
	vm_page_free(m);
	return 0;
}

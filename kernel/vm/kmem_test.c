/*
 * kmem_test.c - self-tests for the kernel heap, including its debug checks.
 */
#include "kern/kernel.h"
#include "kern/string.h"
#include "kern/selftest.h"
#include "vm/kmem.h"
#include "vm/vm_page.h"

int test_kmem_sizes(void)
{
	static const size_t sizes[] = { 1, 15, 16, 17, 100, 1000, 2000, 2047, 4000, 4096, 9000, 70000 };
	uint64_t pages = kmem_free_and_heap_pages(), bytes = kmem_bytes_in_use();
	void *p[ARRAY_SIZE(sizes)];

	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		p[i] = kmalloc(sizes[i], 0);
		KTEST_ASSERT(p[i] != NULL, "kmalloc(%zu) failed", sizes[i]);
		KTEST_ASSERT(kmem_size(p[i]) == sizes[i], "size %zu recorded as %zu", sizes[i], kmem_size(p[i]));
		memset(p[i], (int)i, sizes[i]);
	}
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		for (size_t j = 0; j < sizes[i]; j++)
			KTEST_ASSERT(((uint8_t *)p[i])[j] == (uint8_t)i, "block %zu byte %zu clobbered", i, j);
		KTEST_ASSERT(kmem_check_live(p[i]) == KMEM_OK, "block %zu: %s", i,
		    kmem_fault_name(kmem_check_live(p[i])));
	}
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++)
		kfree(p[i]);
	KTEST_ASSERT(kmem_bytes_in_use() == bytes, "bytes in use %lu, expected %lu", kmem_bytes_in_use(), bytes);
	KTEST_ASSERT(kmem_free_and_heap_pages() == pages, "pages free or spare %lu, expected %lu",
	    kmem_free_and_heap_pages(), pages);
	return 0;
}

int test_kmem_alignment(void)
{
	for (size_t size = 1; size < 5000; size = size * 3 + 1) {
		void *p = kmalloc(size, KM_ZERO);
		KTEST_ASSERT(p != NULL, "kmalloc(%zu) failed", size);
		KTEST_ASSERT(((uintptr_t)p & 15) == 0, "kmalloc(%zu) = %p not 16-byte aligned", size, p);
		for (size_t i = 0; i < size; i++)
			KTEST_ASSERT(((uint8_t *)p)[i] == 0, "KM_ZERO left byte %zu nonzero", i);
		kfree(p);
	}
	return 0;
}

/* Many allocations of mixed sizes, freed in a scrambled order: slabs come back. */
int test_kmem_reuse(void)
{
	enum { N = 600 };
	static void *p[N];
	uint64_t pages = kmem_free_and_heap_pages();

	for (int i = 0; i < N; i++) {
		p[i] = kmalloc(16 + (i * 37) % 1500, 0);
		KTEST_ASSERT(p[i] != NULL, "kmalloc %d failed", i);
	}
	for (int i = 0; i < N; i++) {
		int j = (i * 7919) % N;         /* 7919 is prime and N is not its multiple */
		kfree(p[j]);
		p[j] = NULL;
	}
	for (int i = 0; i < N; i++)
		KTEST_ASSERT(p[i] == NULL, "block %d not freed by the permutation", i);
	KTEST_ASSERT(kmem_free_and_heap_pages() == pages, "%ld pages not returned",
	    (long)(pages - kmem_free_and_heap_pages()));
	return 0;
}

/*
 * A slab that empties stays as its class's spare -- one per class, no
 * more -- and the class's next allocation takes it instead of a new page.
 * (A block of 1500 bytes is in the 2048-byte class: two to a slab.)
 */
int test_kmem_keeps_one_spare_slab_per_class(void)
{
	enum { SIZE = 1500, N = 8 };
	void *p[N];
	uint64_t held = kmem_pages_in_use(), unheld = kmem_free_and_heap_pages();

	for (int i = 0; i < N; i++) {
		p[i] = kmalloc(SIZE, 0);
		KTEST_ASSERT(p[i] != NULL, "kmalloc %d failed", i);
	}
	KTEST_ASSERT(kmem_pages_in_use() >= held + N / 2 - 1, "%d blocks of %d bytes in %lu new pages",
	    N, SIZE, kmem_pages_in_use() - held);
	for (int i = 0; i < N; i++)
		kfree(p[i]);
	KTEST_ASSERT(kmem_free_and_heap_pages() == unheld, "%ld pages lost",
	    (long)(unheld - kmem_free_and_heap_pages()));
	KTEST_ASSERT(kmem_pages_in_use() <= held + 1, "%lu empty slabs kept, not one",
	    kmem_pages_in_use() - held);

	uint64_t free = vm_page_free_count();
	void *q = kmalloc(SIZE, 0);
	KTEST_ASSERT(q != NULL, "kmalloc failed");
	KTEST_ASSERT(vm_page_free_count() == free, "a new page taken with the spare slab at hand");
	kfree(q);
	KTEST_ASSERT(vm_page_free_count() == free, "the spare slab given back after one use");
	return 0;
}

int test_kmem_redzone_overflow_detected(void)
{
#ifdef KMEM_DEBUG
	uint8_t *p = kmalloc(40, 0);
	KTEST_ASSERT(p != NULL, "kmalloc failed");
	KTEST_ASSERT(kmem_check_live(p) == KMEM_OK, "fresh block reported bad");
	p[40] = 'X';            /* one byte past the end */
	KTEST_ASSERT(kmem_check_live(p) == KMEM_BAD_REDZONE, "overflow not detected: %s",
	    kmem_fault_name(kmem_check_live(p)));
	p[40] = 0xcc;           /* repair, so kfree() does not panic */
	KTEST_ASSERT(kmem_check_live(p) == KMEM_OK, "repaired block still bad");
	kfree(p);
	KTEST_ASSERT(kmem_check_live(p) == KMEM_BAD_MAGIC, "freed block looks live (double free undetected)");
#endif
	return 0;
}

int test_kmem_use_after_free_detected(void)
{
#ifdef KMEM_DEBUG
	/* Keep a second block so the slab (and the freed slot) stays ours. */
	uint8_t *keep = kmalloc(100, 0);
	uint8_t *p = kmalloc(100, 0);
	KTEST_ASSERT(keep && p, "kmalloc failed");
	KTEST_ASSERT(PHYS_TO_VM_PAGE(DMAP_TO_PHYS(keep)) == PHYS_TO_VM_PAGE(DMAP_TO_PHYS(p)),
	    "blocks not in one slab");
	kfree(p);
	KTEST_ASSERT(kmem_check_freed(p) == KMEM_OK, "freed block not poisoned");
	uint8_t saved = p[10];
	p[10] = 0;              /* write after free */
	KTEST_ASSERT(kmem_check_freed(p) == KMEM_BAD_POISON, "use after free not detected: %s",
	    kmem_fault_name(kmem_check_freed(p)));
	p[10] = saved;
	kfree(keep);
#endif
	return 0;
}

/* The panic a corrupted block causes names what was found (kmem_corrupt). */
int test_kmem_fault_names_say_what_was_found(void)
{
	static const struct {
		enum kmem_fault f;
		const char *word;
	} names[] = {
		{ KMEM_OK, "ok" },
		{ KMEM_BAD_MAGIC, "double free" },
		{ KMEM_BAD_REDZONE, "overflow" },
		{ KMEM_BAD_POISON, "use after free" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		const char *name = kmem_fault_name(names[i].f);
		bool found = false;
		for (const char *p = name; *p && !found; p++)
			found = strncmp(p, names[i].word, strlen(names[i].word)) == 0;
		KTEST_ASSERT(found, "fault %d is called \"%s\"", names[i].f, name);
	}
	KTEST_ASSERT(strcmp(kmem_fault_name((enum kmem_fault)99), "?") == 0, "unknown fault");
	/* what the checks answer for a block in the other state, or a size too big */
	void *live = kmalloc(24, 0);
	KTEST_ASSERT(live != NULL, "kmalloc");
	KTEST_ASSERT(kmem_check_freed(live) == KMEM_BAD_MAGIC, "a live block passes as freed");
	kfree(live);
	KTEST_ASSERT(kmalloc((size_t)UINT32_MAX + 1, 0) == NULL, "a 4 GiB block was handed out");
	return 0;
}

int test_kmem_large_blocks(void)
{
	uint64_t pages = vm_page_free_count();
	uint8_t *p = kmalloc(5 * PAGE_SIZE, 0);
	KTEST_ASSERT(p != NULL, "kmalloc(20 KiB) failed");
	KTEST_ASSERT(vm_page_free_count() == pages - 6, "took %lu pages, expected 6",
	    pages - vm_page_free_count());
	memset(p, 0x5a, 5 * PAGE_SIZE);
	KTEST_ASSERT(kmem_check_live(p) == KMEM_OK, "large block bad: %s", kmem_fault_name(kmem_check_live(p)));
	kfree(p);
	KTEST_ASSERT(vm_page_free_count() == pages, "large block pages not returned");
	return 0;
}

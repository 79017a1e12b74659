/*
 * swap_space_test.c - self-tests of the swap slot allocator.
 *
 * They run on the kernel's own swap space (the boot's disk), so they need
 * a disk and say they skipped without one; nothing else uses swap during
 * a self-test boot.  Every slot taken is given back.
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/string.h"
#include "kern/printf.h"
#include "kern/selftest.h"
#include "vm/swap_space.h"
#include "vm/kmem.h"

/* A bitmap of the slots a test holds, to catch a slot handed out twice. */
struct held {
	uint64_t *bits;
	uint64_t count;
};

static bool held_take(struct held *h, uint32_t first, unsigned n)
{
	for (uint32_t s = first; s < first + n; s++) {
		if ((h->bits[s / 64] >> (s % 64)) & 1)
			return false;
		h->bits[s / 64] |= 1ul << (s % 64);
	}
	h->count += n;
	return true;
}

int test_swap_space_runs_exhaustion_and_fragments(void)
{
	uint64_t total = swap_space_total();
	if (total == 0) {
		kprintf("swap_space_test: no swap disk: skipped\n");
		return 0;
	}
	uint64_t used0 = swap_space_used();
	struct held h = { kmalloc(ROUNDUP(total, 64) / 8, KM_ZERO), 0 };
	KTEST_ASSERT(h.bits != NULL, "no memory for the bitmap");
	/* Clusters until none fits, then single slots until the disk is full. */
	uint32_t first;
	unsigned runs = 0;
	while (swap_space_alloc(16, &first) == 0) {
		KTEST_ASSERT(first + 16 <= total, "run at %u past the end", first);
		KTEST_ASSERT(held_take(&h, first, 16), "slot of run %u handed out twice", first);
		runs++;
	}
	while (swap_space_alloc(1, &first) == 0)
		KTEST_ASSERT(held_take(&h, first, 1), "slot %u handed out twice", first);
	KTEST_ASSERT(h.count == total - used0, "held %lu slots, %lu were free", h.count, total - used0);
	KTEST_ASSERT(swap_space_used() + swap_space_bad() == total, "used %lu of %lu when full",
	    swap_space_used(), total);
	KTEST_ASSERT(swap_space_alloc(1, &first) == -ENOSPC, "a slot from a full disk");
	/* Give back every other slot: singles fit, no pair does. */
	uint64_t freed = 0;
	for (uint64_t s = 0; s < total; s += 2) {
		if ((h.bits[s / 64] >> (s % 64)) & 1) {
			swap_space_free((uint32_t)s, 1);
			h.bits[s / 64] &= ~(1ul << (s % 64));
			freed++;
		}
	}
	KTEST_ASSERT(freed > 0 && swap_space_alloc(2, &first) == -ENOSPC,
	    "a run of 2 on a disk with no two free slots side by side");
	KTEST_ASSERT(swap_space_alloc(1, &first) == 0 && first % 2 == 0, "a single slot: %u", first);
	h.bits[first / 64] |= 1ul << (first % 64);
	/* Give everything back. */
	for (uint64_t s = 0; s < total; s++)
		if ((h.bits[s / 64] >> (s % 64)) & 1)
			swap_space_free((uint32_t)s, 1);
	kfree(h.bits);
	KTEST_ASSERT(swap_space_used() == used0, "used %lu after giving back, was %lu",
	    swap_space_used(), used0);
	KTEST_ASSERT(runs > 0, "no run of 16 on an empty disk");
	return 0;
}

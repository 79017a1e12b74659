/*
 * swap_space.c - the allocator of swap slots (see swap_space.h).
 *
 * A bitmap with one bit per slot (1: free), in 64-bit words.  Words are
 * grouped SWAP_GROUP_WORDS to a group (4096 slots, 16 MiB of disk), and
 * each group keeps a summary: its number of free slots and the length of
 * its longest run of free slots.  A request for a run of n slots looks at
 * the groups from a next-fit hint and skips, with one comparison, every
 * group whose longest run is shorter than n; only a group that can hold
 * the run has its words scanned.  So on a mostly-full disk -- when the
 * pageout daemon needs slots most -- the search costs one comparison per
 * 16 MiB of full (or too fragmented) disk instead of a scan of every bit.
 * After a change the group's summary is recomputed from its 64 words.
 * FreeBSD's blist (kern/subr_blist.c) does the same job with a radix tree
 * of such summaries, which a bigger disk would want.
 *
 * Runs never cross a group boundary: a cluster is at most 16 pages and a
 * group is 4096 slots, so almost nothing is lost.  The last group may be
 * partial; the bits past the disk's end are 0 (never free).
 *
 * Locking: swap_space_lock, a leaf spinlock, guards everything here.
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/string.h"
#include "kern/spinlock.h"
#include "kern/counters.h"
#include "vm/swap_space.h"
#include "vm/kmem.h"

#define SWAP_GROUP_WORDS 64
#define SWAP_GROUP_SLOTS (SWAP_GROUP_WORDS * 64)

struct swap_group {
	uint32_t free;                  /* free slots in the group */
	uint32_t maxrun;                /* its longest run of free slots */
};

static struct spinlock swap_space_lock = SPINLOCK_INIT("swap_space");
static uint64_t *swap_map;              /* (s) bit set: slot free */
static struct swap_group *swap_groups;  /* (s) */
static uint64_t swap_nslots, swap_ngroups;      /* (c) */
static uint64_t swap_nused, swap_nbad;  /* (s) */
static uint64_t swap_hint;              /* (s) the group to look in first */

static bool slot_free(uint64_t s)
{
	return (swap_map[s / 64] >> (s % 64)) & 1;
}

/*
 * Walk group g's slots for runs of free ones: answers the longest run, and
 * with want > 0 stops at the first run of want slots (its start in *at).
 */
static uint32_t group_scan(uint64_t g, uint32_t want, uint64_t *at)
{
	uint64_t first = g * SWAP_GROUP_SLOTS, end = MIN(first + SWAP_GROUP_SLOTS, swap_nslots);
	uint32_t run = 0, best = 0;
	for (uint64_t s = first; s < end; s++) {
		uint64_t w = swap_map[s / 64];
		if (s % 64 == 0 && (w == 0 || w == ~0ul) && s + 64 <= end) {
			run = w ? run + 64 : 0;         /* a whole word at once */
			s += 63;
		} else {
			run = slot_free(s) ? run + 1 : 0;
		}
		if (want && run >= want) {
			*at = s + 1 - run;              /* the run ends at s: take its start */
			return run;
		}
		best = MAX(best, run);
	}
	return best;
}

static void group_update(uint64_t g)
{
	uint64_t unused;
	swap_groups[g].maxrun = group_scan(g, 0, &unused);
}

/* Set slots [first, first + n) free (true) or allocated, within one group.  (s) held. */
static void slots_assign(uint64_t first, unsigned n, bool free)
{
	for (uint64_t s = first; s < first + n; s++) {
		KASSERT(slot_free(s) != free, "swap_space: slot %lu is already %s", s,
		    free ? "free" : "allocated");
		if (free)
			swap_map[s / 64] |= 1ul << (s % 64);
		else
			swap_map[s / 64] &= ~(1ul << (s % 64));
	}
	uint64_t g = first / SWAP_GROUP_SLOTS;
	swap_groups[g].free += free ? n : -n;
	group_update(g);
}

int swap_space_init(uint64_t nslots)
{
	if (nslots == 0 || nslots >= SWAP_SLOTS_MAX)
		return -EINVAL;
	uint64_t nwords = ROUNDUP(nslots, SWAP_GROUP_SLOTS) / 64;
	swap_ngroups = nwords / SWAP_GROUP_WORDS;
	swap_map = kmalloc(nwords * sizeof(uint64_t), KM_ZERO);
	swap_groups = kmalloc(swap_ngroups * sizeof(struct swap_group), KM_ZERO);
	if (swap_map == NULL || swap_groups == NULL) {
		kfree(swap_map);
		kfree(swap_groups);
		return -ENOMEM;
	}
	swap_nslots = nslots;
	for (uint64_t s = 0; s < nslots; s++)
		swap_map[s / 64] |= 1ul << (s % 64);
	for (uint64_t g = 0; g < swap_ngroups; g++) {
		swap_groups[g].free = MIN(nslots - g * SWAP_GROUP_SLOTS, (uint64_t)SWAP_GROUP_SLOTS);
		group_update(g);
	}
	COUNTER_ADD(swap_total, nslots);
	return 0;
}

int swap_space_alloc(unsigned n, uint32_t *first)
{
	KASSERT(n >= 1 && n <= 64, "swap_space_alloc: %u slots", n);
	int err = -ENOSPC;
	spinlock_acquire(&swap_space_lock);
	for (uint64_t i = 0; i < swap_ngroups; i++) {
		uint64_t g = (swap_hint + i) % swap_ngroups, at;
		if (swap_groups[g].maxrun < n)
			continue;                       /* this 16 MiB cannot hold it */
		uint32_t run = group_scan(g, n, &at);
		KASSERT(run >= n, "swap_space_alloc: group %lu's longest run is %u, not %u", g,
		    run, swap_groups[g].maxrun);
		slots_assign(at, n, false);
		swap_nused += n;
		swap_hint = g;
		*first = (uint32_t)at;
		err = 0;
		break;
	}
	spinlock_release(&swap_space_lock);
	if (err == 0)
		COUNTER_ADD(swap_used, n);
	return err;
}

void swap_space_free(uint32_t first, unsigned n)
{
	KASSERT(first + n <= swap_nslots && first / SWAP_GROUP_SLOTS == (first + n - 1) / SWAP_GROUP_SLOTS,
	    "swap_space_free: slots %u + %u", first, n);
	spinlock_acquire(&swap_space_lock);
	slots_assign(first, n, true);
	swap_nused -= n;
	spinlock_release(&swap_space_lock);
	COUNTER_ADD(swap_used, -(int64_t)n);
}

void swap_space_mark_bad(uint32_t slot)
{
	KASSERT(slot < swap_nslots, "swap_space_mark_bad: slot %u", slot);
	spinlock_acquire(&swap_space_lock);
	KASSERT(!slot_free(slot), "swap_space_mark_bad: slot %u is free", slot);
	swap_nused--;
	swap_nbad++;
	spinlock_release(&swap_space_lock);
	COUNTER_DEC(swap_used);
	COUNTER_INC(swap_bad);
}

uint64_t swap_space_total(void)
{
	return swap_nslots;
}

uint64_t swap_space_used(void)
{
	return __atomic_load_n(&swap_nused, __ATOMIC_RELAXED);
}

uint64_t swap_space_bad(void)
{
	return __atomic_load_n(&swap_nbad, __ATOMIC_RELAXED);
}

/*
 * blk_test.c - self-tests of the block interface and of the disk behind it
 * (the first one registered: the swap disk the harness attaches).
 *
 * Each test writes pages whose every 64-bit word is derived from a tag
 * (which names the page and where it was written), reads them back into
 * other pages and compares, so a page that went to the wrong sector, came
 * back in the wrong order or was never transferred is caught.  With no
 * disk attached (SWAP=0) every test passes after saying it was skipped.
 *
 * test_blk_injected_errors_reach_the_caller runs only when named: it needs
 * the blkdebug rules of the 'blkerr' suite (tests/suites.py), which fail
 * the first write touching sector BLKERR_WRITE_SECTOR and the first read
 * of BLKERR_READ_SECTOR with EIO.
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/clock.h"
#include "kern/printf.h"
#include "kern/proc.h"
#include "kern/sched.h"
#include "kern/selftest.h"
#include "dev/blk.h"
#include "vm/vm_page.h"
#include "vm/kmem.h"

#define WORDS_PER_PAGE          (PAGE_SIZE / sizeof(uint64_t))
#define BLKERR_WRITE_SECTOR     2056    /* keep in step with tests/suites.py */
#define BLKERR_READ_SECTOR      4096

static struct blk_dev *test_disk(const char *test)
{
	struct blk_dev *d = blk_first();
	if (d == NULL)
		kprintf("selftest: %s: no disk attached, skipped\n", test);
	return d;
}

static uint64_t pattern(uint64_t tag, uint64_t word)
{
	return (tag + 1) * 0x9e3779b97f4a7c15ul ^ (word << 40 | word);
}

static void fill(struct vm_page *m, uint64_t tag)
{
	uint64_t *w = vm_page_to_dmap(m);
	for (uint64_t i = 0; i < WORDS_PER_PAGE; i++)
		w[i] = pattern(tag, i);
}

/* The first word of m that is not tag's pattern, or -1 when all are. */
static long mismatch(struct vm_page *m, uint64_t tag)
{
	const uint64_t *w = vm_page_to_dmap(m);
	for (uint64_t i = 0; i < WORDS_PER_PAGE; i++)
		if (w[i] != pattern(tag, i))
			return (long)i;
	return -1;
}

static int alloc_pages(struct vm_page **pages, int n)
{
	for (int i = 0; i < n; i++) {
		pages[i] = vm_page_alloc(0);
		if (pages[i] == NULL) {
			while (i-- > 0)
				vm_page_free(pages[i]);
			return -ENOMEM;
		}
	}
	return 0;
}

static void free_pages(struct vm_page **pages, int n)
{
	for (int i = 0; i < n; i++)
		vm_page_free(pages[i]);
}

/* Write page tags[i] at sector + 8i in one request, read back one page at a time. */
static int write_then_read_singly(struct blk_dev *d, uint64_t sector, struct vm_page **pages,
    int n, uint64_t tag)
{
	struct vm_page *in;
	for (int i = 0; i < n; i++)
		fill(pages[i], tag + i);
	KTEST_ASSERT(blk_write_pages(d, sector, pages, n) == 0, "write of %d at %lu", n, sector);
	KTEST_ASSERT(alloc_pages(&in, 1) == 0, "out of pages");
	for (int i = 0; i < n; i++) {
		uint64_t s = sector + (uint64_t)i * BLK_SECTORS_PER_PAGE;
		int err = blk_read_pages(d, s, &in, 1);
		long bad = err ? 0 : mismatch(in, tag + i);
		if (err || bad >= 0) {
			free_pages(&in, 1);
			KTEST_ASSERT(false, "page %d at sector %lu: error %d, word %ld wrong", i, s, err,
			    bad);
		}
	}
	free_pages(&in, 1);
	return 0;
}

int test_blk_single_pages_round_trip(void)
{
	struct blk_dev *d = test_disk(__func__);
	struct vm_page *p[3];
	if (d == NULL)
		return 0;
	uint64_t free = kmem_free_and_heap_pages();
	KTEST_ASSERT(d->sectors >= 16384, "%s has only %lu sectors", d->name, d->sectors);
	KTEST_ASSERT(alloc_pages(p, 3) == 0, "out of pages");
	const uint64_t sectors[] = { 0, 8, 4096, d->sectors / 2 + 3, d->sectors / 3 * 2 + 5 };
	for (size_t i = 0; i < ARRAY_SIZE(sectors); i++)
		if (write_then_read_singly(d, sectors[i], p, 1, 100 + i) != 0)
			goto fail;

	/* Sector 4 is the second half of the page at 0 and the first half of the one at 8. */
	fill(p[0], 1);
	fill(p[1], 2);
	if (blk_write_pages(d, 0, &p[0], 1) || blk_write_pages(d, 8, &p[1], 1) ||
	    blk_read_pages(d, 4, &p[2], 1)) {
		selftest_fail(__func__, __LINE__, "transfer around sector 4 failed");
		goto fail;
	}
	uint64_t *w = vm_page_to_dmap(p[2]);
	for (uint64_t i = 0; i < WORDS_PER_PAGE; i++) {
		uint64_t want = i < WORDS_PER_PAGE / 2 ? pattern(1, i + WORDS_PER_PAGE / 2) :
		    pattern(2, i - WORDS_PER_PAGE / 2);
		if (w[i] != want) {
			selftest_fail(__func__, __LINE__, "read at sector 4: word %lu wrong", i);
			goto fail;
		}
	}
	free_pages(p, 3);
	KTEST_ASSERT(kmem_free_and_heap_pages() == free, "%ld pages leaked",
	    (long)(free - kmem_free_and_heap_pages()));
	return 0;
fail:
	free_pages(p, 3);
	return -1;
}

static bool adjacent(struct vm_page *a, struct vm_page *b)
{
	return VM_PAGE_TO_PHYS(b) == VM_PAGE_TO_PHYS(a) + PAGE_SIZE ||
	    VM_PAGE_TO_PHYS(a) == VM_PAGE_TO_PHYS(b) + PAGE_SIZE;
}

/*
 * n pages of which no two in a row are physically adjacent, so a request
 * of them needs one descriptor per page.  Of 3n candidates at most two are
 * adjacent to any page, so n are always found.
 */
static int alloc_scattered(struct vm_page **pages, int n)
{
	struct vm_page *all[3 * BLK_MAX_PAGES];
	int got = 0;
	KASSERT(n <= BLK_MAX_PAGES, "alloc_scattered: %d", n);
	if (alloc_pages(all, 3 * n) != 0)
		return -ENOMEM;
	for (int i = 0; i < 3 * n; i++) {
		if (got < n && (got == 0 || !adjacent(pages[got - 1], all[i])))
			pages[got++] = all[i];
		else
			vm_page_free(all[i]);
	}
	KASSERT(got == n, "alloc_scattered: %d of %d", got, n);
	return 0;
}

/* One request of n scattered pages at sector, checked page by page and as one read. */
static int cluster_round_trip(struct blk_dev *d, uint64_t sector, int n, uint64_t tag)
{
	struct vm_page *out[BLK_MAX_PAGES], *in[BLK_MAX_PAGES];
	uint64_t free = kmem_free_and_heap_pages();
	KTEST_ASSERT(alloc_scattered(out, n) == 0, "out of pages");
	KTEST_ASSERT(alloc_scattered(in, n) == 0, "out of pages");
	for (int i = 0; i + 1 < n; i++)
		KTEST_ASSERT(!adjacent(out[i], out[i + 1]), "pages %d and %d are adjacent", i, i + 1);
	int err = write_then_read_singly(d, sector, out, n, tag);
	/* Read all n back in one request, into pages in the reverse physical order. */
	struct vm_page *rev[BLK_MAX_PAGES];
	for (int i = 0; i < n; i++)
		rev[i] = in[n - 1 - i];
	if (err == 0 && blk_read_pages(d, sector, rev, n) != 0)
		err = selftest_fail(__func__, __LINE__, "read of %d pages failed", n);
	for (int i = 0; err == 0 && i < n; i++)
		if (mismatch(rev[i], tag + i) >= 0)
			err = selftest_fail(__func__, __LINE__, "page %d of the read is wrong", i);
	free_pages(out, n);
	free_pages(in, n);
	KTEST_ASSERT(kmem_free_and_heap_pages() == free, "%ld pages leaked",
	    (long)(free - kmem_free_and_heap_pages()));
	return err;
}

int test_blk_cluster_of_16_scattered_pages(void)
{
	struct blk_dev *d = test_disk(__func__);
	return d ? cluster_round_trip(d, 8192, 16, 1000) : 0;
}

int test_blk_request_of_max_pages(void)
{
	struct blk_dev *d = test_disk(__func__);
	return d ? cluster_round_trip(d, 12288 + 3, BLK_MAX_PAGES, 2000) : 0;
}

int test_blk_last_page_of_disk(void)
{
	struct blk_dev *d = test_disk(__func__);
	struct vm_page *p[2];
	if (d == NULL)
		return 0;
	uint64_t last = d->sectors - BLK_SECTORS_PER_PAGE;
	KTEST_ASSERT(alloc_pages(p, 2) == 0, "out of pages");
	int err = write_then_read_singly(d, last, p, 1, 3000);
	const struct { uint64_t sector; int n; } bad[] = {
		{ last + 1, 1 }, { d->sectors, 1 }, { last, 2 }, { d->sectors + 8, 1 },
		{ UINT64_MAX - 7, 1 }, { UINT64_MAX - 7, BLK_MAX_PAGES },
	};
	fill(p[0], 3001);
	fill(p[1], 3002);
	for (size_t i = 0; err == 0 && i < ARRAY_SIZE(bad); i++) {
		int w = blk_write_pages(d, bad[i].sector, p, bad[i].n);
		int r = blk_read_pages(d, bad[i].sector, p, bad[i].n);
		if (w != -EINVAL || r != -EINVAL)
			err = selftest_fail(__func__, __LINE__, "%d pages at sector %lu of %lu: write %d "
			    "read %d, expected -EINVAL", bad[i].n, bad[i].sector, d->sectors, w, r);
	}
	/* The refused writes left the last page alone. */
	if (err == 0 && (blk_read_pages(d, last, p, 1) != 0 || mismatch(p[0], 3000) >= 0))
		err = selftest_fail(__func__, __LINE__, "the last page changed");
	free_pages(p, 2);
	return err;
}

int test_blk_bad_page_counts_rejected(void)
{
	struct blk_dev *d = test_disk(__func__);
	struct vm_page *p[BLK_MAX_PAGES + 1];
	if (d == NULL)
		return 0;
	KTEST_ASSERT(alloc_pages(p, BLK_MAX_PAGES + 1) == 0, "out of pages");
	const int counts[] = { 0, -1, BLK_MAX_PAGES + 1, -2147483647 - 1 };
	int err = 0;
	for (size_t i = 0; err == 0 && i < ARRAY_SIZE(counts); i++) {
		int w = blk_write_pages(d, 0, p, counts[i]);
		int r = blk_read_pages(d, 0, p, counts[i]);
		if (w != -EINVAL || r != -EINVAL)
			err = selftest_fail(__func__, __LINE__, "%d pages: write %d read %d", counts[i],
			    w, r);
	}
	free_pages(p, BLK_MAX_PAGES + 1);
	return err;
}

/* ------------------------------------------------ many requests at once */

#define INFLIGHT_THREADS        16      /* 16 x 34 descriptors: twice a 256-entry ring */
#define INFLIGHT_ROUNDS         6
#define INFLIGHT_REGION         (2 * BLK_MAX_PAGES * BLK_SECTORS_PER_PAGE)

struct inflight_job {
	struct blk_dev *disk;
	int id;
	int err;                        /* 0, or the line that failed */
	char why[96];
};

static bool inflight_go;
static struct spinlock inflight_lock = SPINLOCK_INIT("blk_test");

/* Wait for the test's go, so that all first requests start together while the disk is held. */
static void inflight_wait_for_go(void)
{
	spinlock_acquire(&inflight_lock);
	while (!inflight_go)
		sleep_on(&inflight_go, &inflight_lock, false);
	spinlock_release(&inflight_lock);
}

static int inflight_transfer(struct inflight_job *j, uint64_t sector, struct vm_page **p, int n,
    bool write)
{
	return write ? blk_write_pages(j->disk, sector, p, n) : blk_read_pages(j->disk, sector, p, n);
}

/* One thread: rounds of a write of n pages and a read of them into other pages. */
static void inflight_thread(void *arg)
{
	struct inflight_job *j = arg;
	struct vm_page *out[BLK_MAX_PAGES], *in[BLK_MAX_PAGES];
	if (alloc_scattered(out, BLK_MAX_PAGES) != 0) {
		ksnprintf(j->why, sizeof(j->why), "thread %d: out of pages", j->id);
		j->err = __LINE__;
		return;
	}
	if (alloc_scattered(in, BLK_MAX_PAGES) != 0) {
		free_pages(out, BLK_MAX_PAGES);
		ksnprintf(j->why, sizeof(j->why), "thread %d: out of pages", j->id);
		j->err = __LINE__;
		return;
	}
	for (int r = 0; r < INFLIGHT_ROUNDS && !j->err; r++) {
		int n = r == 0 ? BLK_MAX_PAGES : 1 + (j->id * 7 + r * 13) % BLK_MAX_PAGES;
		uint64_t sector = 65536 + (uint64_t)j->id * INFLIGHT_REGION + (uint64_t)(r % 2) * 8 * n;
		uint64_t tag = (uint64_t)j->id << 20 | (uint64_t)r << 8;
		for (int i = 0; i < n; i++)
			fill(out[i], tag + i);
		if (r == 0)
			inflight_wait_for_go();
		int err = inflight_transfer(j, sector, out, n, true);
		if (err == 0)
			err = inflight_transfer(j, sector, in, n, false);
		for (int i = 0; err == 0 && i < n; i++)
			if (mismatch(in[i], tag + i) >= 0)
				err = -1000 - i;
		if (err) {
			ksnprintf(j->why, sizeof(j->why), "thread %d round %d (%d pages at %lu): %d",
			    j->id, r, n, sector, err);
			j->err = __LINE__;
		}
	}
	free_pages(out, BLK_MAX_PAGES);
	free_pages(in, BLK_MAX_PAGES);
}

int test_blk_many_requests_in_flight_from_threads(void)
{
	struct blk_dev *d = test_disk(__func__);
	static struct inflight_job jobs[INFLIGHT_THREADS];
	pid_t pids[INFLIGHT_THREADS];
	if (d == NULL)
		return 0;
	KTEST_ASSERT(d->sectors >= 65536 + INFLIGHT_THREADS * INFLIGHT_REGION, "disk too small");
	uint64_t free = kmem_free_and_heap_pages();
	inflight_go = false;
	for (int t = 0; t < INFLIGHT_THREADS; t++) {
		jobs[t] = (struct inflight_job){ .disk = d, .id = t };
		struct proc *p = kthread_create("t-blk", inflight_thread, &jobs[t]);
		KTEST_ASSERT(p != NULL, "kthread_create %d failed", t);
		pids[t] = p->pid;
	}
	/*
	 * Hold the disk so that no request completes, let every thread go, and
	 * wait until all 16 first requests are inside the driver: on the ring,
	 * or waiting for room on it.  Without the hold, how many overlap would
	 * depend on the host: with several CPUs QEMU finishes a request while
	 * the guest is still starting the next ones.
	 */
	int inside = blk_hold(d, true), most = inside;
	KTEST_ASSERT(inside >= 0, "blk_hold: %d", inside);
	spinlock_acquire(&inflight_lock);
	inflight_go = true;
	wakeup(&inflight_go);
	spinlock_release(&inflight_lock);
	uint64_t deadline = clock_ns() + 10000000000ul;
	while (inside < INFLIGHT_THREADS && clock_ns() < deadline) {
		sched_sleep_ns(1000000);
		inside = blk_hold(d, true);
		most = MAX(most, inside);
	}
	blk_hold(d, false);
	for (int t = 0; t < INFLIGHT_THREADS; t++)
		KTEST_ASSERT(sys_wait4(pids[t], NULL, 0, NULL) == pids[t], "wait4 %d", pids[t]);
	for (int t = 0; t < INFLIGHT_THREADS; t++)
		KTEST_ASSERT(jobs[t].err == 0, "%s", jobs[t].why);
	KTEST_ASSERT(most == INFLIGHT_THREADS, "at most %d of %d requests were in the driver at "
	    "once", most, INFLIGHT_THREADS);
	KTEST_ASSERT(blk_hold(d, false) == 0, "requests left in the driver");
	KTEST_ASSERT(kmem_free_and_heap_pages() == free, "%ld pages leaked",
	    (long)(free - kmem_free_and_heap_pages()));
	return 0;
}

/* ------------------------------------------------------ injected errors */

int test_blk_injected_errors_reach_the_caller(void)
{
	struct blk_dev *d = test_disk(__func__);
	struct vm_page *p[16];
	if (d == NULL)
		return 0;
	KTEST_ASSERT(alloc_pages(p, 16) == 0, "out of pages");
	for (int i = 0; i < 16; i++)
		fill(p[i], 4000 + i);
	uint64_t cluster = BLKERR_WRITE_SECTOR - BLK_SECTORS_PER_PAGE;   /* covers it */
	int first = blk_write_pages(d, cluster, p, 16);
	int again = blk_write_pages(d, cluster, p, 16);
	int r1 = blk_read_pages(d, BLKERR_READ_SECTOR, p, 1);
	int r2 = blk_read_pages(d, BLKERR_READ_SECTOR, p, 1);
	int back = blk_read_pages(d, cluster, p, 16);
	int err = 0;
	for (int i = 0; back == 0 && err == 0 && i < 16; i++)
		if (mismatch(p[i], 4000 + i) >= 0)
			err = selftest_fail(__func__, __LINE__, "page %d of the rewritten cluster", i);
	free_pages(p, 16);
	KTEST_ASSERT(first == -EIO, "the first write over sector %d gave %d, not -EIO (is this the "
	    "blkerr suite, with its blkdebug rules?)", BLKERR_WRITE_SECTOR, first);
	KTEST_ASSERT(again == 0, "the rewrite gave %d (the rule fires once)", again);
	KTEST_ASSERT(r1 == -EIO, "the first read of sector %d gave %d, not -EIO",
	    BLKERR_READ_SECTOR, r1);
	KTEST_ASSERT(r2 == 0 && back == 0, "reads after the errors gave %d, %d", r2, back);
	return err;
}

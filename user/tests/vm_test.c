/*
 * vm_test.c - the "vm" suite: address spaces as user space sees them.
 *
 * Copy-on-write across fork (both directions, grandchildren, pages never
 * touched before the fork), shadow chains that stay short when a process
 * forks in a loop, munmap/mprotect/MAP_FIXED/MAP_SHARED, the faults that
 * must kill with SIGSEGV (page 0, kernel addresses, program text, past
 * the stack limit, unmapped holes), lazily allocated sparse mappings
 * (checked through the free_pages counter), mmap's argument errors and
 * the program break.
 *
 * Assumes: 4 KiB pages; an 8 MiB stack limit; user pages mapped without
 * PROT_EXEC are not executable (NX); brk(2) unmaps what a shrink gives
 * back; MAP_SHARED|MAP_PRIVATE together is EINVAL (not Linux's
 * MAP_SHARED_VALIDATE).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <vmos.h>

#include "testlib.h"

#define PG              4096ul
#define MIB             (1024ul * 1024ul)
#define KERNEL_ADDR     0xffffffff80100000ul

static volatile int global_counter = 1;         /* in .data: COW'd like the heap */

/* ------------------------------------------------------------ helpers */

static char *map_anon(size_t len, int prot, int flags)
{
	void *p = mmap(NULL, len, prot, flags | MAP_ANONYMOUS, -1, 0);

	CHECKF(p != MAP_FAILED, "mmap(%zu bytes) failed", len);
	CHECKF(((uintptr_t)p & (PG - 1)) == 0, "mmap answered unaligned %p", p);
	return p;
}

static char *map_private(size_t len)
{
	return map_anon(len, PROT_READ | PROT_WRITE, MAP_PRIVATE);
}

static void fill_pages(volatile char *p, size_t npages, char v)
{
	for (size_t i = 0; i < npages; i++)
		p[i * PG] = p[i * PG + PG - 1] = v;
}

/* Every page of p starts and ends with v, else fail naming the page. */
static void check_pages(const volatile char *p, size_t npages, char v, const char *who)
{
	for (size_t i = 0; i < npages; i++) {
		CHECKF(p[i * PG] == v && p[i * PG + PG - 1] == v,
		       "%s: page %zu holds %d/%d, want %d", who, i,
		       p[i * PG], p[i * PG + PG - 1], v);
	}
}

static void wait_ok(pid_t pid)
{
	char buf[64];
	int status = test_wait(pid);

	CHECKF(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child %d: %s",
	       (int)pid, test_status_str(status, buf, sizeof(buf)));
}

static void make_pipe(int fds[2])
{
	CHECK(pipe(fds) == 0);
}

static void send_byte(int fd)
{
	test_write_full(fd, "x", 1);
}

static void recv_byte(int fd)
{
	char c;

	test_read_full(fd, &c, 1);
}

static void touch_read(void *arg)
{
	volatile char *p = arg;

	(void)*p;
}

static void touch_write(void *arg)
{
	volatile char *p = arg;

	*p = 1;
}

static int64_t sdiff(uint64_t a, uint64_t b)
{
	return (int64_t)(a - b);
}

/* --------------------------------------------------------- copy on write */

#define COW_PAGES 8

static void cow_parent_write_after_fork_invisible_to_child(void)
{
	char *buf = map_private(COW_PAGES * PG);
	volatile char on_stack = 'A';
	int go[2];
	pid_t pid;

	fill_pages(buf, COW_PAGES, 'A');
	global_counter = 1;
	make_pipe(go);
	pid = test_fork();
	if (pid == 0) {
		close(go[1]);
		recv_byte(go[0]);               /* the parent has written by now */
		check_pages(buf, COW_PAGES, 'A', "child sees mmap memory");
		CHECKF(global_counter == 1, "child sees global %d", global_counter);
		CHECKF(on_stack == 'A', "child sees stack %c", on_stack);
		_exit(0);
	}
	close(go[0]);
	fill_pages(buf, COW_PAGES, 'P');
	global_counter = 2;
	on_stack = 'P';
	send_byte(go[1]);
	wait_ok(pid);
	check_pages(buf, COW_PAGES, 'P', "parent keeps its own writes");
	CHECK(global_counter == 2 && on_stack == 'P');
}

static void cow_child_write_invisible_to_parent(void)
{
	char *buf = map_private(COW_PAGES * PG);
	volatile char on_stack = 'A';
	pid_t pid;

	fill_pages(buf, COW_PAGES, 'A');
	global_counter = 1;
	pid = test_fork();
	if (pid == 0) {
		fill_pages(buf, COW_PAGES, 'C');
		global_counter = 3;
		on_stack = 'C';
		check_pages(buf, COW_PAGES, 'C', "child reads back its writes");
		CHECK(global_counter == 3 && on_stack == 'C');
		_exit(0);
	}
	wait_ok(pid);
	check_pages(buf, COW_PAGES, 'A', "parent after child wrote");
	CHECKF(global_counter == 1, "parent sees global %d", global_counter);
	CHECKF(on_stack == 'A', "parent sees stack %c", on_stack);
}

/* Both write the same pages while both are alive; each keeps its own. */
static void cow_concurrent_writes_stay_private(void)
{
	char *buf = map_private(COW_PAGES * PG);
	int to_child[2], to_parent[2];
	pid_t pid;

	fill_pages(buf, COW_PAGES, 'A');
	make_pipe(to_child);
	make_pipe(to_parent);
	pid = test_fork();
	if (pid == 0) {
		fill_pages(buf, COW_PAGES, 'C');
		send_byte(to_parent[1]);
		recv_byte(to_child[0]);         /* parent wrote 'P' meanwhile */
		check_pages(buf, COW_PAGES, 'C', "child after parent wrote");
		_exit(0);
	}
	recv_byte(to_parent[0]);
	check_pages(buf, COW_PAGES, 'A', "parent after child wrote");
	fill_pages(buf, COW_PAGES, 'P');
	send_byte(to_child[1]);
	wait_ok(pid);
	check_pages(buf, COW_PAGES, 'P', "parent after child exited");
}

/* A page nobody touched before fork: the child's zero-fill stays its own. */
static void cow_untouched_page_child_write_invisible_to_parent(void)
{
	char *buf = map_private(COW_PAGES * PG);
	pid_t pid = test_fork();

	if (pid == 0) {
		fill_pages(buf, COW_PAGES, 'C');
		_exit(0);
	}
	wait_ok(pid);
	check_pages(buf, COW_PAGES, 0, "parent reads untouched pages");
}

/* Three generations each write after their fork; each sees only its own. */
static void cow_isolated_across_grandchildren(void)
{
	char *buf = map_private(COW_PAGES * PG);
	pid_t child;

	fill_pages(buf, COW_PAGES, 'A');
	child = test_fork();
	if (child == 0) {
		pid_t grandchild;

		check_pages(buf, COW_PAGES, 'A', "child inherits");
		fill_pages(buf, COW_PAGES, 'B');
		grandchild = test_fork();
		if (grandchild == 0) {
			check_pages(buf, COW_PAGES, 'B', "grandchild inherits child's writes");
			fill_pages(buf, COW_PAGES, 'G');
			check_pages(buf, COW_PAGES, 'G', "grandchild reads back");
			_exit(0);
		}
		wait_ok(grandchild);
		check_pages(buf, COW_PAGES, 'B', "child after grandchild wrote");
		fill_pages(buf, COW_PAGES, 'b');
		_exit(0);
	}
	wait_ok(child);
	check_pages(buf, COW_PAGES, 'A', "parent after two generations wrote");
}

/* The kernel counts the copies a child's writes cause. */
static void cow_child_writes_count_cow_copies(void)
{
	char *buf = map_private(COW_PAGES * PG);
	struct kcounters before, after;
	pid_t pid;

	fill_pages(buf, COW_PAGES, 'A');
	test_kcounters(&before);
	pid = test_fork();
	if (pid == 0) {
		fill_pages(buf, COW_PAGES, 'C');
		_exit(0);
	}
	wait_ok(pid);
	test_kcounters(&after);
	CHECKF(after.cow_copies - before.cow_copies >= COW_PAGES,
	       "cow_copies grew by %llu, want >= %d",
	       (unsigned long long)(after.cow_copies - before.cow_copies), COW_PAGES);
}

/*
 * What copy-on-write saves, counted.  SHARE_PAGES written before the fork
 * are shared by both processes until one writes: the fork itself costs
 * the child's page tables and kernel stack, not a copy of its memory.
 * Each case measures cow_copies around one step with kcounters, after
 * touching the structs it reads into (so their own stack page is not
 * what gets copied).
 */
#define SHARE_PAGES 256
#define SHARE_SLACK (SHARE_PAGES / 2)   /* pages a fork may cost besides */

static uint64_t cow_copies_now(struct kcounters *k)
{
	CHECK(kcounters(k) == 0);
	return k->cow_copies;
}

/* The child reads everything; free memory barely moves. */
static void fork_shares_pages_until_write(void)
{
	char *buf = map_private(SHARE_PAGES * PG);
	struct kcounters before, forked;
	int to_child[2], to_parent[2];
	pid_t pid;

	fill_pages(buf, SHARE_PAGES, 'A');
	make_pipe(to_child);
	make_pipe(to_parent);
	test_kcounters(&before);
	pid = test_fork();
	if (pid == 0) {
		check_pages(buf, SHARE_PAGES, 'A', "child reads the parent's pages");
		send_byte(to_parent[1]);
		recv_byte(to_child[0]);
		_exit(0);
	}
	recv_byte(to_parent[0]);                /* the child has read every page */
	test_kcounters(&forked);
	send_byte(to_child[1]);
	wait_ok(pid);
	CHECKF(sdiff(before.free_pages, forked.free_pages) < SHARE_SLACK,
	       "fork and a child that only reads took %lld free pages for a %d-page mapping "
	       "(copied, not shared?)", (long long)sdiff(before.free_pages, forked.free_pages),
	       SHARE_PAGES);
}

/* The child writes one page: one copy.  Once it is gone the parent is the
 * object's only user, and writing every page copies nothing. */
static void only_the_written_page_is_copied(void)
{
	char *buf = map_private(SHARE_PAGES * PG);
	struct kcounters k0, k1;
	char buf64[64];
	pid_t pid;

	int go[2], done[2];

	fill_pages(buf, SHARE_PAGES, 'A');
	memset(&k0, 0, sizeof(k0));
	memset(&k1, 0, sizeof(k1));
	make_pipe(go);
	make_pipe(done);
	pid = test_fork();
	if (pid == 0) {
		struct kcounters c0, c1;

		memset(&c0, 0, sizeof(c0));
		memset(&c1, 0, sizeof(c1));
		recv_byte(go[0]);       /* the parent has copied its stack page: see below */
		uint64_t before = cow_copies_now(&c0);
		buf[7 * PG] = 'C';
		uint64_t after = cow_copies_now(&c1);
		send_byte(done[1]);
		CHECKF(after - before == 1, "the child's write of one page made %llu copies",
		       (unsigned long long)(after - before));
		_exit(0);
	}
	/* cow_copies counts every process's copies, and with several CPUs the
	 * parent's own first stack write after fork (a copy too) could land
	 * in the child's window.  So the child measures only after our
	 * send_byte (which made that copy), while we wait in recv_byte, at
	 * the same depth of stack. */
	send_byte(go[1]);
	recv_byte(done[0]);
	int status = test_wait(pid);
	CHECKF(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child: %s",
	       test_status_str(status, buf64, sizeof(buf64)));
	uint64_t before = cow_copies_now(&k0);
	fill_pages(buf, SHARE_PAGES, 'P');
	uint64_t after = cow_copies_now(&k1);
	CHECKF(after == before, "the parent, alone again, made %llu copies writing its pages",
	       (unsigned long long)(after - before));
	check_pages(buf, SHARE_PAGES, 'P', "parent");
}

/* fork write-protects the parent too: its first write copies, and the
 * child keeps the old page. */
static void parent_write_after_fork_copies_one_page(void)
{
	char *buf = map_private(SHARE_PAGES * PG);
	struct kcounters k0, k1;
	int go[2], done[2], ready[2];
	pid_t pid;

	fill_pages(buf, SHARE_PAGES, 'A');
	memset(&k0, 0, sizeof(k0));
	memset(&k1, 0, sizeof(k1));
	make_pipe(go);
	make_pipe(done);
	make_pipe(ready);
	pid = test_fork();
	if (pid == 0) {
		send_byte(ready[1]);
		recv_byte(go[0]);
		check_pages(buf, SHARE_PAGES, 'A', "child after the parent wrote");
		send_byte(done[1]);
		_exit(0);
	}
	/* The child's first stack write after fork is a copy too: with several
	 * CPUs it could land between our two looks, so we look once the child
	 * has made it (send_byte) and waits (recv_byte, the same depth). */
	recv_byte(ready[0]);
	uint64_t before = cow_copies_now(&k0);
	buf[3 * PG] = 'P';
	uint64_t after = cow_copies_now(&k1);
	send_byte(go[1]);
	recv_byte(done[0]);
	wait_ok(pid);
	CHECKF(after - before == 1, "the parent's write of one page made %llu copies",
	       (unsigned long long)(after - before));
}

/* ---------------------------------------------------------- shadow chains */

#define CHAIN_PAGES       16
#define CHAIN_GENERATIONS 100
#define CHAIN_MAX_OBJECTS 4     /* vm_objects may differ by this much */
#define CHAIN_MAX_PAGES   64    /* free_pages may drop by this much */

/*
 * The parent forks 100 times; each child checks what it inherited and
 * writes; the parent rewrites all its pages after each wait.  Without
 * collapsing, every generation leaves one more object (and its pages)
 * in the parent's chain.
 */
static void shadow_chain_stays_short_after_100_forks(void)
{
	char *buf = map_private(CHAIN_PAGES * PG);
	struct kcounters start, end;

	fill_pages(buf, CHAIN_PAGES, 0);
	for (int i = 0; i <= CHAIN_GENERATIONS; i++) {
		pid_t pid;

		if (i == 1)
			test_kcounters(&start);  /* after one warm-up round */
		pid = test_fork();
		if (pid == 0) {
			check_pages(buf, CHAIN_PAGES, (char)i, "child inherits");
			fill_pages(buf, CHAIN_PAGES / 2, (char)-1);
			_exit(0);
		}
		wait_ok(pid);
		check_pages(buf, CHAIN_PAGES, (char)i, "parent after child wrote");
		fill_pages(buf, CHAIN_PAGES, (char)(i + 1));
	}
	test_kcounters(&end);
	CHECKF(sdiff(end.vm_objects, start.vm_objects) <= CHAIN_MAX_OBJECTS,
	       "vm_objects %llu -> %llu over %d forks",
	       (unsigned long long)start.vm_objects,
	       (unsigned long long)end.vm_objects, CHAIN_GENERATIONS);
	CHECKF(sdiff(start.free_pages, end.free_pages) <= CHAIN_MAX_PAGES,
	       "free_pages %llu -> %llu over %d forks",
	       (unsigned long long)start.free_pages,
	       (unsigned long long)end.free_pages, CHAIN_GENERATIONS);
}

/*
 * The other direction: each generation forks and exits, the child carries
 * on (the parent's side of the shadow pair dies every time).  The last
 * generation sends the counters it sees back through a pipe.
 */
static void shadow_chain_stays_short_when_child_carries_on(void)
{
	struct kcounters start, end, first;
	int result[2];
	pid_t pid;

	make_pipe(result);
	test_kcounters(&first);
	pid = test_fork();
	if (pid == 0) {
		char *buf = map_private(CHAIN_PAGES * PG);

		close(result[0]);
		fill_pages(buf, CHAIN_PAGES, 0);
		for (int i = 0; i < CHAIN_GENERATIONS; i++) {
			if (i == 1)
				test_kcounters(&start);
			if (test_fork() != 0)
				_exit(0);       /* the child goes on; init reaps us */
			check_pages(buf, CHAIN_PAGES, (char)i, "next generation inherits");
			fill_pages(buf, CHAIN_PAGES, (char)(i + 1));
		}
		/* Give init a moment to reap the earlier generations (at most 3 s). */
		for (uint64_t t0 = test_now_ns(); test_now_ns() - t0 < 3000000000ull;) {
			test_kcounters(&end);
			if (end.processes <= first.processes + 1)
				break;
		}
		test_write_full(result[1], &start, sizeof(start));
		test_write_full(result[1], &end, sizeof(end));
		_exit(0);
	}
	close(result[1]);
	wait_ok(pid);
	test_read_full(result[0], &start, sizeof(start));
	test_read_full(result[0], &end, sizeof(end));
	CHECKF(sdiff(end.vm_objects, start.vm_objects) <= CHAIN_MAX_OBJECTS,
	       "vm_objects %llu -> %llu over %d generations",
	       (unsigned long long)start.vm_objects,
	       (unsigned long long)end.vm_objects, CHAIN_GENERATIONS);
	CHECKF(sdiff(start.free_pages, end.free_pages) <= CHAIN_MAX_PAGES,
	       "free_pages %llu -> %llu over %d generations",
	       (unsigned long long)start.free_pages,
	       (unsigned long long)end.free_pages, CHAIN_GENERATIONS);
	/* Let init reap the last generations before the runner compares. */
	for (uint64_t t0 = test_now_ns(); test_now_ns() - t0 < 3000000000ull;) {
		test_kcounters(&end);
		if (end.processes <= first.processes)
			break;
	}
	CHECKF(end.processes == first.processes, "processes %llu, was %llu",
	       (unsigned long long)end.processes, (unsigned long long)first.processes);
}

/* ---------------------------------------------------- munmap and mprotect */

/*
 * Unmapping part of a private mapping frees the pages of that range in
 * its object.  With few pages resident the kernel walks the object's page
 * list instead of looking up each index (vm_object_page_remove), and an
 * off-by-one at the end of the range there would free the first page
 * past it.  Only the last of three pages is ever touched.
 */
static void munmap_of_untouched_pages_spares_the_resident_page_after_them(void)
{
	char *p = map_private(3 * PG);

	p[2 * PG] = 'L';
	p[3 * PG - 1] = 'l';
	CHECK(munmap(p, 2 * PG) == 0);
	CHECKF(p[2 * PG] == 'L' && p[3 * PG - 1] == 'l',
	       "last page lost its contents: %d/%d", p[2 * PG], p[3 * PG - 1]);
	expect_signal(touch_read, p + PG, SIGSEGV);
	CHECK(munmap(p + 2 * PG, PG) == 0);
}

/* With more pages resident than the range is long, munmap looks pages up
 * by index; a page in the range that was never touched is simply absent. */
static void munmap_of_a_range_with_an_untouched_page_keeps_the_rest(void)
{
	char *p = map_private(8 * PG);

	for (int i = 0; i < 8; i++)
		if (i != 3)
			fill_pages(p + i * PG, 1, (char)('a' + i));
	CHECK(munmap(p + 3 * PG, 2 * PG) == 0);         /* page 3 absent, page 4 resident */
	for (int i = 0; i < 8; i++)
		if (i < 3 || i > 4)
			check_pages(p + i * PG, 1, (char)('a' + i), "page beside the hole");
	expect_signal(touch_read, p + 3 * PG, SIGSEGV);
	CHECK(munmap(p, 8 * PG) == 0);
}

/*
 * Collapse of a shadow object whose backing offset is not zero.  The
 * first page of a four-page private mapping is unmapped, so the entry
 * starts one page into its object; after fork a write in the parent puts
 * a shadow in front of that object at backing offset 1, and when the
 * child exits the object is merged into the shadow (vm_object_collapse).
 * Each of its pages must land at its index minus the offset: a collapse
 * that ignored the offset would drop or misplace them.
 */
static void collapse_of_shadow_at_nonzero_offset_keeps_every_page(void)
{
	char *p = map_private(4 * PG);
	int go[2];
	pid_t pid;

	for (int i = 0; i < 4; i++)
		fill_pages(p + i * PG, 1, (char)('a' + i));
	CHECK(munmap(p, PG) == 0);
	p += PG;                                /* pages 'b', 'c', 'd' */
	make_pipe(go);
	pid = test_fork();
	if (pid == 0) {
		close(go[1]);
		recv_byte(go[0]);               /* wait; then exit without touching p */
		_exit(0);
	}
	close(go[0]);
	fill_pages(p + PG, 1, 'W');             /* shadows the parent's entry */
	send_byte(go[1]);
	wait_ok(pid);                           /* the object is collapsed into the shadow */
	check_pages(p, 1, 'b', "page 0 after collapse");
	check_pages(p + PG, 1, 'W', "page 1 (written) after collapse");
	check_pages(p + 2 * PG, 1, 'd', "page 2 after collapse");
	fill_pages(p, 3, 'z');                  /* still private and writable */
	check_pages(p, 3, 'z', "after writing again");
	CHECK(munmap(p, 3 * PG) == 0);
}

/*
 * A read fault on a page that belongs to a backing object must map it
 * read-only, so that a later write faults and copies.  The child first
 * writes page 0 (its entry gets its own shadow and no longer needs a
 * copy), then reads page 1, which is still the object it shares with the
 * parent, then writes page 1.  Were the read mapping writable, that write
 * would land in the shared page and the parent would see it.
 */
static void write_after_read_of_shared_page_stays_private_after_fork(void)
{
	char *p = map_private(2 * PG);
	pid_t pid;

	fill_pages(p, 2, 'A');
	pid = test_fork();
	if (pid == 0) {
		volatile char *v = p;

		fill_pages(p, 1, 'C');          /* the child's own shadow object */
		CHECK(v[PG] == 'A');            /* page 1 read from the shared object */
		fill_pages(p + PG, 1, 'C');
		check_pages(p, 2, 'C', "child after its writes");
		_exit(0);
	}
	wait_ok(pid);
	check_pages(p, 2, 'A', "parent after the child wrote a page it had read");
}

/*
 * fork write-protects the parent's private pages; the CPU must forget the
 * writable translations it cached for them (a TLB invalidation), or the
 * parent's next write goes straight into the page it now shares with the
 * child.  The pages are written just before fork so their translations
 * are hot, and written again the moment fork returns; the child then
 * reads what it must still see.
 */
#define TLB_PAGES 8

static void parent_write_right_after_fork_not_seen_by_child(void)
{
	volatile char *p = map_private(TLB_PAGES * PG);
	int go[2], back[2];
	pid_t pid;

	make_pipe(go);
	make_pipe(back);
	for (int i = 0; i < TLB_PAGES; i++)
		p[i * PG] = 'A';                /* writable translations, hot in the TLB */
	pid = fork();
	if (pid > 0) {
		for (int i = 0; i < TLB_PAGES; i++)
			p[i * PG] = 'P';        /* must fault and copy */
	}
	if (pid < 0)
		FAIL("fork failed");
	if (pid == 0) {
		close(go[1]);
		close(back[0]);
		recv_byte(go[0]);               /* the parent has written */
		for (int i = 0; i < TLB_PAGES; i++)
			CHECKF(p[i * PG] == 'A', "child sees %c in page %d: the parent wrote "
			       "through a stale writable TLB entry", p[i * PG], i);
		p[0] = 'C';
		send_byte(back[1]);
		_exit(0);
	}
	close(go[0]);
	close(back[1]);
	send_byte(go[1]);
	recv_byte(back[0]);                     /* the child has written */
	for (int i = 0; i < TLB_PAGES; i++)
		CHECKF(p[i * PG] == 'P', "parent sees %c in page %d", p[i * PG], i);
	wait_ok(pid);
}

static void munmap_middle_page_keeps_neighbours(void)
{
	char *p = map_private(3 * PG);

	fill_pages(p, 3, 'x');
	CHECK(munmap(p + PG, PG) == 0);
	check_pages(p, 1, 'x', "first page");
	check_pages(p + 2 * PG, 1, 'x', "last page");
	p[0] = 'y';
	p[2 * PG] = 'z';
	CHECK(p[0] == 'y' && p[2 * PG] == 'z');
	expect_signal(touch_read, p + PG, SIGSEGV);
	expect_signal(touch_write, p + PG + 100, SIGSEGV);
	CHECK(munmap(p, 3 * PG) == 0);  /* a range with a hole in it is fine */
	expect_signal(touch_read, p, SIGSEGV);
}

static void mmap_anonymous_memory_starts_zeroed(void)
{
	size_t n = 16;
	char *p = map_private(n * PG);

	for (size_t i = 0; i < n * PG; i += 64)
		CHECKF(p[i] == 0, "byte %zu is %d", i, p[i]);
}

static void mprotect_readonly_page_segfaults_on_write(void)
{
	char *p = map_private(2 * PG);

	p[0] = 42;
	p[PG] = 43;
	CHECK(mprotect(p, PG, PROT_READ) == 0);
	CHECKF(p[0] == 42, "read after mprotect gives %d", p[0]);
	expect_signal(touch_write, p, SIGSEGV);
	CHECK(p[0] == 42);
	p[PG] = 44;                     /* the other page stays writable */
	CHECK(mprotect(p, PG, PROT_READ | PROT_WRITE) == 0);
	p[0] = 45;
	CHECK(p[0] == 45 && p[PG] == 44);
}

static void mprotect_none_segfaults_on_read(void)
{
	char *p = map_private(PG);

	p[0] = 7;
	CHECK(mprotect(p, PG, PROT_NONE) == 0);
	expect_signal(touch_read, p, SIGSEGV);
	CHECK(mprotect(p, PG, PROT_READ) == 0);
	CHECKF(p[0] == 7, "contents after PROT_NONE and back: %d", p[0]);
}

static void mprotect_readonly_is_per_process_after_fork(void)
{
	char *p = map_private(PG);
	pid_t pid;

	p[0] = 1;
	pid = test_fork();
	if (pid == 0) {
		CHECK(mprotect(p, PG, PROT_READ) == 0);
		_exit(0);
	}
	wait_ok(pid);
	p[0] = 2;                       /* still writable here */
	CHECK(p[0] == 2);
}

static void mprotect_unaligned_address_einval(void)
{
	char *p = map_private(2 * PG);

	CHECK_ERR(mprotect(p + 1, PG, PROT_READ), EINVAL);
}

/* ------------------------------------------------ addresses that must kill */

static void null_page_read_segfaults(void)
{
	expect_signal(touch_read, test_addr(0), SIGSEGV);
	expect_signal(touch_read, test_addr(PG - 1), SIGSEGV);
}

static void null_page_write_segfaults(void)
{
	expect_signal(touch_write, test_addr(8), SIGSEGV);
}

static void kernel_address_read_segfaults(void)
{
	expect_signal(touch_read, test_addr(KERNEL_ADDR), SIGSEGV);
}

static void kernel_address_write_segfaults(void)
{
	expect_signal(touch_write, test_addr(KERNEL_ADDR), SIGSEGV);
}

static void text_write_segfaults(void)
{
	uintptr_t text = (uintptr_t)&text_write_segfaults;

	volatile char first_byte = *(volatile char *)test_addr(text);  /* readable */

	(void)first_byte;
	expect_signal(touch_write, test_addr(text), SIGSEGV);
}

/* Jump into a PROT_READ|PROT_WRITE page holding a `ret`: NX must stop it. */
static void call_code(void *arg)
{
	void (*fn)(void);

	memcpy(&fn, &arg, sizeof(fn));
	fn();
}

static void exec_from_non_exec_mapping_segfaults(void)
{
	char *p = map_private(PG);

	p[0] = (char)0xc3;              /* ret */
	expect_signal(call_code, p, SIGSEGV);
}

/* ----------------------------------------------------------------- stack */

/*
 * Recurse with 32 KiB frames, touching every page top down, until this
 * frame lies `arg` bytes below the stack pointer test_main() started with.
 */
static int __attribute__((noinline)) grow_stack(uintptr_t low)
{
	volatile char frame[32 * 1024];

	for (size_t i = sizeof(frame); i > 0; i -= 1024)
		frame[i - 1] = (char)i;
	if ((uintptr_t)&frame[0] <= low)
		return frame[0];
	return grow_stack(low) + frame[sizeof(frame) / 2];
}

static void grow_stack_by(void *arg)
{
	uintptr_t depth = (uintptr_t)arg;

	grow_stack(test_initial_sp - depth);
}

static void stack_1mib_of_locals_works(void)
{
	int status = run_in_child(grow_stack_by, (void *)(1 * MIB));
	char buf[64];

	CHECKF(WIFEXITED(status) && WEXITSTATUS(status) == 0, "%s",
	       test_status_str(status, buf, sizeof(buf)));
}

static void stack_grows_to_7mib(void)
{
	int status = run_in_child(grow_stack_by, (void *)(7 * MIB));
	char buf[64];

	CHECKF(WIFEXITED(status) && WEXITSTATUS(status) == 0, "%s",
	       test_status_str(status, buf, sizeof(buf)));
}

static void stack_beyond_8mib_limit_segfaults(void)
{
	expect_signal(grow_stack_by, (void *)(9 * MIB), SIGSEGV);
}

/* Stack grown in a child goes with it; the parent then grows its own copy-on-write stack. */
static void stack_grown_in_child_then_in_parent(void)
{
	int status = run_in_child(grow_stack_by, (void *)(2 * MIB));
	char buf[64];

	CHECKF(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child: %s",
	       test_status_str(status, buf, sizeof(buf)));
	grow_stack_by((void *)(2 * MIB));
}

/* --------------------------------------------------------- lazy mappings */

#define SPARSE_LEN      (1024ul * MIB)
#define SPARSE_STRIDE   (64ul * MIB)
#define SPARSE_TOUCHED  (SPARSE_LEN / SPARSE_STRIDE)
#define SPARSE_SLACK    40      /* page tables (one per touch) + directories + heap */

static void sparse_1gib_mapping_costs_only_touched_pages(void)
{
	struct kcounters before, touched, unmapped;
	char *p;
	int64_t used, back;

	test_kcounters(&before);
	p = map_anon(SPARSE_LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_NORESERVE);
	for (size_t off = 0; off < SPARSE_LEN; off += SPARSE_STRIDE)
		p[off] = (char)(off / SPARSE_STRIDE + 1);
	for (size_t off = 0; off < SPARSE_LEN; off += SPARSE_STRIDE)
		CHECK(p[off] == (char)(off / SPARSE_STRIDE + 1));
	test_kcounters(&touched);
	used = sdiff(before.free_pages, touched.free_pages);
	CHECKF(used >= (int64_t)SPARSE_TOUCHED && used <= (int64_t)(SPARSE_TOUCHED + SPARSE_SLACK),
	       "touching %lu pages of a 1 GiB mapping took %lld free pages",
	       SPARSE_TOUCHED, (long long)used);
	CHECK(munmap(p, SPARSE_LEN) == 0);
	test_kcounters(&unmapped);
	back = sdiff(unmapped.free_pages, touched.free_pages);
	CHECKF(back >= (int64_t)SPARSE_TOUCHED,
	       "munmap gave back %lld pages, want >= %lu", (long long)back, SPARSE_TOUCHED);
	expect_signal(touch_read, p, SIGSEGV);
}

/* Touch more memory than the machine has. */
static void touch_more_than_ram(void *arg)
{
	struct kcounters k;
	(void)arg;
	test_kcounters(&k);
	size_t len = (k.total_pages + 1024) * PG;
	char *p = map_anon(len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_NORESERVE);
	for (size_t off = 0; off < len; off += PG)
		p[off] = 1;
}

/*
 * Running out of memory in a page fault kills the process with SIGKILL (the
 * kernel prints why); the kernel survives and every page comes back (the
 * runner's leak check), and fork still works afterwards.
 */
static void out_of_memory_kills_with_sigkill_and_frees_everything(void)
{
	expect_signal(touch_more_than_ram, NULL, SIGKILL);
	int status;
	pid_t pid = test_fork();
	if (pid == 0)
		_exit(7);
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 7);
}

/*
 * A copyout whose page fault sleeps (here, waiting for the pageout daemon
 * to find memory) and then fails must still return EFAULT.  The address a
 * failing copy resumes at was kept per CPU, so another process's copy made
 * during the sleep reset it to 0, and the kernel jumped to address 0.
 * Another process copies out in a loop while this one uses up memory a
 * page at a time with clock_gettime into pages it never touched, until the
 * kernel has none left to give it.
 */
static void copyout_that_waits_for_memory_then_fails_returns_efault(void)
{
	pid_t copier = test_fork();
	if (copier == 0) {
		struct timespec ts;
		for (;;)
			clock_gettime(CLOCK_MONOTONIC, &ts);
	}
	struct kcounters k;
	volatile char stack[8192];
	for (size_t i = 0; i < sizeof(stack); i += 512)
		stack[i] = 1;
	errno = 0;
	test_kcounters(&k);
	size_t len = k.total_pages * PG;
	char *p = map_anon(len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_NORESERVE);
	size_t page = 0;
	for (; page < len / PG; page++) {
		if (page % 64 == 0) {
			CHECK(kcounters(&k) == 0);
			if (k.free_pages < k.free_reserved + 256)
				break;
		}
		p[page * PG] = 1;
	}
	/* From here until the munmap nothing may need a page of its own:
	 * errno's page and the stack are ours already (written above). */
	int r = 0, err = 0;
	for (; r == 0 && page < len / PG; page++)
		r = clock_gettime(CLOCK_MONOTONIC, (struct timespec *)(p + page * PG));
	err = errno;
	munmap(p, len);
	CHECKF(r == -1 && err == EFAULT, "clock_gettime into a page with no memory: %d errno %d",
	       r, err);
	CHECK(kill(copier, SIGKILL) == 0);
	test_wait(copier);
}

static void munmap_returns_touched_pages(void)
{
	const size_t n = 256;
	struct kcounters before, touched, unmapped;
	char *p;

	test_kcounters(&before);
	p = map_private(n * PG);
	fill_pages(p, n, 1);
	test_kcounters(&touched);
	CHECKF(sdiff(before.free_pages, touched.free_pages) >= (int64_t)n,
	       "touching %zu pages took only %lld", n,
	       (long long)sdiff(before.free_pages, touched.free_pages));
	CHECK(munmap(p, n * PG) == 0);
	test_kcounters(&unmapped);
	CHECKF(sdiff(unmapped.free_pages, touched.free_pages) >= (int64_t)n,
	       "munmap gave back %lld of %zu pages",
	       (long long)sdiff(unmapped.free_pages, touched.free_pages), n);
}

/* --------------------------------------------------------- shared memory */

static void shared_anon_child_write_visible_to_parent(void)
{
	char *p = map_anon(4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED);
	pid_t pid;

	fill_pages(p, 4, 'A');
	pid = test_fork();
	if (pid == 0) {
		fill_pages(p, 4, 'C');
		_exit(0);
	}
	wait_ok(pid);
	check_pages(p, 4, 'C', "parent sees child's writes");
}

static void shared_anon_parent_write_visible_to_child(void)
{
	char *p = map_anon(4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED);
	int go[2];
	pid_t pid;

	make_pipe(go);
	pid = test_fork();              /* nothing touched yet: first touch after fork */
	if (pid == 0) {
		recv_byte(go[0]);
		check_pages(p, 4, 'P', "child sees parent's writes");
		_exit(0);
	}
	fill_pages(p, 4, 'P');
	send_byte(go[1]);
	wait_ok(pid);
}

static void shared_anon_reaches_grandchild_after_parent_unmaps(void)
{
	char *p = map_anon(PG, PROT_READ | PROT_WRITE, MAP_SHARED);
	char *q = map_private(PG);
	pid_t pid;

	p[0] = 'A';
	q[0] = 'A';
	pid = test_fork();
	if (pid == 0) {
		pid_t gc = test_fork();

		if (gc == 0) {
			p[0] = 'G';
			q[0] = 'G';
			_exit(0);
		}
		wait_ok(gc);
		CHECKF(p[0] == 'G', "child sees %c in the shared page", p[0]);
		CHECKF(q[0] == 'A', "child sees %c in the private page", q[0]);
		_exit(0);
	}
	CHECK(munmap(p, PG) == 0);      /* the children still hold the object */
	wait_ok(pid);
}

/* ---------------------------------------------------------------- mmap */

static void map_fixed_replaces_existing_mapping(void)
{
	char *p = map_private(3 * PG);
	char *q;

	fill_pages(p, 3, 'a');
	q = mmap(p + PG, PG, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CHECKF(q == p + PG, "MAP_FIXED answered %p, asked %p", (void *)q, (void *)(p + PG));
	CHECKF(q[0] == 0 && q[PG - 1] == 0, "replaced page holds %d", q[0]);
	check_pages(p, 1, 'a', "page below");
	check_pages(p + 2 * PG, 1, 'a', "page above");
	q[0] = 'b';
	CHECK(p[PG] == 'b');
}

static void map_fixed_unaligned_address_einval(void)
{
	char *p = map_private(2 * PG);

	CHECK_ERR(mmap(p + 1, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0),
		  EINVAL);
	CHECK(p[0] == 0);               /* the old mapping is untouched */
}

static void mmap_zero_length_einval(void)
{
	CHECK_ERR(mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), EINVAL);
}

static void mmap_shared_and_private_einval(void)
{
	CHECK_ERR(mmap(NULL, PG, PROT_READ, MAP_SHARED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
		  EINVAL);
}

static void mmap_neither_shared_nor_private_einval(void)
{
	CHECK_ERR(mmap(NULL, PG, PROT_READ, MAP_ANONYMOUS, -1, 0), EINVAL);
}

static void mmap_bad_fd_ebadf(void)
{
	CHECK_ERR(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, 999, 0), EBADF);
	CHECK_ERR(mmap(NULL, PG, PROT_READ, MAP_SHARED, -1, 0), EBADF);
}

static void mmap_unaligned_offset_einval(void)
{
	int fd = open("/bin/sh", O_RDONLY);

	CHECK(fd >= 0);
	CHECK_ERR(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, 100), EINVAL);
	close(fd);
}

static void munmap_unaligned_address_einval(void)
{
	char *p = map_private(2 * PG);

	p[0] = 1;
	CHECK_ERR(munmap(p + 1, PG), EINVAL);
	CHECK(p[0] == 1);               /* still mapped */
}

static void munmap_zero_length_einval(void)
{
	char *p = map_private(PG);

	CHECK_ERR(munmap(p, 0), EINVAL);
}

/* ------------------------------------------------------------------ brk */

#define BRK_GROW (256ul * 1024ul)

static uintptr_t page_up(uintptr_t a)
{
	return (a + PG - 1) & ~(PG - 1);
}

static uint64_t kcounter_faults(void)
{
	struct kcounters k;

	CHECK(kcounters(&k) == 0);
	return k.page_faults;
}

/* MAP_POPULATE faults every page in at mmap time, read-only mappings too:
 * touching them afterwards takes no page fault. */
static void map_populate_faults_pages_in_at_mmap_time(void)
{
	volatile char *p = map_anon(3 * PG, PROT_READ, MAP_PRIVATE | MAP_POPULATE);
	uint64_t before = kcounter_faults();
	int sum = 0;

	for (int i = 0; i < 3; i++)
		sum += p[i * PG];
	CHECKF(kcounter_faults() == before, "%llu faults reading populated pages",
	       (unsigned long long)(kcounter_faults() - before));
	CHECK(sum == 0);
}

/* Argument edges of mmap and brk that the older cases did not try. */
static void mmap_and_brk_argument_edges(void)
{
	char *cur = sbrk(0);

	CHECK_ERR(mmap(NULL, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, -4096), EINVAL);
	CHECK_ERR(mmap(NULL, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), EINVAL);
	CHECK_ERR(mmap((void *)(0x800000000000ul - PG), 2 * PG, PROT_READ,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0), ENOMEM);
	/* a file type without mmap: ENODEV, after the access checks passed */
	int fds[2];
	make_pipe(fds);
	CHECK_ERR(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fds[0], 0), ENODEV);
	close(fds[0]);
	close(fds[1]);
	/* a brk inside the page the break already reaches maps nothing new */
	CHECK(brk(cur + 1) == 0 && sbrk(0) == cur + 1);
	CHECK(brk(cur) == 0 && sbrk(0) == cur);
}

static void sbrk_grows_and_shrinks(void)
{
	char *old = sbrk(0);
	char *p;

	CHECK(old != (void *)-1);
	p = sbrk(BRK_GROW);
	CHECKF(p == old, "sbrk answered %p, break was %p", (void *)p, (void *)old);
	CHECK((char *)sbrk(0) == old + BRK_GROW);
	memset(p, 0x5a, BRK_GROW);
	for (size_t i = 0; i < BRK_GROW; i += PG)
		CHECK(p[i] == 0x5a);
	CHECK((char *)sbrk(-(intptr_t)BRK_GROW) == old + BRK_GROW);
	CHECK((char *)sbrk(0) == old);
}

static void sbrk_shrink_unmaps_pages(void)
{
	char *old = sbrk(0);
	uintptr_t gone = page_up((uintptr_t)old) + 16 * PG;

	CHECK(sbrk(BRK_GROW) == old);
	*(volatile char *)gone = 1;
	CHECK(sbrk(-(intptr_t)BRK_GROW) == old + BRK_GROW);
	expect_signal(touch_read, (void *)gone, SIGSEGV);
}

static void sbrk_regrown_pages_are_zero(void)
{
	char *old = sbrk(0);
	char *start = (char *)page_up((uintptr_t)old);
	size_t whole = (size_t)(old + BRK_GROW - start) & ~(PG - 1);

	CHECK(sbrk(BRK_GROW) == old);
	memset(start, 0x77, whole);
	CHECK(sbrk(-(intptr_t)BRK_GROW) == old + BRK_GROW);
	CHECK(sbrk(BRK_GROW) == old);
	for (size_t i = 0; i < whole; i += 256)
		CHECKF(start[i] == 0, "byte %zu after regrowth is %#x", i, start[i] & 0xff);
	CHECK(sbrk(-(intptr_t)BRK_GROW) == old + BRK_GROW);
}

static void brk_sets_the_break_exactly(void)
{
	char *old = sbrk(0);
	char *want = (char *)page_up((uintptr_t)old) + 3 * PG;

	CHECK(brk(want) == 0);
	CHECK((char *)sbrk(0) == want);
	want[-1] = 1;
	CHECK(brk(old) == 0);
	CHECK((char *)sbrk(0) == old);
}

static void brk_below_heap_start_fails(void)
{
	char *old = sbrk(0);

	CHECK_ERR(brk(test_addr(PG)), ENOMEM);
	CHECK((char *)sbrk(0) == old);
}

static void brk_survives_fork_copy_on_write(void)
{
	char *old = sbrk(0);
	char *p = sbrk(4 * PG);
	pid_t pid;

	CHECK(p == old);
	fill_pages((char *)page_up((uintptr_t)p), 3, 'h');
	pid = test_fork();
	if (pid == 0) {
		check_pages((char *)page_up((uintptr_t)p), 3, 'h', "child heap");
		fill_pages((char *)page_up((uintptr_t)p), 3, 'c');
		CHECK(sbrk(-4 * (intptr_t)PG) == old + 4 * PG);
		_exit(0);
	}
	wait_ok(pid);
	check_pages((char *)page_up((uintptr_t)p), 3, 'h', "parent heap after child shrank");
	CHECK((char *)sbrk(0) == old + 4 * PG);
}

/* -------------------------------------------------------------- the table */

static const struct test_case cases[] = {
	TEST_CASE(cow_parent_write_after_fork_invisible_to_child),
	TEST_CASE(cow_child_write_invisible_to_parent),
	TEST_CASE(cow_concurrent_writes_stay_private),
	TEST_CASE(cow_untouched_page_child_write_invisible_to_parent),
	TEST_CASE(cow_isolated_across_grandchildren),
	TEST_CASE(cow_child_writes_count_cow_copies),
	TEST_CASE(fork_shares_pages_until_write),
	TEST_CASE(only_the_written_page_is_copied),
	TEST_CASE(parent_write_after_fork_copies_one_page),
	TEST_CASE(shadow_chain_stays_short_after_100_forks),
	TEST_CASE(shadow_chain_stays_short_when_child_carries_on),
	TEST_CASE(munmap_middle_page_keeps_neighbours),
	TEST_CASE(munmap_of_untouched_pages_spares_the_resident_page_after_them),
	TEST_CASE(munmap_of_a_range_with_an_untouched_page_keeps_the_rest),
	TEST_CASE(collapse_of_shadow_at_nonzero_offset_keeps_every_page),
	TEST_CASE(write_after_read_of_shared_page_stays_private_after_fork),
	TEST_CASE(parent_write_right_after_fork_not_seen_by_child),
	TEST_CASE(mmap_anonymous_memory_starts_zeroed),
	TEST_CASE(mprotect_readonly_page_segfaults_on_write),
	TEST_CASE(mprotect_none_segfaults_on_read),
	TEST_CASE(mprotect_readonly_is_per_process_after_fork),
	TEST_CASE(mprotect_unaligned_address_einval),
	TEST_CASE(null_page_read_segfaults),
	TEST_CASE(null_page_write_segfaults),
	TEST_CASE(kernel_address_read_segfaults),
	TEST_CASE(kernel_address_write_segfaults),
	TEST_CASE(text_write_segfaults),
	TEST_CASE(exec_from_non_exec_mapping_segfaults),
	TEST_CASE(stack_1mib_of_locals_works),
	TEST_CASE(stack_grows_to_7mib),
	TEST_CASE(stack_beyond_8mib_limit_segfaults),
	TEST_CASE(stack_grown_in_child_then_in_parent),
	TEST_CASE(sparse_1gib_mapping_costs_only_touched_pages),
	TEST_CASE(out_of_memory_kills_with_sigkill_and_frees_everything),
	TEST_CASE(munmap_returns_touched_pages),
	TEST_CASE(copyout_that_waits_for_memory_then_fails_returns_efault),
	TEST_CASE(shared_anon_child_write_visible_to_parent),
	TEST_CASE(shared_anon_parent_write_visible_to_child),
	TEST_CASE(shared_anon_reaches_grandchild_after_parent_unmaps),
	TEST_CASE(map_fixed_replaces_existing_mapping),
	TEST_CASE(map_fixed_unaligned_address_einval),
	TEST_CASE(mmap_zero_length_einval),
	TEST_CASE(mmap_shared_and_private_einval),
	TEST_CASE(mmap_neither_shared_nor_private_einval),
	TEST_CASE(mmap_bad_fd_ebadf),
	TEST_CASE(mmap_unaligned_offset_einval),
	TEST_CASE(munmap_unaligned_address_einval),
	TEST_CASE(munmap_zero_length_einval),
	TEST_CASE(map_populate_faults_pages_in_at_mmap_time),
	TEST_CASE(mmap_and_brk_argument_edges),
	TEST_CASE(sbrk_grows_and_shrinks),
	TEST_CASE(sbrk_shrink_unmaps_pages),
	TEST_CASE(sbrk_regrown_pages_are_zero),
	TEST_CASE(brk_sets_the_break_exactly),
	TEST_CASE(brk_below_heap_start_fails),
	TEST_CASE(brk_survives_fork_copy_on_write),
};

int main(int argc, char **argv)
{
	return test_main("vm", cases, TEST_COUNT(cases), argc, argv);
}

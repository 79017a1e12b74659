/*
 * swap_test.c - the "swap" suites: memory larger than RAM, paged to a
 * swap disk and back, through every way the kernel shares memory.
 *
 * The suites boot with little memory (tests/suites.py: 32 MiB) and a swap
 * disk, so every case below pages out and in for real.  Each case writes
 * a pattern that names its page (and a generation, so a stale copy from
 * an earlier pass is caught), reads it all back, and ends with free pages,
 * swap slots, VM objects and shm objects back where they were (testlib's
 * leak check after each case; swap_used is one of the counters).
 *
 * Some cases need a particular boot: a disk smaller than the workload
 * (swap_full), a disk that fails chosen writes or reads (fault
 * injection), a replacement policy.  tests/suites.py names the cases
 * each boot runs.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vmos.h>

#include "testlib.h"

#define PAGE      4096ul
#define WORDS     8                     /* pattern words per page, 512 bytes apart */
#define MIN(a, b) ((a) < (b) ? (a) : (b))

static struct kcounters counters_now(void)
{
	struct kcounters k;
	test_kcounters(&k);
	return k;
}

/* Bytes of RAM the machine has. */
static size_t ram_bytes(void)
{
	return counters_now().total_pages * PAGE;
}

static uint64_t pattern(size_t page, int word, unsigned gen)
{
	return ((uint64_t)gen << 48) ^ ((uint64_t)page << 8) ^ (uint64_t)word ^ 0x5a5a000000000000ull;
}

/* Write generation gen's pattern into every page of [p, p + len). */
static void fill(char *p, size_t len, unsigned gen)
{
	for (size_t page = 0; page < len / PAGE; page++)
		for (int w = 0; w < WORDS; w++)
			*(uint64_t *)(p + page * PAGE + w * (PAGE / WORDS)) = pattern(page, w, gen);
}

/* Check generation gen's pattern in [p + off, p + off + len) of a region
 * filled from p; fail naming the first bad page. */
static void verify_part(const char *p, size_t off, size_t len, unsigned gen, const char *what)
{
	for (size_t page = off / PAGE; page < (off + len) / PAGE; page++) {
		for (int w = 0; w < WORDS; w++) {
			uint64_t got = *(const uint64_t *)(p + page * PAGE + w * (PAGE / WORDS));
			CHECKF(got == pattern(page, w, gen), "%s: page %zu word %d holds %#llx, want %#llx",
			       what, page, w, (unsigned long long)got,
			       (unsigned long long)pattern(page, w, gen));
		}
	}
}

/* Check generation gen's pattern everywhere in [p, p + len). */
static void verify(const char *p, size_t len, unsigned gen, const char *what)
{
	verify_part(p, 0, len, gen, what);
}

static char *map_shared_fd(int fd, size_t len)
{
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECKF(p != MAP_FAILED, "mmap of %zu bytes: errno %d", len, errno);
	return p;
}

/*
 * Cases that count swap slots lock their own process in memory (the test
 * runner and init are locked too), so that the only pages moving to swap
 * are those of the children that do the work: the counts then show what
 * the work left behind.
 */
static void lock_self(void)
{
	CHECKF(mlockall(MCL_CURRENT | MCL_FUTURE) == 0, "mlockall: errno %d", errno);
}

/* Run fn(arg) in a child (not locked: its memory pages) and wait for it. */
static void in_child(void (*fn)(void *), void *arg)
{
	char buf[64];
	int status = run_in_child(fn, arg);
	CHECKF(WIFEXITED(status) && WEXITSTATUS(status) == 0, "worker: %s",
	       test_status_str(status, buf, sizeof(buf)));
}

static int shm_of(size_t len)
{
	int fd = shm_open(SHM_ANON, O_RDWR, 0600);
	CHECK(fd >= 0);
	CHECKF(ftruncate(fd, (off_t)len) == 0, "ftruncate %zu: errno %d", len, errno);
	return fd;
}

/* ------------------------------------------------------------------ cases */

/* An object twice the size of RAM, written and verified, twice. */
static void object_twice_ram_written_and_verified_twice(void)
{
	size_t len = 2 * ram_bytes();
	struct kcounters before = counters_now();
	int fd = shm_of(len);
	char *p = map_shared_fd(fd, len);
	for (unsigned gen = 1; gen <= 2; gen++) {
		fill(p, len, gen);
		verify(p, len, gen, "shm twice RAM");
	}
	struct kcounters after = counters_now();
	CHECKF(after.pageouts - before.pageouts >= len / PAGE / 2, "only %llu page-outs",
	       (unsigned long long)(after.pageouts - before.pageouts));
	CHECK(after.pageins > before.pageins);
	CHECK(munmap(p, len) == 0);
	close(fd);
}

/* Two processes share a swapped object through fork; each sees the other's writes. */
static void shared_object_pages_across_fork(void)
{
	size_t len = 3 * ram_bytes() / 2;
	int fd = shm_of(len);
	char *p = map_shared_fd(fd, len);
	close(fd);
	fill(p, len, 1);
	int go[2], done[2];
	CHECK(pipe(go) == 0 && pipe(done) == 0);
	pid_t pid = test_fork();
	if (pid == 0) {
		char c;
		verify(p, len, 1, "child reads the parent's writes");
		fill(p, len, 2);
		CHECK(write(done[1], "x", 1) == 1);
		test_read_full(go[0], &c, 1);
		verify(p, len, 3, "child reads the parent's second writes");
		_exit(0);
	}
	char c;
	test_read_full(done[0], &c, 1);
	verify(p, len, 2, "parent reads the child's writes");
	fill(p, len, 3);
	CHECK(write(go[1], "x", 1) == 1);
	int status = test_wait(pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK(munmap(p, len) == 0);
}

/* Private memory larger than RAM survives fork: copy-on-write over swap. */
static void private_memory_larger_than_ram_survives_fork(void)
{
	size_t len = 3 * ram_bytes() / 2;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED);
	fill(p, len, 1);
	pid_t pid = test_fork();
	if (pid == 0) {
		verify(p, len, 1, "child sees the parent's memory");
		fill(p, len, 2);                /* every page copied on write */
		verify(p, len, 2, "child's own copy");
		_exit(0);
	}
	int status = test_wait(pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	verify(p, len, 1, "the child's writes stay the child's");
	CHECK(munmap(p, len) == 0);
}

/* kvmmap's view of a mapping larger than RAM: the object is "swap" (it
 * has pages on swap), and every page is resident or on swap (a page being
 * written out may be both for a moment). */
static void check_swapped_entry(int pid, const char *p, size_t len)
{
	static struct kvmmap_entry e[64];
	static struct kvmmap_object o[64];
	struct kvmmap req = { .entries = e, .objects = o, .max_entries = 64, .max_objects = 64 };
	int n = kvmmap(pid, &req), found = 0;

	CHECKF(n > 0, "kvmmap(%d): errno %d", pid, errno);
	for (int i = 0; i < n; i++) {
		if (e[i].start != (uintptr_t)p)
			continue;
		const struct kvmmap_object *obj = &o[e[i].object];
		CHECKF(e[i].chain == 1 && obj->size == len / PAGE && obj->swapped > 0 &&
		       obj->resident + obj->swapped >= obj->size && obj->type == KVMMAP_OBJ_SWAP,
		       "chain %d, type %u: %llu pages, %llu resident, %llu on swap", e[i].chain,
		       obj->type, (unsigned long long)obj->size, (unsigned long long)obj->resident,
		       (unsigned long long)obj->swapped);
		found = 1;
	}
	CHECKF(found, "no entry at %p", (const void *)p);
}

/* The child fills a private mapping larger than RAM and reports what
 * kvmmap says of it; so does the parent, reading the child's map. */
static void kvmmap_counts_the_pages_on_swap(void)
{
	size_t len = 3 * ram_bytes() / 2 / PAGE * PAGE;     /* whole pages: fill writes them all */
	int go[2], ready[2];
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char c;

	CHECK(p != MAP_FAILED && pipe(go) == 0 && pipe(ready) == 0);
	lock_self();
	pid_t pid = test_fork();
	if (pid == 0) {
		close(ready[0]);
		close(go[1]);
		fill(p, len, 1);
		check_swapped_entry(0, p, len);
		CHECK(write(ready[1], "r", 1) == 1 && read(go[0], &c, 1) == 1);
		_exit(0);
	}
	close(ready[1]);                /* so that a child that failed is an EOF */
	close(go[0]);
	CHECK(read(ready[0], &c, 1) == 1);
	check_swapped_entry(pid, p, len);
	CHECK(write(go[1], "g", 1) == 1);
	int status = test_wait(pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK(munmap(p, len) == 0);
	close(ready[0]);
	close(go[1]);
}

/*
 * The parent rewrites half of its memory while a child still shares the
 * old pages, many of them on swap; when the child exits, the parent's
 * shadow object collapses into the old one.  The old copies of the pages
 * the parent rewrote -- in memory or on swap -- must be dropped, and the
 * rest must move into the shadow: the parent then reads its own writes in
 * one half and the original data in the other, and every slot comes back.
 */
static void collapse_after_fork_keeps_the_newer_pages(void)
{
	size_t len = 3 * ram_bytes() / 2 / PAGE * PAGE, half = len / 2 / PAGE * PAGE;
	int go[2];
	CHECK(pipe(go) == 0);
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED);
	fill(p, len, 1);
	pid_t pid = test_fork();
	if (pid == 0) {
		char c;
		test_read_full(go[0], &c, 1);
		_exit(0);
	}
	fill(p, half, 2);                       /* copies on write into a shadow */
	CHECK(write(go[1], "x", 1) == 1);
	int status = test_wait(pid);            /* the child's exit collapses the chain */
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	verify(p, half, 2, "the half the parent rewrote");
	verify_part(p, half, len - half, 1, "the half it did not");
	CHECK(munmap(p, len) == 0);
	close(go[0]);
	close(go[1]);
}

struct shm_job {
	int fd;
	size_t len;
	unsigned gen;
};

static void fill_object(void *arg)
{
	struct shm_job *j = arg;
	char *p = map_shared_fd(j->fd, j->len);
	fill(p, j->len, j->gen);
	_exit(0);
}

/*
 * Shrinking gives back the swap of the pages cut off; growing again reads
 * zeros -- also in the cut page, whose copy on swap holds the old tail.
 * (The last pages written are in memory and the first on swap, so keep
 * only the first quarter to cut off pages that are on swap.)
 */
static void ftruncate_shrinks_and_regrows_over_swapped_pages(void)
{
	size_t len = 3 * ram_bytes() / 2, keep = len / 4 + 100;
	lock_self();
	struct shm_job j = { shm_of(len), len, 1 };
	in_child(fill_object, &j);
	struct kcounters full = counters_now();
	CHECK(full.swap_used > 0);
	CHECK(ftruncate(j.fd, (off_t)keep) == 0);
	struct kcounters shrunk = counters_now();
	CHECKF(shrunk.swap_used < full.swap_used, "swap_used %llu -> %llu after shrinking",
	       (unsigned long long)full.swap_used, (unsigned long long)shrunk.swap_used);
	CHECK(ftruncate(j.fd, (off_t)len) == 0);
	char *p = map_shared_fd(j.fd, len);
	verify(p, keep - 100, 1, "the quarter kept");
	for (size_t off = keep; off < keep + PAGE * 64; off += 8)
		CHECKF(*(uint64_t *)(p + off) == 0, "regrown word at %zu not zero", off);
	CHECK(munmap(p, len) == 0);
	close(j.fd);
}

static long long blocks_of(int fd)
{
	struct stat st;
	CHECK(fstat(fd, &st) == 0);
	return (long long)st.st_blocks;
}

/*
 * fstat's st_blocks counts every page the object holds once, wherever it
 * is.  A page read back from swap keeps its slot until it is written, so
 * after a full read-back most pages are in memory and on swap at once.
 */
static void st_blocks_counts_each_page_once_in_memory_or_on_swap(void)
{
	size_t len = 3 * ram_bytes() / 2 / PAGE * PAGE;     /* whole pages: all written */
	struct shm_job j = { shm_of(len), len, 3 };
	CHECKF(blocks_of(j.fd) == 0, "untouched object has %lld blocks", blocks_of(j.fd));
	in_child(fill_object, &j);
	CHECKF(blocks_of(j.fd) == (long long)(len / 512), "after filling: %lld blocks, want %zu",
	       blocks_of(j.fd), len / 512);
	char *p = map_shared_fd(j.fd, len);
	verify(p, len, 3, "read back");
	CHECKF(blocks_of(j.fd) == (long long)(len / 512), "after reading back: %lld blocks, want %zu",
	       blocks_of(j.fd), len / 512);
	CHECK(munmap(p, len) == 0);
	/* Cut in the middle of a page: the page cut into stays, whole. */
	size_t half = len / 2 + PAGE / 2, kept = (half + PAGE - 1) / PAGE * PAGE;
	CHECK(ftruncate(j.fd, (off_t)half) == 0);
	CHECKF(blocks_of(j.fd) == (long long)(kept / 512), "after shrinking: %lld blocks, want %zu",
	       blocks_of(j.fd), kept / 512);
	close(j.fd);
}

#define NAMED "/swap_test.named"

/* A named object keeps its data on swap with no mapping and no descriptor. */
static void named_object_keeps_its_data_with_nothing_open(void)
{
	size_t len = 3 * ram_bytes() / 2;
	shm_unlink(NAMED);
	int fd = shm_open(NAMED, O_RDWR | O_CREAT | O_EXCL, 0600);
	CHECK(fd >= 0 && ftruncate(fd, (off_t)len) == 0);
	char *p = map_shared_fd(fd, len);
	fill(p, len, 7);
	CHECK(munmap(p, len) == 0);
	close(fd);
	/* Only the name holds it now; make everything else go through RAM. */
	char *other = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(other != MAP_FAILED);
	fill(other, len, 8);
	CHECK(munmap(other, len) == 0);
	fd = shm_open(NAMED, O_RDWR, 0);
	CHECK(fd >= 0);
	p = map_shared_fd(fd, len);
	verify(p, len, 7, "named object after a round of other memory");
	CHECK(munmap(p, len) == 0);
	close(fd);
	CHECK(shm_unlink(NAMED) == 0);
}

/* A swapped object passed over a UNIX socket is read by the receiver. */
static void swapped_object_passed_over_a_socket(void)
{
	size_t len = 3 * ram_bytes() / 2;
	int sv[2];
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	pid_t pid = test_fork();
	if (pid == 0) {
		union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof(int))]; } c;
		char b;
		struct iovec iov = { &b, 1 };
		struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = c.buf,
				      .msg_controllen = sizeof(c.buf) };
		CHECK(recvmsg(sv[1], &msg, 0) == 1);
		int fd;
		memcpy(&fd, CMSG_DATA(CMSG_FIRSTHDR(&msg)), sizeof(int));
		char *p = map_shared_fd(fd, len);
		verify(p, len, 5, "receiver");
		fill(p, len, 6);
		_exit(0);
	}
	int fd = shm_of(len);
	char *p = map_shared_fd(fd, len);
	fill(p, len, 5);
	CHECK(munmap(p, len) == 0);             /* it is on swap and in nobody's map */
	union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof(int))]; } c;
	memset(&c, 0, sizeof(c));
	char b = 'f';
	struct iovec iov = { &b, 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = c.buf,
			      .msg_controllen = sizeof(c.buf) };
	struct cmsghdr *h = CMSG_FIRSTHDR(&msg);
	h->cmsg_level = SOL_SOCKET;
	h->cmsg_type = SCM_RIGHTS;
	h->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(h), &fd, sizeof(int));
	ssize_t sent = sendmsg(sv[0], &msg, 0);
	if (sent != 1) {                        /* the receiver would wait for ever */
		int err = errno;
		kill(pid, SIGKILL);
		test_wait(pid);
		errno = err;
	}
	CHECK(sent == 1);
	int status = test_wait(pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	p = map_shared_fd(fd, len);
	verify(p, len, 6, "the receiver's writes");
	CHECK(munmap(p, len) == 0);
	close(fd);
	close(sv[0]);
	close(sv[1]);
}

static void make_and_drop(void *arg)
{
	size_t len = *(size_t *)arg;
	int fd = shm_of(len);
	struct shm_job j = { fd, len, 3 };
	char *p = map_shared_fd(fd, len);
	fill(p, len, j.gen);
	verify(p, PAGE * 16, j.gen, "first pages");
	_exit(0);                               /* the object dies with us */
}

/* Objects larger than RAM made and dropped ten times: swap comes back each time. */
static void big_objects_dropped_ten_times_give_back_their_swap(void)
{
	size_t len = 3 * ram_bytes() / 2;
	lock_self();
	/* A first round lets the pages nobody can see any more go to swap: the
	 * originals, in the objects this process shares with the runner, of
	 * pages both have copied on write (they go when this process exits and
	 * its chain collapses).  From then on nothing may accumulate. */
	in_child(make_and_drop, &len);
	uint64_t used0 = counters_now().swap_used;
	for (int round = 0; round < 10; round++) {
		in_child(make_and_drop, &len);
		uint64_t used = counters_now().swap_used;
		CHECKF(used == used0, "round %d: swap_used %llu, was %llu", round,
		       (unsigned long long)used, (unsigned long long)used0);
	}
}

/* exec and exit of a process whose pages are on swap. */
static void exec_and_exit_with_pages_on_swap(void)
{
	size_t len = 3 * ram_bytes() / 2;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED);
	fill(p, len, 9);
	char *argv[] = { "true", NULL };
	for (int i = 0; i < 3; i++)
		CHECK(test_exec_errno("/bin/true", argv, NULL) == 0);
	pid_t pid = test_fork();
	if (pid == 0)
		_exit(0);                       /* a child with every page shared, on swap */
	test_wait(pid);
	verify(p, len, 9, "after exec and exit");
	CHECK(munmap(p, len) == 0);
}

static void touch_private(void *arg);

/* Resident pages of this process (what ps shows). */
static uint64_t my_rss(void)
{
	struct kproc procs[64];
	int n = kprocs(procs, 64);
	for (int i = 0; i < n; i++)
		if (procs[i].pid == getpid())
			return procs[i].rss;
	FAIL("not in the process list");
}

static void lock_as_user(void *arg)
{
	(void)arg;
	CHECK(setuid(1000) == 0);
	CHECK_ERR(mlockall(MCL_CURRENT), EPERM);
	_exit(0);
}

/*
 * mlockall keeps what a process maps in memory while others page (and
 * munlockall lets it go); only root may; flags are checked.
 */
static void mlockall_keeps_a_process_in_memory(void)
{
	size_t mine = ram_bytes() / 8, pressure = 3 * ram_bytes() / 2;
	CHECK_ERR(mlockall(0), EINVAL);
	CHECK_ERR(mlockall(8), EINVAL);
	CHECK(mlockall(MCL_FUTURE) == 0 && munlockall() == 0);     /* nothing to bring in */
	in_child(lock_as_user, NULL);
	lock_self();
	char *p = mmap(NULL, mine, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED);
	fill(p, mine, 1);
	uint64_t rss = my_rss();
	in_child(touch_private, &pressure);
	CHECKF(my_rss() == rss, "locked: rss %llu -> %llu", (unsigned long long)rss,
	       (unsigned long long)my_rss());
	CHECK(munlockall() == 0);
	in_child(touch_private, &pressure);
	uint64_t out = my_rss();
	CHECKF(out < rss, "unlocked: rss %llu -> %llu", (unsigned long long)rss,
	       (unsigned long long)out);
	/* Locking again brings back what went to swap, before anything touches it. */
	struct kcounters k0 = counters_now();
	CHECK(mlockall(MCL_CURRENT) == 0);
	struct kcounters k1 = counters_now();
	CHECKF(my_rss() >= rss, "relocked: rss %llu, was %llu before paging, %llu after",
	       (unsigned long long)my_rss(), (unsigned long long)rss, (unsigned long long)out);
	CHECKF(k1.pageins - k0.pageins >= (rss - out) / 2, "relocking paged in only %llu pages",
	       (unsigned long long)(k1.pageins - k0.pageins));
	verify(p, mine, 1, "the pages that were locked");
	CHECK(munmap(p, mine) == 0);
}

static void touch_second_page(void *arg)
{
	((volatile char *)arg)[PAGE] = 1;
}

/* mlockall over a mapping that reaches past its object's end (the object
 * was truncated under it) locks what exists and leaves the rest to SIGBUS. */
static void mlockall_over_a_mapping_past_its_objects_end(void)
{
	int fd = shm_of(2 * PAGE);
	char *p = map_shared_fd(fd, 2 * PAGE);
	p[0] = 'a';
	p[PAGE] = 'b';
	CHECK(ftruncate(fd, PAGE) == 0);
	CHECK(mlockall(MCL_CURRENT) == 0);
	CHECK(p[0] == 'a');
	expect_signal(touch_second_page, p, SIGBUS);
	CHECK(munlockall() == 0);
	CHECK(munmap(p, 2 * PAGE) == 0);
	close(fd);
}

/* --------------------------------------------- boots of their own (suites.py) */

static void touch_private(void *arg)
{
	size_t len = *(size_t *)arg;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		       -1, 0);
	CHECK(p != MAP_FAILED);
	fill(p, len, 4);
	verify(p, len, 4, "private memory");
	_exit(0);
}

/*
 * (swap_full: a disk smaller than the work.)  More memory than RAM and swap
 * together: the process that faults is killed with SIGKILL ("out of swap"
 * on the console, suites.py checks), the kernel goes on, and everything
 * comes back (the runner's leak check).
 */
static void swap_full_kills_the_process_that_faults(void)
{
	struct kcounters k = counters_now();
	size_t len = (k.total_pages + k.swap_total) * PAGE * 3 / 2;
	char buf[64];
	int status = run_in_child(touch_private, &len);
	CHECKF(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "the hog: %s",
	       test_status_str(status, buf, sizeof(buf)));
}

/* (swap_full.)  ... and then work that fits still pages and verifies. */
static void work_that_fits_runs_after_swap_was_full(void)
{
	struct kcounters k = counters_now();
	size_t len = k.total_pages * PAGE + k.swap_total * PAGE / 2;
	in_child(touch_private, &len);
}

/*
 * (swap_writeerr: the disk fails the first write to slot 0.)  The cluster
 * whose write failed stays in memory, dirty, and is written elsewhere
 * later: every page reads back right, and its slots are retired.
 */
static void failed_pageout_keeps_the_pages_and_retires_the_slots(void)
{
	size_t len = 3 * ram_bytes() / 2;
	in_child(touch_private, &len);
	struct kcounters k = counters_now();
	CHECKF(k.swap_io_errors >= 1 && k.swap_bad >= 1, "io errors %llu, bad slots %llu",
	       (unsigned long long)k.swap_io_errors, (unsigned long long)k.swap_bad);
}

static int objerr_pipe = -1;

/* The victim's SIGBUS handler: report si_code and si_addr, then let the
 * fault come again uncaught, so that the victim dies of it all the same. */
static void report_objerr(int sig, siginfo_t *si, void *uc)
{
	struct sigaction dfl;
	(void)uc;
	(void)write(objerr_pipe, si, sizeof(*si));
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigaction(sig, &dfl, NULL);
}

/*
 * (swap_readerr: every read of slot 40 fails.)  The process whose page is
 * there gets SIGBUS with BUS_OBJERR and the address, and dies of it (the
 * console names the sector); a process beside it finishes its own work,
 * and the slot is retired when the page's object dies, so the cases after
 * this one never meet it.
 */
static void failed_pagein_kills_only_the_process_that_needed_the_page(void)
{
	size_t big = 3 * ram_bytes() / 2, small = ram_bytes() / 4;
	int written[2], info[2];
	lock_self();            /* slot 40 must not get a page of this process */
	CHECK(pipe(written) == 0 && pipe(info) == 0);
	/* The victim goes first and alone, so that slot 40 holds one of its pages. */
	pid_t victim = test_fork();
	if (victim == 0) {
		char *p = mmap(NULL, big, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		CHECK(p != MAP_FAILED);
		CHECK(write(info[1], &p, sizeof(p)) == sizeof(p));      /* for si_addr */
		struct sigaction sa;
		memset(&sa, 0, sizeof(sa));
		sa.sa_sigaction = report_objerr;
		sa.sa_flags = SA_SIGINFO;
		objerr_pipe = info[1];
		CHECK(sigaction(SIGBUS, &sa, NULL) == 0);
		fill(p, big, 4);
		CHECK(write(written[1], "w", 1) == 1);
		verify(p, big, 4, "the victim's memory");
		_exit(0);                       /* it must not get here */
	}
	char c;
	test_read_full(written[0], &c, 1);
	pid_t bystander = test_fork();
	if (bystander == 0) {
		char *p = mmap(NULL, small, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		CHECK(p != MAP_FAILED);
		for (int round = 0; round < 20; round++) {
			fill(p, small, (unsigned)round);
			verify(p, small, (unsigned)round, "bystander");
		}
		_exit(0);
	}
	char buf[64];
	int status = test_wait(victim);
	CHECKF(WIFSIGNALED(status) && WTERMSIG(status) == SIGBUS, "the victim: %s",
	       test_status_str(status, buf, sizeof(buf)));
	siginfo_t si;
	char *vp;
	test_read_full(info[0], &vp, sizeof(vp));
	test_read_full(info[0], &si, sizeof(si));
	CHECKF(si.si_signo == SIGBUS && si.si_code == BUS_OBJERR, "si_code %d", si.si_code);
	CHECKF((char *)si.si_addr >= vp && (char *)si.si_addr < vp + big, "si_addr %p", si.si_addr);
	status = test_wait(bystander);
	CHECKF(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the bystander: %s",
	       test_status_str(status, buf, sizeof(buf)));
	struct kcounters k = counters_now();
	CHECK(k.swap_io_errors >= 1 && k.swap_bad >= 1);
	close(written[0]);
	close(written[1]);
	close(info[0]);
	close(info[1]);
}

/*
 * The same work under each replacement policy (swap: clock, swap_fifo,
 * swap_random): a hot quarter of RAM used again and again while a cold
 * sweep of RAM's size goes by.  It prints the page-outs and page-ins, for
 * a course to compare (a policy that spares the hot pages pages less).
 */
static void policy_workload_reports_its_paging(void)
{
	size_t hot = ram_bytes() / 4, cold = ram_bytes();
	char *h = mmap(NULL, hot, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *c = mmap(NULL, cold, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(h != MAP_FAILED && c != MAP_FAILED);
	fill(h, hot, 1);
	fill(c, cold, 1);
	struct kcounters k0 = counters_now();
	for (int round = 0; round < 4; round++) {
		for (size_t off = 0; off < cold; off += hot / 2) {
			verify(h, hot, 1, "the hot pages");
			verify_part(c, off, MIN(hot / 2, cold - off), 1, "the cold sweep");
		}
	}
	struct kcounters k1 = counters_now();
	dprintf(2, "policy workload: pageouts=%llu pageins=%llu reactivated=%llu scanned=%llu\n",
		(unsigned long long)(k1.pageouts - k0.pageouts),
		(unsigned long long)(k1.pageins - k0.pageins),
		(unsigned long long)(k1.pages_reactivated - k0.pages_reactivated),
		(unsigned long long)(k1.pageout_scans - k0.pageout_scans));
	CHECK(k1.pageouts > k0.pageouts);
	CHECK(munmap(h, hot) == 0 && munmap(c, cold) == 0);
}

/*
 * The daemon writes a dirty page together with its dirty neighbours, in
 * one request (vm_pageout.c:cluster_gather): an object written from start
 * to end goes to swap in clusters of many pages, not page by page.  On one
 * CPU the daemon runs while the writer waits for memory, and finds long
 * runs of written pages on the inactive queue: 4 pages a request at the
 * least.  With several CPUs it runs beside the writer, taking pages as
 * they become inactive, before their neighbours do: fewer a request (3.6
 * was seen with two), but still clusters, never one page at a time.
 */
static void pageout_writes_neighbours_in_clusters(void)
{
	size_t len = 2 * ram_bytes();
	uint64_t want = counters_now().cpus > 1 ? 2 : 4;
	struct kcounters k0 = counters_now();
	int fd = shm_of(len);
	char *p = map_shared_fd(fd, len);
	fill(p, len, 7);
	struct kcounters k1 = counters_now();
	uint64_t pages = k1.pageouts - k0.pageouts;
	uint64_t writes = k1.pageout_clusters - k0.pageout_clusters;
	CHECKF(writes > 0 && pages >= want * writes,
	       "%llu pages written in %llu requests: fewer than %llu pages a request",
	       (unsigned long long)pages, (unsigned long long)writes, (unsigned long long)want);
	CHECK(munmap(p, len) == 0);
	close(fd);
}

/*
 * Under the clock policy (the default) a page used since the daemon last
 * looked at it gets a second chance (vm_pageout.c:page_referenced): while
 * a hot set is used again and again and a cold sweep goes by, the daemon
 * finds used pages and keeps them active (pages_reactivated, counted in
 * the refill and in the scan) instead of paging them out.
 */
static void clock_gives_used_pages_a_second_chance(void)
{
	size_t hot = ram_bytes() / 4, cold = ram_bytes();
	char *h = mmap(NULL, hot, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *c = mmap(NULL, cold, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(h != MAP_FAILED && c != MAP_FAILED);
	fill(h, hot, 2);
	fill(c, cold, 2);
	struct kcounters k0 = counters_now();
	for (int round = 0; round < 2; round++) {
		for (size_t off = 0; off < cold; off += hot / 2) {
			verify(h, hot, 2, "the hot pages");
			verify_part(c, off, MIN(hot / 2, cold - off), 2, "the cold sweep");
		}
	}
	struct kcounters k1 = counters_now();
	CHECKF(k1.pages_reactivated > k0.pages_reactivated,
	       "no page reactivated among %llu the daemon looked at",
	       (unsigned long long)(k1.pageout_scans - k0.pageout_scans));
	CHECK(munmap(h, hot) == 0 && munmap(c, cold) == 0);
}

/* ------------------------------------------------------------------ main */

/*
 * A file in /tmp (tmpfs) one and a half times the size of RAM, written and
 * read back with write(2) and read(2): its object pages to swap like any
 * other, and a read of a page on swap brings it back (vm_object_io.c).
 * Unlinking it gives every slot back (the runner's leak check).
 */
static void tmpfs_file_larger_than_ram_written_and_read_back(void)
{
	static uint64_t buf[PAGE / 8];
	const char *path = "/tmp/swap_test.big";
	size_t pages = ram_bytes() * 3 / 2 / PAGE;
	struct kcounters before = counters_now();
	unlink(path);
	int fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0600);
	CHECKF(fd >= 0, "open %s: errno %d", path, errno);
	for (size_t page = 0; page < pages; page++) {
		for (int w = 0; w < WORDS; w++)
			buf[w * (PAGE / WORDS) / 8] = pattern(page, w, 7);
		CHECKF(write(fd, buf, PAGE) == (ssize_t)PAGE, "write of page %zu: errno %d", page, errno);
	}
	CHECK(lseek(fd, 0, SEEK_SET) == 0);
	for (size_t page = 0; page < pages; page++) {
		CHECKF(read(fd, buf, PAGE) == (ssize_t)PAGE, "read of page %zu: errno %d", page, errno);
		for (int w = 0; w < WORDS; w++)
			CHECKF(buf[w * (PAGE / WORDS) / 8] == pattern(page, w, 7),
			       "page %zu word %d read back wrong", page, w);
	}
	struct kcounters after = counters_now();
	CHECKF(after.pageouts - before.pageouts >= pages / 3, "only %llu page-outs for %zu pages",
	       (unsigned long long)(after.pageouts - before.pageouts), pages);
	CHECK(after.pageins > before.pageins);
	CHECK(unlink(path) == 0);
	close(fd);
}

/* The cases every swap boot runs, unless told otherwise. */
static const struct test_case cases[] = {
	TEST_CASE(object_twice_ram_written_and_verified_twice),
	TEST_CASE(shared_object_pages_across_fork),
	TEST_CASE(private_memory_larger_than_ram_survives_fork),
	TEST_CASE(ftruncate_shrinks_and_regrows_over_swapped_pages),
	TEST_CASE(named_object_keeps_its_data_with_nothing_open),
	TEST_CASE(swapped_object_passed_over_a_socket),
	TEST_CASE(big_objects_dropped_ten_times_give_back_their_swap),
	TEST_CASE(exec_and_exit_with_pages_on_swap),
	TEST_CASE(policy_workload_reports_its_paging),
	TEST_CASE(mlockall_keeps_a_process_in_memory),
	TEST_CASE(st_blocks_counts_each_page_once_in_memory_or_on_swap),
	TEST_CASE(mlockall_over_a_mapping_past_its_objects_end),
	TEST_CASE(collapse_after_fork_keeps_the_newer_pages),
	TEST_CASE(kvmmap_counts_the_pages_on_swap),
	TEST_CASE(tmpfs_file_larger_than_ram_written_and_read_back),
	TEST_CASE(pageout_writes_neighbours_in_clusters),
	TEST_CASE(clock_gives_used_pages_a_second_chance),
	/* From here on only when named: each needs a boot of its own (tests/suites.py).
	 * Cases run in this order, whatever the order named. */
	TEST_CASE(failed_pageout_keeps_the_pages_and_retires_the_slots),
	TEST_CASE(failed_pagein_kills_only_the_process_that_needed_the_page),
	TEST_CASE(swap_full_kills_the_process_that_faults),
	TEST_CASE(work_that_fits_runs_after_swap_was_full),
};
#define DEFAULT_CASES 17        /* the ones before "only when named" */

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? TEST_COUNT(cases) : DEFAULT_CASES;
	return test_main("swap", cases, n, argc, argv);
}

/*
 * shm_test.c - the "shm" suite: POSIX shared memory (kernel/ipc/uipc_shm.c).
 *
 * One or more cases per point of the semantics (docs/08-shm.md): the open flags
 * and the order of the checks, the flat name space and its FNV-1 hash
 * (with a real collision pair), creation and permissions, SHM_ANON,
 * shm_unlink, ftruncate (lazy growth, shrinking, SIGBUS past the end,
 * zeros after regrowth), fstat, mmap (EACCES, SIGBUS, private snapshots,
 * fork), the refused operations, fchmod/fchown, shm_rename, shm_list, the
 * three lifetimes of an object (name, descriptors, mappings: checked
 * through the free_pages and shm_objects counters), an exclusive-create
 * race among 8 children, 2000 names, and runs of /bin/shmdemo and
 * /bin/shmctl.  FreeBSD's posixshm_test.c and LTP's shm_open/shm_unlink
 * conformance tests served as catalogues of cases; everything here is
 * written for the semantics above.
 *
 * The runner checks every case for leaks, so each case unlinks every
 * name it makes.  Cases that need an unprivileged process fork a child
 * that calls setgid/setuid (the suite runs as uid 0).
 *
 * Tested elsewhere: poll on an shm descriptor (POLLNVAL, in unix_test),
 * shm descriptors passed over UNIX sockets (passfd_test), and shm pages
 * on the swap disk, with st_blocks counting them (swap_test).
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <vmos.h>

#include "testlib.h"

#define PG              4096ul
#define KERNEL_ADDR     0xffffffff80100000ul
#define PATH_LIMIT      1024            /* a path of this many bytes is ENAMETOOLONG */
#define HELPER_FLAG     "--shm-helper-fd-closed"
#define USER_UID        1000
#define USER_GID        1000

/* ------------------------------------------------------------ helpers */

static int xopen(const char *path, int flags, mode_t mode)
{
	int fd = shm_open(path, flags, mode);

	CHECKF(fd >= 0, "shm_open(%s, %#x, %#o): errno %s", path == SHM_ANON ? "SHM_ANON" : path,
	       flags, mode, test_errno_name(errno));
	return fd;
}

/* A fresh object at path (any old one unlinked first), O_RDWR, sized len. */
static int xcreate(const char *path, size_t len, mode_t mode)
{
	shm_unlink(path);
	int fd = xopen(path, O_RDWR | O_CREAT | O_EXCL, mode);

	CHECK(ftruncate(fd, (off_t)len) == 0);
	return fd;
}

static char *xmap(int fd, size_t len, int prot, int flags)
{
	void *p = mmap(NULL, len, prot, flags, fd, 0);

	CHECKF(p != MAP_FAILED, "mmap(fd %d, %zu): errno %s", fd, len, test_errno_name(errno));
	return p;
}

static char *xmap_shared(int fd, size_t len)
{
	return xmap(fd, len, PROT_READ | PROT_WRITE, MAP_SHARED);
}

static void xunlink(const char *path)
{
	CHECKF(shm_unlink(path) == 0, "shm_unlink(%s): %s", path, test_errno_name(errno));
}

static void xfstat(int fd, struct stat *st)
{
	CHECK(fstat(fd, st) == 0);
}

static void wait_ok(pid_t pid)
{
	char buf[64];
	int status = test_wait(pid);

	CHECKF(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child %d: %s",
	       (int)pid, test_status_str(status, buf, sizeof(buf)));
}

/* Run fn in a child that has become uid/gid 1000 (or the given ids). */
static void as_user(uid_t uid, gid_t gid, void (*fn)(void))
{
	pid_t pid = test_fork();

	if (pid == 0) {
		CHECK(setgid(gid) == 0);
		CHECK(setuid(uid) == 0);
		CHECK(geteuid() == uid && getegid() == gid);
		fn();
		_exit(0);
	}
	wait_ok(pid);
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

static uint64_t free_pages(void)
{
	struct kcounters c;

	test_kcounters(&c);
	return c.free_pages;
}

static uint64_t shm_count(void)
{
	struct kcounters c;

	test_kcounters(&c);
	return c.shm_objects;
}

static int64_t sdiff(uint64_t a, uint64_t b)
{
	return (int64_t)(a - b);
}

/* The hash the kernel uses: 32-bit FNV-1 from FreeBSD's 33554467. */
static uint32_t fnv1(const char *s)
{
	uint32_t h = 33554467u;

	for (; *s; s++) {
		h *= 16777619u;
		h ^= (unsigned char)*s;
	}
	return h;
}

static uint64_t ts_ns(struct timespec ts)
{
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t realtime_ns(void)
{
	struct timespec ts;

	CHECK(clock_gettime(CLOCK_REALTIME, &ts) == 0);
	return ts_ns(ts);
}

/* A path of exactly len bytes (without the NUL): '/' and then 'a's. */
static char *long_path(size_t len, char first)
{
	char *p = malloc(len + 1);

	CHECK(p != NULL);
	memset(p, 'a', len);
	p[0] = first;
	p[len] = '\0';
	return p;
}

/* Fill the descriptor table (dup until EMFILE). */
static void fill_fd_table(void)
{
	int fd = xopen(SHM_ANON, O_RDWR, 0600);

	for (;;) {
		if (dup(fd) < 0) {
			CHECKF(errno == EMFILE, "dup: %s", test_errno_name(errno));
			return;
		}
	}
}

/* Run argv (a program of ours) in a child; its exit status, or -1 when killed. */
static int run_prog(char *const argv[])
{
	pid_t pid = test_fork();

	if (pid == 0) {
		execv(argv[0], argv);
		_exit(127);
	}
	int status = test_wait(pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static ino_t ino_of(const char *path)
{
	struct stat st;
	int fd = xopen(path, O_RDONLY, 0);

	xfstat(fd, &st);
	close(fd);
	return st.st_ino;
}

/* ------------------------------------------------------------- flags */

static void shm_open_wronly_einval(void)
{
	CHECK_ERR(shm_open("/t.wronly", O_WRONLY | O_CREAT, 0600), EINVAL);
	CHECK_ERR(shm_open("/t.wronly", O_ACCMODE | O_CREAT, 0600), EINVAL);
	CHECK_ERR(shm_open("/t.wronly", O_RDONLY, 0), ENOENT);       /* nothing was made */
}

static void shm_open_unknown_flags_einval(void)
{
	static const int bad[] = { O_APPEND, O_NONBLOCK, O_DIRECTORY, O_NOFOLLOW, O_SYNC, 0x40000000 };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK_ERR(shm_open("/t.badflags", O_RDWR | O_CREAT | bad[i], 0600), EINVAL);
	CHECK_ERR(shm_open("/t.badflags", O_RDONLY, 0), ENOENT);
}

static void shm_open_all_allowed_flags_accepted(void)
{
	int fd = xopen("/t.allowed", O_RDWR | O_CREAT | O_EXCL | O_TRUNC | O_CLOEXEC, 0600);

	close(fd);
	xunlink("/t.allowed");
}

static void shm_open_descriptor_always_cloexec(void)
{
	int a = xcreate("/t.cloexec", 0, 0600);
	int b = xopen("/t.cloexec", O_RDONLY | O_CLOEXEC, 0);
	int c = xopen(SHM_ANON, O_RDWR, 0600);

	CHECK(fcntl(a, F_GETFD) == FD_CLOEXEC);
	CHECK(fcntl(b, F_GETFD) == FD_CLOEXEC);
	CHECK(fcntl(c, F_GETFD) == FD_CLOEXEC);
	xunlink("/t.cloexec");
}

static void shm_descriptor_closed_by_exec(void)
{
	int fd = xopen(SHM_ANON, O_RDWR, 0600);
	char num[16];

	snprintf(num, sizeof(num), "%d", fd);
	char *argv[] = { (char *)test_self_path(), HELPER_FLAG, num, NULL };
	CHECKF(run_prog(argv) == 0, "descriptor %d survived exec", fd);
}

static void shm_open_takes_lowest_free_slot(void)
{
	int a = xopen(SHM_ANON, O_RDWR, 0600);
	int b = xopen(SHM_ANON, O_RDWR, 0600);
	int c = xopen(SHM_ANON, O_RDWR, 0600);

	CHECK(a < b && b < c);
	close(a);
	CHECK(xopen(SHM_ANON, O_RDWR, 0600) == a);
	close(b);
	CHECK(xcreate("/t.lowest", 0, 0600) == b);
	xunlink("/t.lowest");
}

/* -------------------------------------------------- order of the checks */

static void shm_open_flags_checked_before_emfile(void)
{
	fill_fd_table();
	CHECK_ERR(shm_open("/t.emfile", O_WRONLY | O_CREAT, 0600), EINVAL);
	CHECK_ERR(shm_open("/t.emfile", O_RDWR | O_APPEND, 0600), EINVAL);
	CHECK_ERR(shm_open(SHM_ANON, O_RDONLY, 0600), EINVAL);
}

static void shm_open_emfile_before_path_checks(void)
{
	char *toolong = long_path(PATH_LIMIT, '/');

	fill_fd_table();
	CHECK_ERR(shm_open("/t.emfile", O_RDWR | O_CREAT, 0600), EMFILE);
	CHECK_ERR(shm_open(SHM_ANON, O_RDWR, 0600), EMFILE);
	CHECK_ERR(shm_open((const char *)16, O_RDWR, 0), EMFILE);
	CHECK_ERR(shm_open(toolong, O_RDWR, 0), EMFILE);
	CHECK_ERR(shm_open("noslash", O_RDWR, 0), EMFILE);
	CHECK_ERR(shm_open("/t.emfile", O_RDONLY, 0), EMFILE);       /* not ENOENT */
}

static void shm_open_bad_pointer_efault(void)
{
	CHECK_ERR(shm_open((const char *)16, O_RDWR | O_CREAT, 0600), EFAULT);
	CHECK_ERR(shm_open((const char *)KERNEL_ADDR, O_RDWR | O_CREAT, 0600), EFAULT);
	CHECK_ERR(shm_open((const char *)-1L, O_RDONLY, 0), EFAULT);
}

static void shm_open_path_running_into_unmapped_page_efault(void)
{
	char *p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CHECK(p != MAP_FAILED);
	CHECK(munmap(p + PG, PG) == 0);
	memset(p, 'x', PG);
	p[PG - 10] = '/';                       /* 10 bytes, no NUL, then a hole */
	CHECK_ERR(shm_open(p + PG - 10, O_RDWR | O_CREAT, 0600), EFAULT);
}

static void shm_open_1024_byte_path_enametoolong(void)
{
	char *ok = long_path(PATH_LIMIT - 1, '/');
	char *toolong = long_path(PATH_LIMIT, '/');
	char *huge = long_path(3 * PG, '/');

	CHECK_ERR(shm_open(toolong, O_RDWR | O_CREAT, 0600), ENAMETOOLONG);
	CHECK_ERR(shm_open(huge, O_RDWR | O_CREAT, 0600), ENAMETOOLONG);
	close(xopen(ok, O_RDWR | O_CREAT | O_EXCL, 0600));
	xunlink(ok);
}

static void shm_open_length_checked_before_slash(void)
{
	char *toolong = long_path(PATH_LIMIT, 'a');

	CHECK_ERR(shm_open(toolong, O_RDWR | O_CREAT, 0600), ENAMETOOLONG);
}

static void shm_open_path_without_slash_einval(void)
{
	CHECK_ERR(shm_open("noslash", O_RDWR | O_CREAT, 0600), EINVAL);
	CHECK_ERR(shm_open("", O_RDWR | O_CREAT, 0600), EINVAL);
	CHECK_ERR(shm_open("a/b", O_RDWR | O_CREAT, 0600), EINVAL);
	CHECK_ERR(shm_open("noslash", O_RDONLY, 0), EINVAL);         /* before the lookup */
}

static void shm_open_missing_without_creat_enoent(void)
{
	shm_unlink("/t.missing");
	CHECK_ERR(shm_open("/t.missing", O_RDONLY, 0), ENOENT);
	CHECK_ERR(shm_open("/t.missing", O_RDWR | O_TRUNC, 0), ENOENT);
	CHECK_ERR(shm_open("/t.missing", O_RDWR | O_EXCL, 0), ENOENT);
}

/* -------------------------------------------------------- the name space */

static void shm_name_space_is_flat(void)
{
	int fd = xcreate("/a/b/c", 0, 0600);

	CHECK_ERR(shm_open("/a", O_RDONLY, 0), ENOENT);
	CHECK_ERR(shm_open("/a/b", O_RDONLY, 0), ENOENT);
	close(fd);
	close(xopen("/a/b/c", O_RDONLY, 0));
	xunlink("/a/b/c");
}

static void shm_double_slash_is_a_different_object(void)
{
	struct stat a, b;
	int x = xcreate("/x", PG, 0600);
	int xx = xcreate("//x", 2 * PG, 0600);

	xfstat(x, &a);
	xfstat(xx, &b);
	CHECK(a.st_ino != b.st_ino);
	CHECK(a.st_size == (off_t)PG && b.st_size == (off_t)(2 * PG));
	xunlink("//x");
	close(xopen("/x", O_RDONLY, 0));
	CHECK_ERR(shm_open("//x", O_RDONLY, 0), ENOENT);
	xunlink("/x");
}

static void shm_root_slash_is_a_valid_name(void)
{
	int fd = xcreate("/", PG, 0600);
	struct stat st;

	xfstat(xopen("/", O_RDONLY, 0), &st);
	CHECK(st.st_size == (off_t)PG);
	close(fd);
	xunlink("/");
}

#define COLLIDE_A "/cdywcnqe"
#define COLLIDE_B "/dtflfocj"

static void shm_fnv_collision_pair_works_independently(void)
{
	CHECKF(fnv1(COLLIDE_A) == fnv1(COLLIDE_B), "%#x != %#x", fnv1(COLLIDE_A), fnv1(COLLIDE_B));
	int a = xcreate(COLLIDE_A, PG, 0600);
	int b = xcreate(COLLIDE_B, 3 * PG, 0640);
	char *pa = xmap_shared(a, PG), *pb = xmap_shared(b, PG);
	struct stat sa, sb;

	pa[0] = 'A';
	pb[0] = 'B';
	xfstat(xopen(COLLIDE_A, O_RDONLY, 0), &sa);
	xfstat(xopen(COLLIDE_B, O_RDONLY, 0), &sb);
	CHECK(sa.st_ino != sb.st_ino && sa.st_size == (off_t)PG && sb.st_size == (off_t)(3 * PG));
	CHECK((sa.st_mode & 0777) == 0600 && (sb.st_mode & 0777) == 0640);
	CHECK(pa[0] == 'A' && pb[0] == 'B');
	xunlink(COLLIDE_A);                     /* removing one leaves the other */
	CHECK_ERR(shm_open(COLLIDE_A, O_RDONLY, 0), ENOENT);
	CHECK(ino_of(COLLIDE_B) == sb.st_ino);
	xunlink(COLLIDE_B);
}

static void shm_fnv_collision_pair_unlink_order(void)
{
	CHECK(fnv1(COLLIDE_A) == fnv1(COLLIDE_B));
	int b = xcreate(COLLIDE_B, 0, 0600);
	int a = xcreate(COLLIDE_A, 0, 0600);
	struct stat sa, sb;

	xfstat(a, &sa);
	xfstat(b, &sb);
	xunlink(COLLIDE_B);
	CHECK_ERR(shm_unlink(COLLIDE_B), ENOENT);
	xfstat(xopen(COLLIDE_A, O_RDONLY, 0), &sb);
	CHECK(sb.st_ino == sa.st_ino);
	xunlink(COLLIDE_A);
}

#define MANY_NAMES 2000

/*
 * Two names on one hash chain, the newer (at the head of the chain)
 * unlinked first: the older must stay reachable, and shm_list must walk
 * the whole chain.
 */
static void shm_fnv_collision_pair_newest_unlinked_first(void)
{
	struct kshm_info info[4];
	struct stat sa, sb;
	int a = xcreate(COLLIDE_A, 0, 0600);
	int b = xcreate(COLLIDE_B, 0, 0600);    /* created last: first on the chain */

	CHECKF(shm_list(info, 4) == 2, "shm_list sees %d of the colliding pair",
	       shm_list(info, 4));
	xfstat(a, &sa);
	xunlink(COLLIDE_B);
	xfstat(xopen(COLLIDE_A, O_RDONLY, 0), &sb);
	CHECK(sb.st_ino == sa.st_ino);
	CHECK(shm_list(info, 4) == 1 && strcmp(info[0].path, COLLIDE_A) == 0);
	xunlink(COLLIDE_A);
	CHECK_ERR(shm_open(COLLIDE_A, O_RDONLY, 0), ENOENT);
	close(a);
	close(b);
}

/* Renaming the newer of two colliding names moves the head of their hash
 * chain away: the older name must stay reachable. */
static void shm_fnv_collision_pair_newest_renamed(void)
{
	struct stat sa, sb;
	int a = xcreate(COLLIDE_A, 0, 0600);
	int b = xcreate(COLLIDE_B, 0, 0600);    /* first on the chain */

	xfstat(a, &sa);
	CHECK(shm_rename(COLLIDE_B, "/t.renamed", 0) == 0);
	xfstat(xopen(COLLIDE_A, O_RDONLY, 0), &sb);
	CHECK(sb.st_ino == sa.st_ino);
	CHECK_ERR(shm_open(COLLIDE_B, O_RDONLY, 0), ENOENT);
	xunlink("/t.renamed");
	xunlink(COLLIDE_A);
	close(a);
	close(b);
}

static void name_of(char *buf, size_t size, int i)
{
	snprintf(buf, size, "/t.many.%d", i);
}

static void shm_2000_names_created_verified_removed(void)
{
	char name[32];
	uint64_t objects = shm_count();

	for (int i = 0; i < MANY_NAMES; i++) {
		name_of(name, sizeof(name), i);
		int fd = xcreate(name, (size_t)i + 1, 0600);
		close(fd);
	}
	CHECK(shm_count() == objects + MANY_NAMES);
	for (int i = 0; i < MANY_NAMES; i++) {
		struct stat st;
		name_of(name, sizeof(name), i);
		int fd = xopen(name, O_RDONLY, 0);
		xfstat(fd, &st);
		CHECKF(st.st_size == (off_t)i + 1, "%s has size %ld", name, (long)st.st_size);
		close(fd);
	}
	for (int i = 0; i < MANY_NAMES; i++) {
		name_of(name, sizeof(name), i);
		xunlink(name);
		CHECK_ERR(shm_open(name, O_RDONLY, 0), ENOENT);
	}
	CHECK(shm_count() == objects);
}

#define RACERS          8
#define RACE_ROUNDS     40

struct race {
	volatile int go;
	int winners[RACE_ROUNDS];
	int owners;
	int max_owners;
};

static void race_child(struct race *r, int id)
{
	char name[32];

	while (!r->go)
		sched_yield();
	for (int round = 0; round < RACE_ROUNDS; round++) {
		snprintf(name, sizeof(name), "/t.race.%d", round);
		int fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
		if (fd < 0) {
			CHECKF(errno == EEXIST, "racer %d: %s", id, test_errno_name(errno));
			continue;
		}
		__atomic_add_fetch(&r->winners[round], 1, __ATOMIC_SEQ_CST);
		close(fd);
	}
	/* Create and unlink one name over and over: only one owner at a time. */
	for (int i = 0; i < 200; i++) {
		int fd = shm_open("/t.race.owner", O_RDWR | O_CREAT | O_EXCL, 0600);
		if (fd < 0) {
			CHECKF(errno == EEXIST, "racer %d: %s", id, test_errno_name(errno));
			sched_yield();
			continue;
		}
		int now = __atomic_add_fetch(&r->owners, 1, __ATOMIC_SEQ_CST);
		if (now > r->max_owners)
			r->max_owners = now;
		sched_yield();
		__atomic_sub_fetch(&r->owners, 1, __ATOMIC_SEQ_CST);
		CHECKF(shm_unlink("/t.race.owner") == 0, "owner's unlink: %s", test_errno_name(errno));
		close(fd);
	}
}

static void shm_exclusive_create_race_among_8_children(void)
{
	struct race *r = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pid_t pids[RACERS];
	char name[32];

	CHECK(r != MAP_FAILED);
	for (int i = 0; i < RACERS; i++) {
		pids[i] = test_fork();
		if (pids[i] == 0) {
			race_child(r, i);
			_exit(0);
		}
	}
	r->go = 1;
	for (int i = 0; i < RACERS; i++)
		wait_ok(pids[i]);
	for (int round = 0; round < RACE_ROUNDS; round++) {
		CHECKF(r->winners[round] == 1, "round %d had %d winners", round, r->winners[round]);
		snprintf(name, sizeof(name), "/t.race.%d", round);
		xunlink(name);
	}
	CHECKF(r->max_owners == 1, "%d owners at once", r->max_owners);
	CHECK_ERR(shm_open("/t.race.owner", O_RDONLY, 0), ENOENT);
}

/* --------------------------------------------------------------- creation */

static void shm_create_mode_masked_by_umask(void)
{
	struct stat st;

	umask(022);
	xfstat(xcreate("/t.umask", 0, 0777), &st);
	CHECKF((st.st_mode & 07777) == 0755, "mode %#o", st.st_mode);
	xunlink("/t.umask");
	umask(0);
	xfstat(xcreate("/t.umask", 0, 07777), &st);
	CHECKF((st.st_mode & 07777) == 0777, "mode %#o (setuid bits kept?)", st.st_mode);
	xunlink("/t.umask");
	umask(077);
	xfstat(xopen(SHM_ANON, O_RDWR, 0666), &st);
	CHECKF((st.st_mode & 07777) == 0600, "SHM_ANON mode %#o", st.st_mode);
}

static void shm_create_starts_empty_with_times_now(void)
{
	struct stat st;
	uint64_t t0 = realtime_ns();
	int fd = xcreate("/t.times", 0, 0600);
	uint64_t t1 = realtime_ns();

	xfstat(fd, &st);
	CHECK(st.st_size == 0 && st.st_blocks == 0);
	CHECKF(ts_ns(st.st_atim) >= t0 && ts_ns(st.st_atim) <= t1, "atime out of range");
	CHECKF(ts_ns(st.st_mtim) >= t0 && ts_ns(st.st_mtim) <= t1, "mtime out of range");
	CHECKF(ts_ns(st.st_ctim) >= t0 && ts_ns(st.st_ctim) <= t1, "ctime out of range");
	xunlink("/t.times");
}

static void create_as_user_with_mode_0(void)
{
	struct stat st;
	int fd = xopen("/t.user0", O_RDWR | O_CREAT | O_EXCL, 0);
	char *p;

	xfstat(fd, &st);
	CHECK(st.st_uid == USER_UID && st.st_gid == USER_GID && (st.st_mode & 0777) == 0);
	CHECK(ftruncate(fd, PG) == 0);
	p = xmap_shared(fd, PG);
	p[0] = 1;
	CHECK_ERR(shm_open("/t.user0", O_RDONLY, 0), EACCES);       /* only the creator got in */
}

static void shm_creator_owns_and_gets_access_even_with_mode_0(void)
{
	shm_unlink("/t.user0");
	as_user(USER_UID, USER_GID, create_as_user_with_mode_0);
	close(xopen("/t.user0", O_RDWR, 0));    /* root bypasses */
	xunlink("/t.user0");
}

/* ------------------------------------------------------- existing objects */

static void excl_as_user(void)
{
	CHECK_ERR(shm_open("/t.exist", O_RDWR | O_CREAT | O_EXCL, 0600), EEXIST);
	CHECK_ERR(shm_open("/t.exist", O_RDONLY | O_CREAT | O_EXCL, 0600), EEXIST);
	CHECK_ERR(shm_open("/t.exist", O_RDONLY, 0), EACCES);
	CHECK_ERR(shm_open("/t.exist", O_RDONLY | O_CREAT, 0777), EACCES);
}

static void shm_open_excl_eexist_checked_before_permissions(void)
{
	close(xcreate("/t.exist", 0, 0));
	as_user(USER_UID, USER_GID, excl_as_user);
	xunlink("/t.exist");
}

static void perm_other_read_only(void)
{
	close(xopen("/t.perm", O_RDONLY, 0));
	CHECK_ERR(shm_open("/t.perm", O_RDWR, 0), EACCES);
}

static void perm_group_read_write(void)
{
	close(xopen("/t.perm", O_RDWR, 0));
}

static void perm_owner_none(void)
{
	CHECK_ERR(shm_open("/t.perm", O_RDONLY, 0), EACCES);
}

static void shm_open_existing_checks_mode_uid_gid(void)
{
	int fd = xcreate("/t.perm", 0, 0604);

	as_user(USER_UID, USER_GID, perm_other_read_only);
	CHECK(fchmod(fd, 0060) == 0);
	CHECK(fchown(fd, 0, USER_GID) == 0);
	as_user(USER_UID, USER_GID, perm_group_read_write);     /* group bits */
	as_user(USER_UID, USER_GID + 1, perm_owner_none);       /* other bits: none */
	CHECK(fchown(fd, USER_UID, USER_GID) == 0);
	as_user(USER_UID, USER_GID, perm_owner_none);           /* owner bits win: none */
	CHECK(fchmod(fd, 0) == 0);
	close(xopen("/t.perm", O_RDWR, 0));                     /* uid 0 bypasses */
	xunlink("/t.perm");
}

/*
 * Opening O_RDWR asks for read and write permission.  On an object of
 * mode 0602 another user has write permission only: O_RDWR and O_RDONLY
 * must both be refused.  A check that asked O_RDWR for write permission
 * alone would let that user map the object and read what is in it.
 */
static void write_only_other_user_opens_eacces(void)
{
	int fd = shm_open("/t.wonly", O_RDWR, 0);

	if (fd >= 0) {
		char *p = mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, 0);

		FAIL("uid %d opened a mode 0602 object O_RDWR and read \"%s\"", (int)getuid(),
		     p == MAP_FAILED ? "(mmap failed)" : p);
	}
	CHECKF(errno == EACCES, "O_RDWR: errno %s, want EACCES", test_errno_name(errno));
	CHECK_ERR(shm_open("/t.wonly", O_RDONLY, 0), EACCES);
}

static void shm_open_rdwr_needs_read_permission_too(void)
{
	int fd = xcreate("/t.wonly", PG, 0600);
	char *p = xmap_shared(fd, PG);
	char buf[64];
	int status;
	pid_t pid;

	strcpy(p, "secret");
	CHECK(fchmod(fd, 0602) == 0);
	pid = test_fork();
	if (pid == 0) {
		CHECK(setgid(USER_GID) == 0 && setuid(USER_UID) == 0);
		write_only_other_user_opens_eacces();
		_exit(0);
	}
	status = test_wait(pid);
	shm_unlink("/t.wonly");                 /* before any verdict: leave nothing named */
	close(fd);
	CHECKF(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child: %s",
	       test_status_str(status, buf, sizeof(buf)));
}

static void shm_open_existing_ignores_mode(void)
{
	struct stat st;
	int fd = xcreate("/t.ignmode", 0, 0600);

	xfstat(xopen("/t.ignmode", O_RDWR | O_CREAT, 0777), &st);
	CHECK((st.st_mode & 0777) == 0600);
	close(fd);
	xunlink("/t.ignmode");
}

static void shm_o_trunc_empties_only_with_rdwr(void)
{
	struct stat st;
	int fd = xcreate("/t.trunc", 3 * PG, 0600);
	char *p = xmap_shared(fd, PG);

	p[0] = 'x';
	xfstat(xopen("/t.trunc", O_RDONLY | O_TRUNC, 0), &st);
	CHECK(st.st_size == (off_t)(3 * PG));
	CHECK(p[0] == 'x');
	xfstat(xopen("/t.trunc", O_RDWR | O_TRUNC, 0), &st);
	CHECK(st.st_size == 0);
	CHECK(ftruncate(fd, PG) == 0);
	CHECK(p[0] == 0);
	xunlink("/t.trunc");
}

/* ---------------------------------------------------------------- SHM_ANON */

static void shm_anon_makes_unnamed_object(void)
{
	struct stat st;
	uint64_t objects = shm_count();
	int fd = xopen(SHM_ANON, O_RDWR, 0600);

	xfstat(fd, &st);
	CHECK(S_ISREG(st.st_mode) && st.st_nlink == 0 && st.st_size == 0);
	CHECK(shm_count() == objects + 1);
	CHECK(shm_list(NULL, 0) == 0);
	close(fd);
	CHECK(shm_count() == objects);
}

static void shm_anon_rdonly_einval(void)
{
	CHECK_ERR(shm_open(SHM_ANON, O_RDONLY, 0600), EINVAL);
	CHECK_ERR(shm_open(SHM_ANON, O_RDONLY | O_CREAT, 0600), EINVAL);
}

static void shm_anon_ignores_creat_excl_trunc(void)
{
	struct stat a, b;
	int fa = xopen(SHM_ANON, O_RDWR | O_CREAT | O_EXCL, 0600);
	int fb = xopen(SHM_ANON, O_RDWR | O_CREAT | O_EXCL | O_TRUNC, 0600);

	xfstat(fa, &a);
	xfstat(fb, &b);
	CHECK(a.st_ino != b.st_ino);            /* each call: a fresh object */
}

static void shm_anon_shared_across_fork(void)
{
	int fd = xopen(SHM_ANON, O_RDWR, 0600);
	pid_t pid;
	volatile char *p;

	CHECK(ftruncate(fd, PG) == 0);
	pid = test_fork();
	if (pid == 0) {                 /* the child maps the inherited descriptor */
		p = xmap_shared(fd, PG);
		p[5] = 'c';
		_exit(0);
	}
	wait_ok(pid);
	p = xmap_shared(fd, PG);
	CHECK(p[5] == 'c');
}

/* -------------------------------------------------------------- shm_unlink */

static void shm_unlink_missing_enoent(void)
{
	shm_unlink("/t.nothere");
	CHECK_ERR(shm_unlink("/t.nothere"), ENOENT);
	close(xcreate("/t.twice", 0, 0600));
	xunlink("/t.twice");
	CHECK_ERR(shm_unlink("/t.twice"), ENOENT);
}

static void shm_unlink_path_errors_like_shm_open(void)
{
	char *toolong = long_path(PATH_LIMIT, '/');

	CHECK_ERR(shm_unlink((const char *)16), EFAULT);
	CHECK_ERR(shm_unlink((const char *)KERNEL_ADDR), EFAULT);
	CHECK_ERR(shm_unlink(toolong), ENAMETOOLONG);
	CHECK_ERR(shm_unlink(toolong + 1), EINVAL);     /* 1023 bytes fit; no leading slash */
	CHECK_ERR(shm_unlink("noslash"), EINVAL);
	CHECK_ERR(shm_unlink(""), EINVAL);
}

static void unlink_as_user_eacces(void)
{
	CHECK_ERR(shm_unlink("/t.unlperm"), EACCES);
}

static void unlink_as_user_ok(void)
{
	xunlink("/t.unlperm");
}

static void shm_unlink_needs_write_permission(void)
{
	int fd = xcreate("/t.unlperm", 0, 0644);

	as_user(USER_UID, USER_GID, unlink_as_user_eacces);
	close(xopen("/t.unlperm", O_RDONLY, 0));
	CHECK(fchmod(fd, 0646) == 0);
	as_user(USER_UID, USER_GID, unlink_as_user_ok);
	CHECK_ERR(shm_open("/t.unlperm", O_RDONLY, 0), ENOENT);
}

static void shm_unlink_removes_name_at_once(void)
{
	struct stat st;
	int fd = xcreate("/t.unl", PG, 0600);
	char *p = xmap_shared(fd, PG);

	xfstat(fd, &st);
	CHECK(st.st_nlink == 1);
	xunlink("/t.unl");
	CHECK_ERR(shm_open("/t.unl", O_RDONLY, 0), ENOENT);
	xfstat(fd, &st);
	CHECK(st.st_nlink == 0 && st.st_size == (off_t)PG);
	p[0] = 'z';                             /* descriptor and mapping still work */
	CHECK(ftruncate(fd, 2 * PG) == 0);
}

static void shm_unlink_then_creat_makes_new_object(void)
{
	struct stat old, new;
	int fd = xcreate("/t.renew", PG, 0600);
	char *p = xmap_shared(fd, PG), *q;

	p[0] = 'o';
	xfstat(fd, &old);
	xunlink("/t.renew");
	int fd2 = xopen("/t.renew", O_RDWR | O_CREAT | O_EXCL, 0600);
	xfstat(fd2, &new);
	CHECK(new.st_ino != old.st_ino && new.st_size == 0);
	CHECK(ftruncate(fd2, PG) == 0);
	q = xmap_shared(fd2, PG);
	CHECK(q[0] == 0 && p[0] == 'o');
	xunlink("/t.renew");
}

/* ---------------------------------------------------------------- ftruncate */

static void shm_ftruncate_negative_einval(void)
{
	int fd = xopen(SHM_ANON, O_RDWR, 0600);

	CHECK_ERR(ftruncate(fd, -1), EINVAL);
	CHECK_ERR(ftruncate(fd, INT64_MIN), EINVAL);
}

static void shm_ftruncate_rdonly_descriptor_einval(void)
{
	int fd = xcreate("/t.ftro", PG, 0600);
	int ro = xopen("/t.ftro", O_RDONLY, 0);
	struct stat st;

	CHECK_ERR(ftruncate(ro, 2 * PG), EINVAL);
	xfstat(fd, &st);
	CHECK(st.st_size == (off_t)PG);
	xunlink("/t.ftro");
}

static void shm_ftruncate_grow_reads_zero_pages_allocated_lazily(void)
{
	int fd = xopen(SHM_ANON, O_RDWR, 0600);
	uint64_t before = free_pages();
	struct stat st;
	char *p;

	CHECK(ftruncate(fd, 1024 * PG) == 0);
	p = xmap(fd, 1024 * PG, PROT_READ | PROT_WRITE, MAP_SHARED);
	CHECKF(sdiff(before, free_pages()) < 64, "growing to 4 MiB took %ld pages",
	       (long)sdiff(before, free_pages()));
	xfstat(fd, &st);
	CHECK(st.st_size == (off_t)(1024 * PG) && st.st_blocks == 0);
	for (int i = 0; i < 10; i++) {
		CHECK(p[i * 100 * PG + 7] == 0);
		p[i * 100 * PG] = 1;
	}
	xfstat(fd, &st);
	CHECKF(st.st_blocks == 10 * (PG / 512), "st_blocks %ld", (long)st.st_blocks);
}

static void shm_ftruncate_shrink_frees_pages(void)
{
	int fd = xopen(SHM_ANON, O_RDWR, 0600);
	char *p;
	uint64_t full;

	CHECK(ftruncate(fd, 256 * PG) == 0);
	p = xmap_shared(fd, 256 * PG);
	memset(p, 7, 256 * PG);
	full = free_pages();
	CHECK(ftruncate(fd, PG) == 0);
	CHECKF(sdiff(free_pages(), full) >= 255, "shrink gave back %ld pages",
	       (long)sdiff(free_pages(), full));
	CHECK(p[0] == 7);
}

static void shm_ftruncate_shrink_zeroes_partial_tail(void)
{
	int fd = xopen(SHM_ANON, O_RDWR, 0600);
	char *p;

	CHECK(ftruncate(fd, 2 * PG) == 0);
	p = xmap_shared(fd, 2 * PG);
	memset(p, 'x', 2 * PG);
	CHECK(ftruncate(fd, 100) == 0);
	CHECK(p[99] == 'x');
	for (size_t i = 100; i < PG; i++)
		CHECKF(p[i] == 0, "byte %zu is %d after shrinking to 100", i, p[i]);
}

/* Shrinking to the middle of a page nobody touched has no tail to zero;
 * the page still reads as zeros once mapped. */
static void shm_shrink_into_untouched_page_reads_zero(void)
{
	int fd = xopen(SHM_ANON, O_RDWR, 0600);
	char *p;

	CHECK(ftruncate(fd, 3 * PG) == 0);
	CHECK(ftruncate(fd, PG + 100) == 0);
	p = xmap_shared(fd, 2 * PG);
	CHECK(p[PG] == 0 && p[PG + 99] == 0 && p[2 * PG - 1] == 0);
	close(fd);
}

static void shm_touch_past_end_after_shrink_sigbus(void)
{
	int fd = xopen(SHM_ANON, O_RDWR, 0600);
	char *p;

	CHECK(ftruncate(fd, 4 * PG) == 0);
	p = xmap_shared(fd, 4 * PG);
	memset(p, 1, 4 * PG);
	CHECK(ftruncate(fd, PG + 1) == 0);      /* pages 0 and 1 remain */
	p[PG + 100] = 2;                         /* inside the partial last page: fine */
	expect_signal(touch_read, p + 2 * PG, SIGBUS);
	expect_signal(touch_write, p + 3 * PG, SIGBUS);
}

static void shm_regrow_after_shrink_reads_zero(void)
{
	int fd = xopen(SHM_ANON, O_RDWR, 0600);
	char *p;

	CHECK(ftruncate(fd, 4 * PG) == 0);
	p = xmap_shared(fd, 4 * PG);
	memset(p, 'y', 4 * PG);
	CHECK(ftruncate(fd, PG / 2) == 0);
	CHECK(ftruncate(fd, 4 * PG) == 0);
	CHECK(p[PG / 2 - 1] == 'y');
	for (size_t i = PG / 2; i < 4 * PG; i++)
		CHECKF(p[i] == 0, "byte %zu is %d after regrowing", i, p[i]);
}

static void shm_grow_zeroes_bytes_written_past_old_end(void)
{
	int fd = xopen(SHM_ANON, O_RDWR, 0600);
	char *p;

	CHECK(ftruncate(fd, 10) == 0);
	p = xmap_shared(fd, PG);
	memset(p, 'q', PG);                     /* the page is mapped whole */
	CHECK(ftruncate(fd, PG) == 0);
	CHECK(p[9] == 'q' && p[10] == 0 && p[PG - 1] == 0);
}

static void shm_ftruncate_updates_mtime_and_ctime(void)
{
	int fd = xopen(SHM_ANON, O_RDWR, 0600);
	struct stat before, after;
	uint64_t t0;

	xfstat(fd, &before);
	usleep(2000);
	t0 = realtime_ns();
	CHECK(ftruncate(fd, PG) == 0);
	xfstat(fd, &after);
	CHECK(ts_ns(after.st_mtim) >= t0 && ts_ns(after.st_ctim) >= t0);
	CHECK(ts_ns(after.st_atim) == ts_ns(before.st_atim));
}

/* -------------------------------------------------------------------- fstat */

static void shm_fstat_fields(void)
{
	struct stat st;
	int fd = xcreate("/t.fstat", 12345, 0640);
	char *p = xmap_shared(fd, 4 * PG);

	xfstat(fd, &st);
	CHECKF(st.st_mode == (S_IFREG | 0640), "mode %#o", st.st_mode);
	CHECK(st.st_size == 12345 && st.st_blksize == 4096 && st.st_blocks == 0);
	CHECK(st.st_uid == geteuid() && st.st_gid == getegid());
	CHECK(st.st_nlink == 1 && st.st_ino != 0);
	CHECK(st.st_atim.tv_sec != 0 && st.st_mtim.tv_sec != 0 && st.st_ctim.tv_sec != 0);
	p[0] = 1;
	p[2 * PG] = 1;
	xfstat(fd, &st);
	CHECKF(st.st_blocks == 2 * (PG / 512), "st_blocks %ld", (long)st.st_blocks);
	xunlink("/t.fstat");
	xfstat(fd, &st);
	CHECK(st.st_nlink == 0);
}

static void shm_fstat_ino_unique_per_object(void)
{
	struct stat a, b, c;
	int fa = xcreate("/t.ino", 0, 0600);

	xfstat(fa, &a);
	xfstat(xopen("/t.ino", O_RDONLY, 0), &b);
	xfstat(xopen(SHM_ANON, O_RDWR, 0600), &c);
	CHECK(a.st_ino == b.st_ino && a.st_ino != c.st_ino);
	xunlink("/t.ino");
}

/* --------------------------------------------------------------------- mmap */

static void shm_mmap_shared_write_on_rdonly_descriptor_eacces(void)
{
	int fd = xcreate("/t.mmacc", PG, 0600);
	int ro = xopen("/t.mmacc", O_RDONLY, 0);
	char *p;

	CHECK_ERR(mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0), EACCES);
	CHECK_ERR(mmap(NULL, PG, PROT_WRITE, MAP_SHARED, ro, 0), EACCES);
	p = xmap(ro, PG, PROT_READ, MAP_SHARED);
	CHECK_ERR(mprotect(p, PG, PROT_READ | PROT_WRITE), EACCES);
	expect_signal(touch_write, p, SIGSEGV);
	close(fd);
	xunlink("/t.mmacc");
}

static void shm_mmap_eacces_checked_before_size(void)
{
	int fd = xcreate("/t.mmorder", 0, 0600);
	int ro = xopen("/t.mmorder", O_RDONLY, 0);

	/* Lengths that would fail later (ENOMEM): the access check comes first. */
	CHECK_ERR(mmap(NULL, 1ul << 62, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0), EACCES);
	CHECK_ERR(mmap(NULL, (size_t)-PG, PROT_WRITE, MAP_SHARED, ro, 1ul << 40), EACCES);
	CHECK_ERR(mmap(NULL, 1ul << 62, PROT_READ, MAP_SHARED, ro, 0), ENOMEM);
	close(fd);
	xunlink("/t.mmorder");
}

static void shm_mmap_past_end_sigbus(void)
{
	int fd = xopen(SHM_ANON, O_RDWR, 0600);
	char *p;

	CHECK(ftruncate(fd, PG) == 0);
	p = xmap_shared(fd, 3 * PG);            /* may extend past the end */
	p[PG - 1] = 1;
	expect_signal(touch_read, p + PG, SIGBUS);
	expect_signal(touch_write, p + 2 * PG + 5, SIGBUS);
	CHECK(ftruncate(fd, 3 * PG) == 0);      /* ... and becomes valid when it grows */
	p[2 * PG + 5] = 1;
}

/* MAP_POPULATE of a mapping longer than the object fills what exists and
 * stops at the end; the mapping is still made. */
static void shm_populate_stops_at_the_end_of_the_object(void)
{
	int fd = xopen(SHM_ANON, O_RDWR, 0600);
	char *p;

	CHECK(ftruncate(fd, PG) == 0);
	p = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, 0);
	CHECKF(p != MAP_FAILED, "errno %d", errno);
	CHECK(p[0] == 0);
	expect_signal(touch_read, p + 2 * PG, SIGBUS);
	close(fd);
}

static void shm_mmap_of_empty_object_sigbus(void)
{
	int fd = xopen(SHM_ANON, O_RDWR, 0600);
	char *p = xmap_shared(fd, PG);

	expect_signal(touch_read, p, SIGBUS);
	p = xmap(fd, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE);
	expect_signal(touch_write, p, SIGBUS);
}

static void shm_mmap_offset_maps_later_pages(void)
{
	int fd = xopen(SHM_ANON, O_RDWR, 0600);
	char *all, *second;

	CHECK(ftruncate(fd, 3 * PG) == 0);
	all = xmap_shared(fd, 3 * PG);
	all[PG] = 'b';
	second = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, PG);
	CHECK(second != MAP_FAILED && second[0] == 'b');
	second[1] = 'c';
	CHECK(all[PG + 1] == 'c');
}

static void shm_mmap_private_is_copy_on_write_snapshot(void)
{
	int fd = xcreate("/t.priv", PG, 0600);
	int ro = xopen("/t.priv", O_RDONLY, 0);
	char *shared = xmap_shared(fd, PG);
	char *priv;

	shared[0] = 's';
	priv = xmap(ro, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE);   /* writable from O_RDONLY */
	CHECK(priv[0] == 's');
	priv[0] = 'p';
	priv[1] = 'p';
	CHECK(shared[0] == 's' && shared[1] == 0);
	shared[2] = 't';
	CHECK(priv[2] == 0);                    /* the copied page is private now */
	close(ro);
	int again = xopen("/t.priv", O_RDONLY, 0);
	char *other = xmap(again, PG, PROT_READ, MAP_SHARED);
	CHECK(other[0] == 's' && other[2] == 't');
	close(fd);
	xunlink("/t.priv");
}

/*
 * A private mapping of an shm object at a nonzero offset, once written
 * after fork, has a shadow object in front of the shm's object at backing
 * offset 1.  When the shm object is left referenced by that shadow alone
 * (descriptor closed, other mappings gone, the child exited), it is
 * collapsed into the shadow: every page must land at its index minus the
 * offset, or the mapping shows another page's data or zeros.
 */
static void shm_private_mapping_at_offset_survives_collapse(void)
{
	int fd = xopen(SHM_ANON, O_RDWR, 0600);
	char *shared, *p;
	int go[2];
	pid_t pid;

	CHECK(ftruncate(fd, 4 * PG) == 0);
	shared = xmap_shared(fd, 4 * PG);
	for (int i = 0; i < 4; i++)
		memset(shared + i * PG, 'a' + i, PG);
	CHECK(munmap(shared, 4 * PG) == 0);
	p = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, PG);
	CHECKF(p != MAP_FAILED, "mmap at offset: %s", test_errno_name(errno));
	close(fd);                              /* the mapping alone holds the object now */
	CHECK(p[0] == 'b' && p[PG] == 'c' && p[2 * PG] == 'd');
	CHECK(pipe(go) == 0);
	pid = test_fork();
	if (pid == 0) {
		char c;

		close(go[1]);
		test_read_full(go[0], &c, 1);
		_exit(0);
	}
	close(go[0]);
	memset(p + PG, 'W', PG);                /* the parent's shadow, backing offset 1 */
	test_write_full(go[1], "x", 1);
	wait_ok(pid);                           /* the shm object collapses into the shadow */
	for (int i = 0; i < 3; i++) {
		char want = i == 1 ? 'W' : (char)('b' + i);

		CHECKF(p[i * PG] == want && p[i * PG + PG - 1] == want,
		       "page %d holds %c/%c, want %c", i, p[i * PG], p[i * PG + PG - 1], want);
	}
	CHECK(munmap(p, 3 * PG) == 0);
}

static void shm_mapping_shared_across_fork(void)
{
	int fd = xopen(SHM_ANON, O_RDWR, 0600);
	volatile char *p;
	int go[2], back[2];
	char c;
	pid_t pid;

	CHECK(ftruncate(fd, 2 * PG) == 0);
	p = xmap_shared(fd, 2 * PG);
	close(fd);
	CHECK(pipe(go) == 0 && pipe(back) == 0);
	pid = test_fork();
	if (pid == 0) {
		p[0] = 'c';                             /* child -> parent */
		test_write_full(back[1], "x", 1);
		test_read_full(go[0], &c, 1);
		CHECK(p[PG] == 'p');                    /* parent -> child */
		_exit(0);
	}
	test_read_full(back[0], &c, 1);
	CHECK(p[0] == 'c');
	p[PG] = 'p';
	test_write_full(go[1], "x", 1);
	wait_ok(pid);
}

static void shm_mapping_shared_between_opens_by_name(void)
{
	int fd = xcreate("/t.byname", PG, 0600);
	char *p = xmap_shared(fd, PG);
	pid_t pid = test_fork();

	if (pid == 0) {
		int fd2 = xopen("/t.byname", O_RDWR, 0);
		char *q = xmap_shared(fd2, PG);
		q[100] = 'n';
		_exit(0);
	}
	wait_ok(pid);
	CHECK(p[100] == 'n');
	xunlink("/t.byname");
}

static void shm_data_outlives_descriptor_and_name(void)
{
	int fd = xcreate("/t.outlive", PG, 0600);
	char *p = xmap_shared(fd, PG);
	pid_t pid;

	strcpy(p, "still here");
	close(fd);
	xunlink("/t.outlive");
	pid = test_fork();
	if (pid == 0) {
		CHECK(strcmp(p, "still here") == 0);    /* the child's mapping, after fork */
		p[0] = 'S';
		_exit(0);
	}
	wait_ok(pid);
	CHECK(strcmp(p, "Still here") == 0);
}

static void shm_unlink_keeps_mapping_alive(void)
{
	uint64_t objects = shm_count();
	int fd = xcreate("/t.keep", 16 * PG, 0600);
	char *p = xmap_shared(fd, 16 * PG);

	memset(p, 'k', 16 * PG);
	CHECK(shm_count() == objects + 1);
	xunlink("/t.keep");
	close(fd);
	CHECK(shm_count() == objects);          /* the shm record is gone ... */
	for (size_t i = 0; i < 16 * PG; i += 511)
		CHECK(p[i] == 'k');             /* ... the memory is not */
}

#define LIFE_PAGES 64

static void shm_pages_freed_when_last_mapping_goes_and_not_before(void)
{
	uint64_t start = free_pages(), held, after_close;
	int fd = xcreate("/t.life", LIFE_PAGES * PG, 0600);
	char *p = xmap_shared(fd, LIFE_PAGES * PG);
	char *q = xmap(fd, LIFE_PAGES * PG, PROT_READ, MAP_SHARED);

	memset(p, 1, LIFE_PAGES * PG);
	held = free_pages();
	CHECK(sdiff(start, held) >= LIFE_PAGES);
	xunlink("/t.life");
	close(fd);
	after_close = free_pages();
	CHECKF(sdiff(after_close, held) < 8, "closing freed %ld pages while mapped",
	       (long)sdiff(after_close, held));
	CHECK(munmap(p, LIFE_PAGES * PG) == 0);
	CHECKF(sdiff(free_pages(), held) < 8, "first munmap freed pages still mapped");
	CHECK(q[LIFE_PAGES * PG - 1] == 1);
	CHECK(munmap(q, LIFE_PAGES * PG) == 0);
	CHECKF(sdiff(free_pages(), held) >= LIFE_PAGES, "last munmap freed only %ld pages",
	       (long)sdiff(free_pages(), held));
}

static void shm_pages_freed_when_last_process_mapping_exits(void)
{
	int fd = xopen(SHM_ANON, O_RDWR, 0600);
	char *p;
	int go[2], ready[2];
	char c;
	uint64_t held;
	pid_t pid;

	CHECK(ftruncate(fd, LIFE_PAGES * PG) == 0);
	p = xmap_shared(fd, LIFE_PAGES * PG);
	memset(p, 2, LIFE_PAGES * PG);
	CHECK(pipe(go) == 0 && pipe(ready) == 0);
	pid = test_fork();
	if (pid == 0) {
		test_write_full(ready[1], "r", 1);
		test_read_full(go[0], &c, 1);
		CHECK(p[LIFE_PAGES * PG - 1] == 2);
		_exit(0);
	}
	test_read_full(ready[0], &c, 1);
	close(fd);
	CHECK(munmap(p, LIFE_PAGES * PG) == 0);
	held = free_pages();
	test_write_full(go[1], "g", 1);         /* the child still maps it */
	wait_ok(pid);
	CHECKF(sdiff(free_pages(), held) >= LIFE_PAGES, "child's exit freed only %ld pages",
	       (long)sdiff(free_pages(), held));
}

/* ------------------------------------------------------- refused operations */

static void shm_read_write_eopnotsupp_ioctl_enotty(void)
{
	int fd = xopen(SHM_ANON, O_RDWR, 0600);
	char buf[8] = "abc";
	int arg = 0;

	CHECK(ftruncate(fd, PG) == 0);
	CHECK_ERR(read(fd, buf, sizeof(buf)), EOPNOTSUPP);
	CHECK_ERR(write(fd, buf, sizeof(buf)), EOPNOTSUPP);
	CHECK_ERR(ioctl(fd, FIONREAD, &arg), ENOTTY);
	CHECK_ERR(ioctl(fd, FIONBIO, &arg), ENOTTY);
}

static void shm_lseek_espipe(void)
{
	int fd = xopen(SHM_ANON, O_RDWR, 0600);

	CHECK(ftruncate(fd, PG) == 0);
	CHECK_ERR(lseek(fd, 0, SEEK_SET), ESPIPE);
	CHECK_ERR(lseek(fd, 10, SEEK_CUR), ESPIPE);
}

/* ---------------------------------------------------------- fchmod, fchown */

static void shm_fchmod_by_owner_keeps_0777_bits(void)
{
	struct stat st;
	int fd = xopen(SHM_ANON, O_RDWR, 0600);
	uint64_t t0;

	usleep(2000);
	t0 = realtime_ns();
	CHECK(fchmod(fd, 04777 | S_ISVTX) == 0);
	xfstat(fd, &st);
	CHECKF(st.st_mode == (S_IFREG | 0777), "mode %#o", st.st_mode);
	CHECK(ts_ns(st.st_ctim) >= t0);
	CHECK(fchmod(fd, 0) == 0);
	xfstat(fd, &st);
	CHECK(st.st_mode == S_IFREG);
}

static int perm_fd = -1;

static void chmod_chown_as_non_owner(void)
{
	CHECK_ERR(fchmod(perm_fd, 0777), EPERM);
	CHECK_ERR(fchown(perm_fd, USER_UID, USER_GID), EPERM);
	CHECK_ERR(fchown(perm_fd, (uid_t)-1, (gid_t)-1), EPERM);
}

static void chmod_chown_as_owner(void)
{
	struct stat st;

	CHECK(fchmod(perm_fd, 0604) == 0);
	CHECK(fchown(perm_fd, (uid_t)-1, USER_GID) == 0);      /* own gid: allowed */
	CHECK_ERR(fchown(perm_fd, 0, (gid_t)-1), EPERM);        /* cannot give it away */
	CHECK_ERR(fchown(perm_fd, (uid_t)-1, 0), EPERM);
	xfstat(perm_fd, &st);
	CHECK(st.st_mode == (S_IFREG | 0604) && st.st_uid == USER_UID && st.st_gid == USER_GID);
}

static void shm_fchmod_fchown_owner_or_root_only(void)
{
	struct stat st;

	perm_fd = xcreate("/t.chown", 0, 0666);
	as_user(USER_UID, USER_GID, chmod_chown_as_non_owner);
	CHECK(fchown(perm_fd, USER_UID, 5) == 0);               /* root: anything */
	xfstat(perm_fd, &st);
	CHECK(st.st_uid == USER_UID && st.st_gid == 5);
	as_user(USER_UID, USER_GID, chmod_chown_as_owner);
	CHECK(fchown(perm_fd, 0, 0) == 0 && fchmod(perm_fd, 0600) == 0);
	xfstat(perm_fd, &st);
	CHECK(st.st_uid == 0 && st.st_gid == 0 && st.st_mode == (S_IFREG | 0600));
	xunlink("/t.chown");
}

/* --------------------------------------------------------------- shm_rename */

static void shm_rename_moves_the_object(void)
{
	int fd = xcreate("/t.rfrom", PG, 0600);
	struct stat st;

	shm_unlink("/t.rto");
	xfstat(fd, &st);
	CHECK(shm_rename("/t.rfrom", "/t.rto", 0) == 0);
	CHECK_ERR(shm_open("/t.rfrom", O_RDONLY, 0), ENOENT);
	CHECK(ino_of("/t.rto") == st.st_ino);
	xfstat(fd, &st);
	CHECK(st.st_nlink == 1);
	xunlink("/t.rto");
}

static void shm_rename_replaces_existing_target(void)
{
	uint64_t objects = shm_count();
	int a = xcreate("/t.ra", 0, 0600);
	struct stat sa;

	close(xcreate("/t.rb", 0, 0600));
	xfstat(a, &sa);
	CHECK(shm_count() == objects + 2);
	CHECK(shm_rename("/t.ra", "/t.rb", 0) == 0);
	CHECK(shm_count() == objects + 1);      /* the old /t.rb had nothing else */
	CHECK(ino_of("/t.rb") == sa.st_ino);
	CHECK_ERR(shm_open("/t.ra", O_RDONLY, 0), ENOENT);
	xunlink("/t.rb");
}

static void shm_rename_noreplace_existing_target_eexist(void)
{
	close(xcreate("/t.na", 0, 0600));
	close(xcreate("/t.nb", 0, 0600));
	ino_t a = ino_of("/t.na"), b = ino_of("/t.nb");

	CHECK_ERR(shm_rename("/t.na", "/t.nb", SHM_RENAME_NOREPLACE), EEXIST);
	CHECK(ino_of("/t.na") == a && ino_of("/t.nb") == b);
	xunlink("/t.nb");
	CHECK(shm_rename("/t.na", "/t.nb", SHM_RENAME_NOREPLACE) == 0);
	CHECK(ino_of("/t.nb") == a);
	xunlink("/t.nb");
}

static void shm_rename_exchange_swaps_names(void)
{
	close(xcreate("/t.xa", PG, 0600));
	close(xcreate("/t.xb", 2 * PG, 0600));
	ino_t a = ino_of("/t.xa"), b = ino_of("/t.xb");

	CHECK(shm_rename("/t.xa", "/t.xb", SHM_RENAME_EXCHANGE) == 0);
	CHECK(ino_of("/t.xa") == b && ino_of("/t.xb") == a);
	xunlink("/t.xa");
	shm_unlink("/t.xc");
	CHECK(shm_rename("/t.xb", "/t.xc", SHM_RENAME_EXCHANGE) == 0);   /* no target: a move */
	CHECK_ERR(shm_open("/t.xb", O_RDONLY, 0), ENOENT);
	CHECK(ino_of("/t.xc") == a);
	xunlink("/t.xc");
}

static void shm_rename_bad_flags_einval(void)
{
	close(xcreate("/t.rf", 0, 0600));
	CHECK_ERR(shm_rename("/t.rf", "/t.rg", SHM_RENAME_NOREPLACE | SHM_RENAME_EXCHANGE), EINVAL);
	CHECK_ERR(shm_rename("/t.rf", "/t.rg", 4), EINVAL);
	CHECK_ERR(shm_rename("/t.rf", "/t.rg", -1), EINVAL);
	CHECK_ERR(shm_open("/t.rg", O_RDONLY, 0), ENOENT);
	xunlink("/t.rf");
}

static void shm_rename_shm_anon_einval(void)
{
	close(xcreate("/t.ranon", 0, 0600));
	CHECK_ERR(shm_rename(SHM_ANON, "/t.ranon2", 0), EINVAL);
	CHECK_ERR(shm_rename("/t.ranon", SHM_ANON, 0), EINVAL);
	CHECK_ERR(shm_rename(SHM_ANON, SHM_ANON, 0), EINVAL);
	xunlink("/t.ranon");
}

static void shm_rename_to_itself_changes_nothing(void)
{
	int fd = xcreate("/t.self", PG, 0600);
	struct stat st;

	xfstat(fd, &st);
	CHECK(shm_rename("/t.self", "/t.self", 0) == 0);
	CHECK(shm_rename("/t.self", "/t.self", SHM_RENAME_EXCHANGE) == 0);
	CHECK(shm_rename("/t.self", "/t.self", SHM_RENAME_NOREPLACE) == 0);
	CHECK(ino_of("/t.self") == st.st_ino);
	xfstat(fd, &st);
	CHECK(st.st_nlink == 1 && st.st_size == (off_t)PG);
	xunlink("/t.self");
}

static void shm_rename_path_errors(void)
{
	char *toolong = long_path(PATH_LIMIT, '/');

	shm_unlink("/t.rmissing");
	CHECK_ERR(shm_rename("/t.rmissing", "/t.rx", 0), ENOENT);
	CHECK_ERR(shm_rename("noslash", "/t.rx", 0), EINVAL);
	CHECK_ERR(shm_rename("/t.rmissing", "noslash", 0), EINVAL);
	CHECK_ERR(shm_rename(toolong, "/t.rx", 0), ENAMETOOLONG);
	CHECK_ERR(shm_rename("/t.rmissing", toolong, 0), ENAMETOOLONG);
	CHECK_ERR(shm_rename((const char *)16, "/t.rx", 0), EFAULT);
	CHECK_ERR(shm_rename("/t.rmissing", (const char *)KERNEL_ADDR, 0), EFAULT);
}

/* Paths past the kernel's 128-byte inline buffer take its heap path. */
static void shm_rename_long_names(void)
{
	char *a = long_path(PATH_LIMIT - 1, '/'), *b = long_path(300, '/');
	int fd;
	struct stat st;

	shm_unlink(a);
	shm_unlink(b);
	fd = xcreate(a, PG, 0600);
	xfstat(fd, &st);
	CHECK(shm_rename(a, b, 0) == 0);
	CHECK_ERR(shm_open(a, O_RDONLY, 0), ENOENT);
	CHECK(ino_of(b) == st.st_ino);
	CHECK(shm_rename(b, a, SHM_RENAME_NOREPLACE) == 0);
	CHECK(ino_of(a) == st.st_ino);
	xunlink(a);
}

static void rename_as_user(void)
{
	CHECK_ERR(shm_rename("/t.rperm", "/t.rperm2", 0), EACCES);
	CHECK_ERR(shm_rename("/t.rmine", "/t.rperm", 0), EACCES);       /* target not writable */
	CHECK(shm_rename("/t.rmine", "/t.rmine2", 0) == 0);
}

static void shm_rename_needs_write_permission(void)
{
	close(xcreate("/t.rperm", 0, 0644));
	close(xcreate("/t.rmine", 0, 0666));
	as_user(USER_UID, USER_GID, rename_as_user);
	close(xopen("/t.rperm", O_RDONLY, 0));
	CHECK_ERR(shm_open("/t.rperm2", O_RDONLY, 0), ENOENT);
	xunlink("/t.rperm");
	xunlink("/t.rmine2");
}

/* ---------------------------------------------------------- introspection */

static void shm_list_reports_named_objects(void)
{
	struct kshm_info info[8];
	int fd = xcreate("/t.list", 3 * PG + 5, 0640);
	char *p = xmap_shared(fd, PG);
	int n, found = 0;

	p[0] = 1;
	close(xopen(SHM_ANON, O_RDWR, 0600));   /* unnamed: not listed */
	n = shm_list(info, 8);
	CHECKF(n == 1, "shm_list answered %d", n);
	for (int i = 0; i < n; i++) {
		if (strcmp(info[i].path, "/t.list") != 0)
			continue;
		found = 1;
		CHECK(info[i].mode == 0640 && info[i].uid == 0 && info[i].gid == 0);
		CHECK(info[i].size == (long long)(3 * PG + 5));
		CHECKF(info[i].refs == 2, "refs %llu (name + descriptor)", (unsigned long long)info[i].refs);
		CHECKF(info[i].map_refs == 1, "map_refs %llu", (unsigned long long)info[i].map_refs);
		CHECK(info[i].resident == 1 && info[i].swapped == 0);
	}
	CHECK(found);
	CHECK(shm_list(info, 0) == 0);
	CHECK_ERR(shm_list(info, -1), EINVAL);
	CHECK_ERR(shm_list((struct kshm_info *)16, 8), EFAULT);
	xunlink("/t.list");
	CHECK(shm_list(info, 8) == 0);
}

static void shm_counter_follows_objects(void)
{
	uint64_t base = shm_count();
	int a = xopen(SHM_ANON, O_RDWR, 0600);
	int b = xcreate("/t.count", 0, 0600);
	int b2 = xopen("/t.count", O_RDONLY, 0);

	CHECK(shm_count() == base + 2);
	close(a);
	CHECK(shm_count() == base + 1);
	close(b);
	close(b2);
	CHECK(shm_count() == base + 1);         /* the name still holds it */
	xunlink("/t.count");
	CHECK(shm_count() == base);
}

/* --------------------------------------------------------------- programs */

static void shmdemo_runs_and_verifies(void)
{
	char *argv[] = { "/bin/shmdemo", "4", "5000", NULL };

	CHECK(run_prog(argv) == 0);
}

static void shmctl_create_truncate_ls_stat_dump_rm(void)
{
	char *create[] = { "/bin/shmctl", "create", "/t.ctl", NULL };
	char *trunc[] = { "/bin/shmctl", "truncate", "-s", "40", "/t.ctl", NULL };
	char *ls[] = { "/bin/shmctl", "ls", NULL };
	char *stat_[] = { "/bin/shmctl", "stat", "/t.ctl", NULL };
	char *dump[] = { "/bin/shmctl", "dump", "/t.ctl", NULL };
	char *rm[] = { "/bin/shmctl", "rm", "/t.ctl", NULL };
	char *bad[] = { "/bin/shmctl", "stat", "/t.ctl", NULL };
	struct stat st;

	shm_unlink("/t.ctl");
	CHECK(run_prog(create) == 0);
	CHECK(run_prog(trunc) == 0);
	int fd = xopen("/t.ctl", O_RDWR, 0);
	xfstat(fd, &st);
	CHECK(st.st_size == 40);
	strcpy(xmap_shared(fd, PG), "hello from shm_test");
	close(fd);
	CHECK(run_prog(ls) == 0);
	CHECK(run_prog(stat_) == 0);
	CHECK(run_prog(dump) == 0);
	CHECK(run_prog(rm) == 0);
	CHECK_ERR(shm_open("/t.ctl", O_RDONLY, 0), ENOENT);
	CHECK(run_prog(bad) != 0);
}

/* ------------------------------------------------------- memfd and seals */

#define MPG 4096

static int memfd(unsigned int flags)
{
	int fd = memfd_create("shm_test", flags);
	CHECKF(fd >= 0, "memfd_create: errno %d", errno);
	return fd;
}

/* A memfd is read, written and seeked like a file, and maps the same bytes. */
static void memfd_reads_writes_and_maps_the_same_bytes(void)
{
	char buf[8];
	int fd = memfd(0);
	CHECK(write(fd, "hello", 5) == 5);
	struct stat st;
	CHECK(fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 5);
	CHECK(lseek(fd, 0, SEEK_SET) == 0 && read(fd, buf, 8) == 5 && memcmp(buf, "hello", 5) == 0);
	CHECK(ftruncate(fd, MPG) == 0);
	char *p = mmap(NULL, MPG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(p != MAP_FAILED);
	CHECK(memcmp(p, "hello", 5) == 0);
	memcpy(p + 100, "mapped", 6);
	CHECK(pread(fd, buf, 6, 100) == 6 && memcmp(buf, "mapped", 6) == 0);
	CHECK(pwrite(fd, "again", 5, 200) == 5 && memcmp(p + 200, "again", 5) == 0);
	CHECK(lseek(fd, 0, SEEK_END) == MPG);
	CHECK(munmap(p, MPG) == 0);
	close(fd);
}

/* Flags, names, close-on-exec, and the seal every unsealable object has. */
static void memfd_flags_names_and_the_default_seal(void)
{
	char longname[300];
	memset(longname, 'n', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	CHECK_ERR(memfd_create("x", 4), EINVAL);
	CHECK_ERR(memfd_create(longname, 0), EINVAL);
	CHECK_ERR(memfd_create((const char *)16, 0), EFAULT);
	int fd = memfd(MFD_CLOEXEC);
	CHECK(fcntl(fd, F_GETFD) == FD_CLOEXEC);
	CHECK(fcntl(fd, F_GET_SEALS) == F_SEAL_SEAL);
	CHECK_ERR(fcntl(fd, F_ADD_SEALS, F_SEAL_GROW), EPERM);
	close(fd);
	fd = shm_open(SHM_ANON, O_RDWR, 0600);
	CHECK(fd >= 0);
	CHECK(fcntl(fd, F_GET_SEALS) == F_SEAL_SEAL);   /* shm_open objects: not sealable */
	CHECK_ERR(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE), EPERM);
	CHECK_ERR(write(fd, "x", 1), EOPNOTSUPP);       /* and still not written by write */
	close(fd);
	int pfd[2];
	CHECK(pipe(pfd) == 0);
	CHECK_ERR(fcntl(pfd[0], F_GET_SEALS), EINVAL);
	CHECK_ERR(fcntl(pfd[1], F_ADD_SEALS, F_SEAL_SEAL), EINVAL);
	close(pfd[0]);
	close(pfd[1]);
}

/* Each seal against each operation it forbids, and what it leaves alone. */
static void each_seal_forbids_its_operations(void)
{
	int fd = memfd(MFD_ALLOW_SEALING);
	CHECK(fcntl(fd, F_GET_SEALS) == 0);
	CHECK(ftruncate(fd, 2 * MPG) == 0);
	CHECK_ERR(fcntl(fd, F_ADD_SEALS, 0x100), EINVAL);
	CHECK(fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK) == 0);
	CHECK_ERR(ftruncate(fd, MPG), EPERM);
	CHECK(ftruncate(fd, 3 * MPG) == 0);             /* growing is still allowed */
	CHECK(fcntl(fd, F_ADD_SEALS, F_SEAL_GROW) == 0);
	CHECK_ERR(ftruncate(fd, 4 * MPG), EPERM);
	CHECK_ERR(pwrite(fd, "x", 1, 3 * MPG), EPERM);  /* a write past the end grows */
	CHECK(pwrite(fd, "in", 2, 10) == 2);            /* inside: fine */
	CHECK(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE) == 0);
	CHECK_ERR(pwrite(fd, "no", 2, 10), EPERM);
	CHECK(mmap(NULL, MPG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) == MAP_FAILED && errno == EPERM);
	char *ro = mmap(NULL, MPG, PROT_READ, MAP_SHARED, fd, 0);
	CHECK(ro != MAP_FAILED && memcmp(ro + 10, "in", 2) == 0);
	CHECK_ERR(mprotect(ro, MPG, PROT_READ | PROT_WRITE), EACCES);
	char *priv = mmap(NULL, MPG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK(priv != MAP_FAILED);
	priv[10] = 'X';                                 /* a private copy: allowed */
	CHECK(ro[10] == 'i');
	CHECK(fcntl(fd, F_GET_SEALS) == (F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE));
	CHECK(fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL) == 0);
	CHECK_ERR(fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK), EPERM);
	CHECK(munmap(ro, MPG) == 0 && munmap(priv, MPG) == 0);
	close(fd);
}

/* F_SEAL_WRITE waits for every writable shared mapping to go, a child's too. */
static void write_seal_is_busy_while_a_writable_mapping_exists(void)
{
	int fd = memfd(MFD_ALLOW_SEALING);
	CHECK(ftruncate(fd, 2 * MPG) == 0);
	char *p = mmap(NULL, 2 * MPG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(p != MAP_FAILED);
	CHECK_ERR(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE), EBUSY);
	CHECK(munmap(p + MPG, MPG) == 0);               /* half of it: still a writer */
	CHECK_ERR(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE), EBUSY);
	int go[2];
	CHECK(pipe(go) == 0);
	pid_t pid = test_fork();
	if (pid == 0) {                                 /* inherits the mapping */
		char c;
		close(go[1]);
		CHECK(read(go[0], &c, 1) == 0);
		_exit(0);
	}
	close(go[0]);
	CHECK(munmap(p, MPG) == 0);                     /* ours is gone, the child's is not */
	CHECK_ERR(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE), EBUSY);
	close(go[1]);
	CHECK(test_wait(pid) == 0);
	CHECK(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE) == 0);
	close(fd);
}

/* Send descriptor fd with one byte over socket s (SCM_RIGHTS). */
static int send_one_fd(int s, int fd)
{
	char byte = 'f';
	struct iovec iov = { &byte, 1 };
	union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof(int))]; } u;
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
			    .msg_controllen = sizeof(u.buf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	return sendmsg(s, &m, 0) == 1 ? 0 : -1;
}

/* The descriptor sent with one byte over s, or -1. */
static int recv_one_fd(int s)
{
	char byte;
	struct iovec iov = { &byte, 1 };
	union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof(int))]; } u;
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
			    .msg_controllen = sizeof(u.buf) };
	if (recvmsg(s, &m, 0) != 1)
		return -1;
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	int fd = -1;
	if (c != NULL && c->cmsg_type == SCM_RIGHTS)
		memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

/*
 * Why seals exist: a receiver can trust a sealed object.  A child makes a
 * memfd, fills it, seals it against shrinking, growing and writing, and
 * passes it over a socket; the parent checks the seals and may then use
 * the size it sees without fearing that the sender truncates it under
 * its mapping (SIGBUS) or changes it after the check.
 */
static void sealed_memfd_passed_over_a_socket_can_be_trusted(void)
{
	int sv[2];
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	pid_t pid = test_fork();
	if (pid == 0) {
		close(sv[0]);
		int fd = memfd(MFD_ALLOW_SEALING);
		CHECK(write(fd, "sealed message", 14) == 14);
		CHECK(fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) == 0);
		CHECK(send_one_fd(sv[1], fd) == 0);
		CHECK_ERR(ftruncate(fd, 0), EPERM);     /* the sender cannot take it back */
		_exit(0);
	}
	close(sv[1]);
	int fd = recv_one_fd(sv[0]);
	CHECK(fd >= 0);
	int seals = fcntl(fd, F_GET_SEALS);
	CHECKF((seals & (F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)) ==
	       (F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE), "seals %#x", seals);
	struct stat st;
	CHECK(fstat(fd, &st) == 0 && st.st_size == 14);
	char *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
	CHECK(p != MAP_FAILED && memcmp(p, "sealed message", 14) == 0);
	CHECK(test_wait(pid) == 0);
	CHECK(munmap(p, (size_t)st.st_size) == 0);
	close(fd);
	close(sv[0]);
}

static const struct test_case cases[] = {
	/* flags */
	TEST_CASE(shm_open_wronly_einval),
	TEST_CASE(shm_open_unknown_flags_einval),
	TEST_CASE(shm_open_all_allowed_flags_accepted),
	TEST_CASE(shm_open_descriptor_always_cloexec),
	TEST_CASE(shm_descriptor_closed_by_exec),
	TEST_CASE(shm_open_takes_lowest_free_slot),
	/* order of checks */
	TEST_CASE(shm_open_flags_checked_before_emfile),
	TEST_CASE(shm_open_emfile_before_path_checks),
	TEST_CASE(shm_open_bad_pointer_efault),
	TEST_CASE(shm_open_path_running_into_unmapped_page_efault),
	TEST_CASE(shm_open_1024_byte_path_enametoolong),
	TEST_CASE(shm_open_length_checked_before_slash),
	TEST_CASE(shm_open_path_without_slash_einval),
	TEST_CASE(shm_open_missing_without_creat_enoent),
	/* name space */
	TEST_CASE(shm_name_space_is_flat),
	TEST_CASE(shm_double_slash_is_a_different_object),
	TEST_CASE(shm_root_slash_is_a_valid_name),
	TEST_CASE(shm_fnv_collision_pair_works_independently),
	TEST_CASE(shm_fnv_collision_pair_unlink_order),
	TEST_CASE(shm_fnv_collision_pair_newest_unlinked_first),
	TEST_CASE(shm_fnv_collision_pair_newest_renamed),
	TEST_CASE(shm_2000_names_created_verified_removed),
	TEST_CASE(shm_exclusive_create_race_among_8_children),
	/* creation */
	TEST_CASE(shm_create_mode_masked_by_umask),
	TEST_CASE(shm_create_starts_empty_with_times_now),
	TEST_CASE(shm_creator_owns_and_gets_access_even_with_mode_0),
	/* existing */
	TEST_CASE(shm_open_excl_eexist_checked_before_permissions),
	TEST_CASE(shm_open_existing_checks_mode_uid_gid),
	TEST_CASE(shm_open_rdwr_needs_read_permission_too),
	TEST_CASE(shm_open_existing_ignores_mode),
	TEST_CASE(shm_o_trunc_empties_only_with_rdwr),
	/* SHM_ANON */
	TEST_CASE(shm_anon_makes_unnamed_object),
	TEST_CASE(shm_anon_rdonly_einval),
	TEST_CASE(shm_anon_ignores_creat_excl_trunc),
	TEST_CASE(shm_anon_shared_across_fork),
	/* shm_unlink */
	TEST_CASE(shm_unlink_missing_enoent),
	TEST_CASE(shm_unlink_path_errors_like_shm_open),
	TEST_CASE(shm_unlink_needs_write_permission),
	TEST_CASE(shm_unlink_removes_name_at_once),
	TEST_CASE(shm_unlink_then_creat_makes_new_object),
	TEST_CASE(shm_unlink_keeps_mapping_alive),
	/* ftruncate */
	TEST_CASE(shm_ftruncate_negative_einval),
	TEST_CASE(shm_ftruncate_rdonly_descriptor_einval),
	TEST_CASE(shm_ftruncate_grow_reads_zero_pages_allocated_lazily),
	TEST_CASE(shm_ftruncate_shrink_frees_pages),
	TEST_CASE(shm_ftruncate_shrink_zeroes_partial_tail),
	TEST_CASE(shm_shrink_into_untouched_page_reads_zero),
	TEST_CASE(shm_touch_past_end_after_shrink_sigbus),
	TEST_CASE(shm_regrow_after_shrink_reads_zero),
	TEST_CASE(shm_grow_zeroes_bytes_written_past_old_end),
	TEST_CASE(shm_ftruncate_updates_mtime_and_ctime),
	/* fstat */
	TEST_CASE(shm_fstat_fields),
	TEST_CASE(shm_fstat_ino_unique_per_object),
	/* mmap */
	TEST_CASE(shm_mmap_shared_write_on_rdonly_descriptor_eacces),
	TEST_CASE(shm_mmap_eacces_checked_before_size),
	TEST_CASE(shm_mmap_past_end_sigbus),
	TEST_CASE(shm_mmap_of_empty_object_sigbus),
	TEST_CASE(shm_populate_stops_at_the_end_of_the_object),
	TEST_CASE(shm_mmap_offset_maps_later_pages),
	TEST_CASE(shm_mmap_private_is_copy_on_write_snapshot),
	TEST_CASE(shm_private_mapping_at_offset_survives_collapse),
	TEST_CASE(shm_mapping_shared_across_fork),
	TEST_CASE(shm_mapping_shared_between_opens_by_name),
	TEST_CASE(shm_data_outlives_descriptor_and_name),
	TEST_CASE(shm_pages_freed_when_last_mapping_goes_and_not_before),
	TEST_CASE(shm_pages_freed_when_last_process_mapping_exits),
	/* refused operations */
	TEST_CASE(shm_read_write_eopnotsupp_ioctl_enotty),
	TEST_CASE(shm_lseek_espipe),
	/* fchmod, fchown */
	TEST_CASE(shm_fchmod_by_owner_keeps_0777_bits),
	TEST_CASE(shm_fchmod_fchown_owner_or_root_only),
	/* shm_rename */
	TEST_CASE(shm_rename_moves_the_object),
	TEST_CASE(shm_rename_replaces_existing_target),
	TEST_CASE(shm_rename_noreplace_existing_target_eexist),
	TEST_CASE(shm_rename_exchange_swaps_names),
	TEST_CASE(shm_rename_bad_flags_einval),
	TEST_CASE(shm_rename_shm_anon_einval),
	TEST_CASE(shm_rename_to_itself_changes_nothing),
	TEST_CASE(shm_rename_path_errors),
	TEST_CASE(shm_rename_needs_write_permission),
	TEST_CASE(shm_rename_long_names),
	/* introspection and counters */
	TEST_CASE(shm_list_reports_named_objects),
	TEST_CASE(shm_counter_follows_objects),
	/* programs */
	TEST_CASE(shmdemo_runs_and_verifies),
	TEST_CASE(shmctl_create_truncate_ls_stat_dump_rm),
	TEST_CASE(memfd_reads_writes_and_maps_the_same_bytes),
	TEST_CASE(memfd_flags_names_and_the_default_seal),
	TEST_CASE(each_seal_forbids_its_operations),
	TEST_CASE(write_seal_is_busy_while_a_writable_mapping_exists),
	TEST_CASE(sealed_memfd_passed_over_a_socket_can_be_trusted),
};

/* After exec: the descriptor named in argv[2] must be closed. */
static int helper_fd_closed(char **argv)
{
	int fd = atoi(argv[2]);

	return fcntl(fd, F_GETFD) == -1 && errno == EBADF ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], HELPER_FLAG) == 0)
		return helper_fd_closed(argv);
	return test_main("shm", cases, TEST_COUNT(cases), argc, argv);
}

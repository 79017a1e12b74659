/*
 * fuzz_test.c - the fuzz suite: random system calls, one at a time and
 * in stateful sequences.
 *
 * The standard this kernel keeps: no system call argument - a bad pointer,
 * a kernel address, a huge length, a garbage flag word - may crash the
 * kernel or lose a resource.  Nor may any sequence of calls: a process may
 * build, pass around and abandon any structure of descriptors, mappings,
 * names and processes, give up root, and die at any point, and the kernel
 * must clean up after it and keep users apart.  Two modes test that.
 *
 * random_syscalls_seed_N: each case forks a process that makes a few
 * thousand system calls chosen from the table below, with arguments drawn
 * from a pool of interesting values (0, -1, page boundaries, kernel and
 * non-canonical addresses, huge sizes), pointers into a scratch buffer full
 * of random bytes, and plain random numbers.  The process may die (it may
 * unmap its own stack) or block (it may wait for a child it never had, or
 * read an empty pipe); it is killed after half a second, and the case goes
 * on with the next of its processes.  The case passes when
 * the kernel is still standing and the runner's leak check finds every
 * page, object, file and socket back where it was.  Left out: calls that
 * end the run or reach outside the process (exit, poweroff, kill, fork),
 * and bind/shm_open/shm_rename, whose random names would legitimately
 * outlive the case (a name is state, not a leak).
 *
 * link_calls_with_hostile_paths_seed_N: the calls on names, links above
 * all, with hostile paths (see that section).
 *
 * stateful_seed_N: one round of the stateful fuzzer (user/tests/lib/fuzz.h),
 * which keeps what its calls create and uses it in later calls, forks,
 * passes descriptors, gives up root, and checks the kernel's counters and
 * a few rules about users after each round.  The same fuzzer runs for as
 * long as you like outside the suite:
 *
 *	fuzz_test -seed S [-rounds R] [-calls M] [-v [-v [-v]]] [-k]
 *
 * runs rounds S, S+1, ..., S+R-1 (R = 1 by default) with M calls per
 * process; -v prints statistics per round, -v -v every call, -v -v -v
 * also each call before it is made, -k goes on after a failing round.
 * `make fuzz` boots the kernel once to do that.
 *
 * Every generator is seeded from the case or the command line, so a
 * failure names a seed that replays it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <dirent.h>
#include <limits.h>
#include <time.h>
#include <unistd.h>

#include "fuzz.h"
#include "testlib.h"
#include "uapi/syscall.h"

#define PROCS_PER_CASE  4               /* a process may die early: use several */
#define CALLS_PER_PROC  750
#define BLOCK_LIMIT_NS  500000000ull    /* a process that blocks is killed after this */

static const int calls[] = {
	SYS_read, SYS_write, SYS_open, SYS_close, SYS_stat, SYS_fstat, SYS_poll, SYS_lseek,
	SYS_mmap, SYS_mprotect, SYS_munmap, SYS_brk, SYS_rt_sigaction, SYS_rt_sigprocmask,
	SYS_ioctl, SYS_pipe, SYS_sched_yield, SYS_dup, SYS_dup2, SYS_nanosleep, SYS_getpid,
	SYS_wait4, SYS_fcntl, SYS_ftruncate, SYS_getcwd, SYS_chdir, SYS_unlink, SYS_mkdir, SYS_rmdir, SYS_rename, SYS_pread64, SYS_pwrite64, SYS_fsync, SYS_fchmod,
	SYS_lstat, SYS_link, SYS_symlink, SYS_readlink, SYS_chmod, SYS_chown, SYS_lchown,
	SYS_utimensat,
	SYS_fchown, SYS_umask, SYS_getuid, SYS_setuid, SYS_setgid, SYS_getdents64,
	SYS_clock_gettime, SYS_dup3, SYS_pipe2, SYS_execve,
	SYS_rt_sigpending, SYS_rt_sigsuspend, SYS_rt_sigtimedwait,
	SYS_sigaltstack, SYS_alarm, SYS_setitimer, SYS_getitimer, SYS_clock_nanosleep,
	41, 53, 50, 43, 288, 42, 51, 52, 48, 44, 45, 46, 47, 54, 55,   /* socket calls but bind */
	SYS_shm_unlink, SYS_kcounters, SYS_kprocs, SYS_shm_list, SYS_kvmmap,
	7777, -1,                                                       /* no such call */
};

static uint64_t rng;
static unsigned char scratch[8192];

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static long fuzz_arg(void)
{
	static const long pool[] = {
		0, 1, 2, 3, -1, -4096, 4096, 0x7fffffff, 1L << 40, 0x1000, 0x400000, 8, 16, 255, 256,
		(long)0xffffffff80100000ul, (long)0x0000800000000000ul, (long)0x00007ffffffff000ul,
		(long)0x8000000000000000ul,
	};
	switch (next() % 4) {
	case 0: return pool[next() % (sizeof(pool) / sizeof(pool[0]))];
	case 1: return (long)(scratch + next() % sizeof(scratch));
	case 2: return (long)next();
	default: return (long)(next() % 300);
	}
}

static long raw_syscall6(long n, long a, long b, long c, long d, long e, long f)
{
	long ret;
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;

	__asm__ volatile("syscall" : "=a"(ret)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

/* The fuzzing process: quiet descriptors, random scratch, then the calls. */
static void fuzz_child(uint64_t seed)
{
	int null = open("/dev/null", O_RDWR);

	for (int fd = 0; fd < 3; fd++)
		dup2(null, fd);
	rng = seed * 0x9e3779b97f4a7c15ull + 1;
	for (size_t i = 0; i < sizeof(scratch); i++) {
		scratch[i] = (unsigned char)next();
		if (scratch[i] == '/')
			scratch[i] = 'x';       /* no absolute names: see the top */
	}
	for (int i = 0; i < CALLS_PER_PROC; i++) {
		long n = calls[next() % (sizeof(calls) / sizeof(calls[0]))];
		long a = fuzz_arg(), b = fuzz_arg(), c = fuzz_arg();
		long d = fuzz_arg(), e = fuzz_arg(), f = fuzz_arg();
		raw_syscall6(n, a, b, c, d, e, f);
	}
	_exit(0);
}

static void fuzz_one_process(uint64_t seed)
{
	struct timespec tick = { 0, 1000000 };
	uint64_t deadline = test_now_ns() + BLOCK_LIMIT_NS;
	bool killed = false;
	int status;
	pid_t pid = test_fork();

	if (pid == 0)
		fuzz_child(seed);
	while (waitpid(pid, &status, WNOHANG) == 0) {
		if (!killed && test_now_ns() > deadline) {
			CHECK(kill(pid, SIGKILL) == 0);     /* it blocked: fine, stop it */
			killed = true;
		}
		nanosleep(&tick, NULL);
	}
	/* Its own children, if it made any, are init's to reap. */
}

static void fuzz_with_seed(uint64_t seed)
{
	for (uint64_t i = 0; i < PROCS_PER_CASE; i++)
		fuzz_one_process(seed * PROCS_PER_CASE + i);
}

#define SEED_CASE(n) static void random_syscalls_seed_##n(void) { fuzz_with_seed(n); }
SEED_CASE(1)
SEED_CASE(2)
SEED_CASE(3)
SEED_CASE(4)
SEED_CASE(5)
SEED_CASE(6)
SEED_CASE(7)
SEED_CASE(8)

/* ------------------------------------------- hostile paths, link calls */

/*
 * link_calls_with_hostile_paths_seed_N: the name calls that follow (or
 * not) symbolic links -- symlink, link, readlink, lstat, stat, open,
 * rename, chmod, chown, lchown, utimensat, unlink, mkdir, rmdir, chdir --
 * on paths built from a small vocabulary: a few names (so that calls meet
 * each other's work: links that loop, a->b->a and a->a, links to
 * directories, hard links), ".", "..", "//", names of NAME_MAX and
 * NAME_MAX + 1 bytes, ".." chains that climb past the root, paths past
 * PATH_MAX, and names whose bytes run into an unmapped page without a
 * NUL.  Every call must succeed or fail with an errno from the list the
 * calls are documented to give; EFAULT only for the unterminated names.
 * The calls run as uid 1000, so that a link climbing out of the case's
 * directory cannot change what root owns; root removes what they made
 * (every name beginning "fzl" in /tmp and below), and the runner's leak
 * check must then find every node, page and file back.
 */
#define FZ_DIR          "/tmp/fzl.d"
#define LINK_CALLS      1500

static char fz_long255[256], fz_long256[257];

static const char *fz_piece(void)
{
	static const char *const pieces[] = {
		"fzlA", "fzlB", "fzlL1", "fzlL2", "fzlD", "fzlE", "..", ".", "", "fzlA", "fzlL1", "fzlD",
		fz_long255, fz_long256,
	};
	return pieces[next() % (sizeof(pieces) / sizeof(pieces[0]))];
}

/* A random path in buf (size >= PATH_MAX + 200). */
static char *fz_path(char *buf, size_t size)
{
	static const char *const starts[] = { "/tmp/fzl.d/", "/", "../../../../../", "./", "../" };
	size_t len = (size_t)snprintf(buf, size, "%s", next() % 2 ? "" : starts[next() % 5]);
	if (next() % 40 == 0) {                 /* past PATH_MAX: a ".." or a name chain */
		const char *rep = next() % 2 ? "../" : "fzlD/";
		while (len + 5 < size && len < PATH_MAX + 100)
			len += (size_t)snprintf(buf + len, size - len, "%s", rep);
		return buf;
	}
	int n = 1 + (int)(next() % 4 ? next() % 2 : next() % 5);     /* mostly short */
	for (int i = 0; i < n && len + 300 < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? (next() % 5 ? "/" : "//") : "",
		    fz_piece());
	if (next() % 8 == 0 && len + 1 < size)
		buf[len++] = '/', buf[len] = '\0';
	if (len == 0)
		snprintf(buf, size, "fzlA");
	return buf;
}

/* The errors the name calls may give a user (EFAULT only when allowed). */
static bool fz_errno_ok(int e, bool fault)
{
	switch (e) {
	case ENOENT: case EEXIST: case ENOTDIR: case EISDIR: case ENOTEMPTY: case ELOOP:
	case ENAMETOOLONG: case EACCES: case EPERM: case EXDEV: case EROFS: case EINVAL:
	case EBUSY: case EMLINK: case ENOSPC: case ENXIO:
		return true;
	case EFAULT:
		return fault;
	default:
		return false;
	}
}

/* One random name call on a and b; answers its result (errno set). */
static long fz_link_call(int which, const char *a, const char *b)
{
	char buf[64];
	struct stat st;
	struct timespec t[2] = { { (long)(next() % 5000), (long)(next() % 1000000000) },
		{ 0, next() % 2 ? UTIME_NOW : UTIME_OMIT } };
	long r;
	switch (which) {
	case 0: return symlink(b, a);
	case 1: return link(a, b);
	case 2: return readlink(a, buf, 1 + next() % sizeof(buf));
	case 3: return lstat(a, &st);
	case 4: return stat(a, &st);
	case 5: {
		static const int flags[] = { O_RDONLY, O_WRONLY | O_CREAT, O_RDONLY | O_NOFOLLOW,
			O_RDONLY | O_DIRECTORY, O_RDWR | O_CREAT | O_EXCL, O_WRONLY | O_TRUNC };
		r = open(a, flags[next() % 6], 0666);
		if (r >= 0)
			close((int)r);
		return r < 0 ? r : 0;
	}
	case 6: return rename(a, b);
	case 7: return chmod(a, (mode_t)(next() % 01000));
	case 8: return chown(a, (uid_t)(next() % 3 == 0 ? 1000 : next() % 2000), (gid_t)-1);
	case 9: return lchown(a, (uid_t)-1, (gid_t)(next() % 3 == 0 ? 1000 : next() % 2000));
	case 10: return utimensat(AT_FDCWD, a, next() % 3 ? t : NULL,
		    next() % 2 ? AT_SYMLINK_NOFOLLOW : 0);
	case 11: return unlink(a);
	case 12: return mkdir(a, 0777);
	case 13: return rmdir(a);
	default:
		r = chdir(a);
		if (chdir(FZ_DIR) < 0 && chdir("/tmp") < 0)
			FAIL("chdir back: errno %d", errno);
		return r;
	}
}

#define FZ_LINK_KINDS   15

static void fz_link_child(void *arg)
{
	static char a[PATH_MAX + 400], b[PATH_MAX + 400];
	rng = (uint64_t)(uintptr_t)arg * 0x9e3779b97f4a7c15ull + 7;
	CHECK(setgid(1000) == 0 && setuid(1000) == 0);
	CHECK(chdir(FZ_DIR) == 0);
	/* Two pages, the second unmapped: a name can end at the hole. */
	char *pg = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(pg != MAP_FAILED && munmap(pg + 4096, 4096) == 0);
	for (int i = 0; i < LINK_CALLS; i++) {
		int which = (int)(next() % FZ_LINK_KINDS);
		fz_path(a, sizeof(a));
		fz_path(b, sizeof(b));
		const char *pa = a, *pb = b;
		bool fault = next() % 16 == 0;
		if (fault) {                    /* a's bytes run into the hole, no NUL */
			size_t n = strlen(a) > 4000 ? 4000 : strlen(a);
			memcpy(pg + 4096 - n, a, n);
			pa = pg + 4096 - n;
			if (next() % 2)
				pb = pa;
		}
		errno = 0;
		long r = fz_link_call(which, pa, pb);
		if (r < 0 && !fz_errno_ok(errno, fault))
			FAIL("call %d (kind %d) on \"%.60s\", \"%.60s\": errno %d", i, which,
			    fault ? "(unterminated)" : a, b, errno);
	}
	_exit(0);
}

/* Remove every name beginning "fzl" under dir (all of them with all), not
 * following links. */
static void fz_remove_tree(const char *dir, bool all)
{
	char path[PATH_MAX];
	char names[64][300];
	int n = 0;
	DIR *d = opendir(dir);
	if (d == NULL)
		return;
	for (struct dirent *e; (e = readdir(d)) != NULL && n < 64; )
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0 &&
		    (all || strncmp(e->d_name, "fzl", 3) == 0))
			snprintf(names[n++], sizeof(names[0]), "%s", e->d_name);
	closedir(d);
	for (int i = 0; i < n; i++) {
		struct stat st;
		snprintf(path, sizeof(path), "%.3500s/%.280s", dir, names[i]);
		if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			fz_remove_tree(path, true);
			CHECKF(rmdir(path) == 0, "rmdir %s: errno %d", path, errno);
		} else {
			CHECKF(unlink(path) == 0, "unlink %s: errno %d", path, errno);
		}
	}
	if (n == 64)
		fz_remove_tree(dir, all);       /* more than one batch */
}

static void link_calls_with_hostile_paths(uint64_t seed)
{
	memset(fz_long255, 'f', sizeof(fz_long255) - 1);
	memset(fz_long256, 'f', sizeof(fz_long256) - 1);
	memcpy(fz_long255, "fzl", 3);                   /* the cleanup's prefix */
	memcpy(fz_long256, "fzl", 3);
	fz_remove_tree("/tmp", false);
	CHECK(mkdir(FZ_DIR, 0777) == 0 && chmod(FZ_DIR, 0777) == 0);
	int status = run_in_child(fz_link_child, (void *)(uintptr_t)seed);
	char why[48];
	CHECKF(status == 0, "the fuzzing child: %s", test_status_str(status, why, sizeof(why)));
	struct stat st;
	CHECK(stat("/tmp", &st) == 0 && (st.st_mode & 07777) == 01777 && st.st_uid == 0);
	fz_remove_tree("/tmp", false);
}

#define LINK_CASE(n) \
	static void link_calls_with_hostile_paths_seed_##n(void) { link_calls_with_hostile_paths(n); }
LINK_CASE(1)
LINK_CASE(2)
LINK_CASE(3)

/* ------------------------------------------------------ stateful mode */

/*
 * The suite runs rounds of the stateful fuzzer (a few thousand calls in
 * all, about a second): four seeds whose rounds run four to six processes
 * and give up root, and the seeds that found bugs, named after them --
 * kill(-1) from uid 1000 reached root (seed 2), uid 1000 could unlink
 * root's socket name (seed 4), the in-flight collector looped for ever
 * (seed 84).  (The socket chain that overflowed the kernel stack needs a
 * longer round: harden.socket_chain_* test it directly.)
 */
#define STATEFUL_CALLS 200      /* per process */

static void stateful_round(uint64_t seed)
{
	struct fuzz_options o = { .seed = seed, .rounds = 1, .calls = STATEFUL_CALLS };
	static char why[1600];

	if (fuzz_run(&o, why, sizeof(why)) != 0) {
		errno = 0;              /* the reason says it all */
		FAIL("%s", why);
	}
}

#define STATEFUL_CASE(n) static void stateful_seed_##n(void) { stateful_round(n); }
STATEFUL_CASE(13)
STATEFUL_CASE(28)
STATEFUL_CASE(55)
STATEFUL_CASE(68)
static void stateful_seed_2_kill_all_reached_root(void) { stateful_round(2); }
static void stateful_seed_4_unlink_of_roots_socket_name(void) { stateful_round(4); }
static void stateful_seed_84_collector_looped_for_ever(void) { stateful_round(84); }

static int usage(void)
{
	dprintf(2, "usage: fuzz_test [case ...]\n"
		"       fuzz_test -seed S [-rounds R] [-calls M] [-v [-v [-v]]] [-k]\n");
	return 2;
}

/* fuzz_test -seed S ...: the stateful fuzzer from the command line. */
static int stateful_main(int argc, char **argv)
{
	struct fuzz_options o = { .rounds = 1, .calls = FUZZ_DEFAULT_CALLS };
	static char why[1600];
	bool seeded = false;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(a, "-v") == 0) {
			o.verbose++;
		} else if (strcmp(a, "-k") == 0) {
			o.keep_going = true;
		} else if (v == NULL) {
			return usage();
		} else if (strcmp(a, "-seed") == 0) {
			o.seed = strtoull(v, NULL, 0);
			seeded = true;
			i++;
		} else if (strcmp(a, "-rounds") == 0) {
			o.rounds = (unsigned)strtoul(v, NULL, 0);
			i++;
		} else if (strcmp(a, "-calls") == 0) {
			o.calls = (unsigned)strtoul(v, NULL, 0);
			i++;
		} else {
			return usage();
		}
	}
	if (!seeded)
		return usage();
	o.progress = o.rounds > 1;
	if (fuzz_run(&o, why, sizeof(why)) == 0)
		return 0;
	dprintf(1, "fuzz: FAILED: %s\n", why);
	return 1;
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		TEST_CASE(random_syscalls_seed_1),
		TEST_CASE(random_syscalls_seed_2),
		TEST_CASE(random_syscalls_seed_3),
		TEST_CASE(random_syscalls_seed_4),
		TEST_CASE(random_syscalls_seed_5),
		TEST_CASE(random_syscalls_seed_6),
		TEST_CASE(random_syscalls_seed_7),
		TEST_CASE(random_syscalls_seed_8),
		TEST_CASE(link_calls_with_hostile_paths_seed_1),
		TEST_CASE(link_calls_with_hostile_paths_seed_2),
		TEST_CASE(link_calls_with_hostile_paths_seed_3),
		TEST_CASE(stateful_seed_13),
		TEST_CASE(stateful_seed_28),
		TEST_CASE(stateful_seed_55),
		TEST_CASE(stateful_seed_68),
		TEST_CASE(stateful_seed_2_kill_all_reached_root),
		TEST_CASE(stateful_seed_4_unlink_of_roots_socket_name),
		TEST_CASE(stateful_seed_84_collector_looped_for_ever),
	};

	/* Before anything forks: see fuzz.h.  The runner must outlive a
	 * kernel that lets kill(-1) from uid 1000 reach root. */
	fuzz_ignore_killall_signals();
	if (argc > 1 && argv[1][0] == '-' && argv[1][1] != '\0')
		return stateful_main(argc, argv);
	return test_main("fuzz", cases, TEST_COUNT(cases), argc, argv);
}

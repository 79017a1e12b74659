/*
 * fuzz_test.c - random system calls with random arguments (suite "fuzz").
 *
 * The standard this kernel keeps: no system call argument - a bad pointer,
 * a kernel address, a huge length, a garbage flag word - may crash the
 * kernel or lose a resource.  Each case forks a process that makes a few
 * thousand system calls chosen from the table below, with arguments drawn
 * from a pool of interesting values (0, -1, page boundaries, kernel and
 * non-canonical addresses, huge sizes), pointers into a scratch buffer full
 * of random bytes, and plain random numbers.  The process may die (it may
 * unmap its own stack) or block (it may wait for a child it never had, or
 * read an empty pipe); it is killed after half a second, and the case goes
 * on with the next of its processes.  The case passes when
 * the kernel is still standing and the runner's leak check finds every
 * page, object, file and socket back where it was.
 *
 * Left out: calls that end the run or reach outside the process (exit,
 * poweroff, kill, fork), and bind/shm_open/shm_rename, whose random names
 * would legitimately outlive the case (a name is state, not a leak).
 * The generator is seeded per case, so a failure names a reproducible seed.
 */
#include <fcntl.h>
#include <stdbool.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testlib.h"
#include "uapi/syscall.h"

#define PROCS_PER_CASE  4               /* a process may die early: use several */
#define CALLS_PER_PROC  750
#define BLOCK_LIMIT_NS  500000000ull    /* a process that blocks is killed after this */

static const int calls[] = {
	SYS_read, SYS_write, SYS_open, SYS_close, SYS_stat, SYS_fstat, SYS_poll, SYS_lseek,
	SYS_mmap, SYS_mprotect, SYS_munmap, SYS_brk, SYS_rt_sigaction, SYS_rt_sigprocmask,
	SYS_ioctl, SYS_pipe, SYS_sched_yield, SYS_dup, SYS_dup2, SYS_nanosleep, SYS_getpid,
	SYS_wait4, SYS_fcntl, SYS_ftruncate, SYS_getcwd, SYS_chdir, SYS_unlink, SYS_fchmod,
	SYS_fchown, SYS_umask, SYS_getuid, SYS_setuid, SYS_setgid, SYS_getdents64,
	SYS_clock_gettime, SYS_dup3, SYS_pipe2, SYS_execve,
	41, 53, 50, 43, 288, 42, 51, 52, 48, 44, 45, 46, 47, 54, 55,   /* socket calls but bind */
	SYS_shm_unlink, SYS_kcounters, SYS_kprocs, SYS_shm_list,
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

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{ "random_syscalls_seed_1", random_syscalls_seed_1 },
		{ "random_syscalls_seed_2", random_syscalls_seed_2 },
		{ "random_syscalls_seed_3", random_syscalls_seed_3 },
		{ "random_syscalls_seed_4", random_syscalls_seed_4 },
		{ "random_syscalls_seed_5", random_syscalls_seed_5 },
		{ "random_syscalls_seed_6", random_syscalls_seed_6 },
		{ "random_syscalls_seed_7", random_syscalls_seed_7 },
		{ "random_syscalls_seed_8", random_syscalls_seed_8 },
	};
	return test_main("fuzz", cases, TEST_COUNT(cases), argc, argv);
}

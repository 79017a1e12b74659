/*
 * lockstat_test.c - the "lockstat" suite: klockstat(), the kernel's count
 * of contended spinlocks (kernel/kern/lockstat.c, user/bin/lockstat.c).
 *
 * Its rules first: anyone may read, only root may reset, bad sizes, flags
 * and buffers are refused.  Then that it counts what it should: nothing
 * on one CPU, where a spinlock cannot be found held, and something once
 * two processes fault pages on two CPUs.  `make test` runs the suite on
 * two CPUs and again on one, so both sides are checked.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <vmos.h>

#include "testlib.h"

#define MAX_LOCKS 80
#define SECOND    1000000000ull
#define PG        4096

static unsigned ncpus(void)
{
	struct kcounters k;
	CHECK(kcounters(&k) == 0);
	return k.cpus == 0 ? 1 : (unsigned)k.cpus;
}

/* Every contended acquisition counted since the last reset, checking each
 * entry's sense on the way. */
static uint64_t contended_total(void)
{
	static struct klockstat st[MAX_LOCKS];
	int n = klockstat(st, MAX_LOCKS, 0);
	CHECKF(n >= 0, "klockstat: errno %d", errno);
	uint64_t sum = 0;
	for (int i = 0; i < n; i++) {
		CHECKF(st[i].name[0] != '\0' && memchr(st[i].name, '\0', sizeof(st[i].name)) != NULL &&
		       st[i].contended > 0 && st[i].max_spin_ns <= st[i].spin_ns,
		       "entry %d (%.24s): contended %llu, spin %llu ns, max %llu ns", i, st[i].name,
		       (unsigned long long)st[i].contended, (unsigned long long)st[i].spin_ns,
		       (unsigned long long)st[i].max_spin_ns);
		sum += st[i].contended;
	}
	return sum;
}

/* Fault in and unmap pages of our own until *stop (or the deadline). */
static void fault_until(volatile int *stop, uint64_t deadline)
{
	while (!*stop && test_now_ns() < deadline) {
		char *p = mmap(NULL, 64 * PG, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		CHECK(p != MAP_FAILED);
		for (int i = 0; i < 64; i++)
			p[i * PG] = 1;
		CHECK(munmap(p, 64 * PG) == 0);
	}
}

static void hostile_klockstat(void)
{
	static struct klockstat st[MAX_LOCKS];
	CHECK(setuid(1000) == 0);
	CHECKF(klockstat(st, MAX_LOCKS, 0) >= 0, "a user's read: errno %d", errno);
	CHECK_ERR(klockstat(st, MAX_LOCKS, KLOCKSTAT_RESET), EPERM);
	_exit(0);
}

/* Anyone may read the counts; only root may zero them; bad sizes and
 * flags are refused. */
static void users_read_but_only_root_resets_and_bad_arguments_are_refused(void)
{
	pid_t pid = test_fork();
	if (pid == 0)
		hostile_klockstat();
	int status = test_wait(pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK_ERR(klockstat(NULL, -1, 0), EINVAL);
	CHECK_ERR(klockstat(NULL, 0, 2), EINVAL);
	CHECK_ERR(klockstat(NULL, 0, -1), EINVAL);
	CHECK(klockstat(NULL, 0, 0) == 0);      /* room for none: writes none */
}

/* Two processes fault pages at once for at least `least` ns, then until
 * some lock was contended or `wait` ns are over; answers the contended
 * count then. */
static uint64_t fault_in_two_processes(uint64_t least, uint64_t wait)
{
	volatile int *stop = mmap(NULL, PG, PROT_READ | PROT_WRITE,
				  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK(stop != MAP_FAILED);
	pid_t pids[2];
	for (int i = 0; i < 2; i++) {
		pids[i] = test_fork();
		if (pids[i] == 0) {
			fault_until(stop, test_now_ns() + wait + 10 * SECOND);
			_exit(0);
		}
	}
	uint64_t t0 = test_now_ns(), total;
	for (;;) {
		total = contended_total();
		uint64_t spent = test_now_ns() - t0;
		if (spent >= wait || (total > 0 && spent >= least))
			break;
		struct timespec ms = { 0, 10000000 };
		nanosleep(&ms, NULL);
	}
	*stop = 1;
	for (int i = 0; i < 2; i++) {
		int status = test_wait(pids[i]);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	CHECK(munmap((void *)stop, PG) == 0);
	return total;
}

/*
 * On one CPU no spinlock is ever found held (kern/lockstat.c says why),
 * so nothing is counted since boot, nor under two processes' faults.
 */
static void one_cpu_never_contends(void)
{
	if (ncpus() != 1)
		return;                         /* the two-CPU case checks the rest */
	CHECKF(contended_total() == 0, "one CPU, and locks were contended since boot");
	uint64_t total = fault_in_two_processes(SECOND, SECOND);
	CHECKF(total == 0, "one CPU, and %llu acquisitions were contended",
	       (unsigned long long)total);
}

/*
 * On two CPUs the same faults fight over the page allocator's and the
 * pmap's locks within moments; the case waits up to 20 s for the first,
 * then checks that a bad buffer is refused now that there is something to
 * write, and that a reset zeroes the counts.
 */
static void two_cpus_faulting_contend_and_a_reset_zeroes(void)
{
	unsigned cpus = ncpus();
	if (cpus < 2)
		return;                         /* one_cpu_never_contends checks that */
	CHECK(klockstat(NULL, 0, KLOCKSTAT_RESET) == 0);
	/* A fifth of a second at least, so that the counts are well above
	 * what the quiet system could add between the reset and the look. */
	uint64_t total = fault_in_two_processes(SECOND / 5, 20 * SECOND);
	CHECKF(total > 0, "no lock contended in 20 s of two processes' faults on %u CPUs", cpus);
	CHECK_ERR(klockstat((void *)16, MAX_LOCKS, 0), EFAULT);
	CHECK_ERR(klockstat((void *)0xffffffff80000000ul, MAX_LOCKS, 0), EFAULT);
	total = contended_total();
	static struct klockstat st[MAX_LOCKS];
	CHECK(klockstat(st, MAX_LOCKS, KLOCKSTAT_RESET) > 0);
	uint64_t after = contended_total();
	CHECKF(after < total, "%llu contended before the reset, %llu after",
	       (unsigned long long)total, (unsigned long long)after);
}

static const struct test_case cases[] = {
	TEST_CASE(users_read_but_only_root_resets_and_bad_arguments_are_refused),
	TEST_CASE(one_cpu_never_contends),
	TEST_CASE(two_cpus_faulting_contend_and_a_reset_zeroes),
};

int main(int argc, char **argv)
{
	return test_main("lockstat", cases, TEST_COUNT(cases), argc, argv);
}

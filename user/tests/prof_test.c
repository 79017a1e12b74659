/*
 * prof_test.c - the "prof" suite: the kernel's sampling profiler (kprof).
 *
 * The cases check the system call's rules, then the last one makes a
 * profile whose answer is known: it spins in a user function of its own,
 * then spends as long in a system call.  Its samples stay in the kernel
 * when it stops, and reach the host when the run ends; the "profile" host
 * suite (tests/profile_check.py) boots this program with QEMU's debug
 * console attached and checks, with tools/profile, that both show at the
 * top of the profile.
 *
 * The profiler's buffer is allocated by the first start and kept for the
 * rest of the boot (the profile is read at the very end), so main() starts
 * and stops it once before the cases run: the leak check after each case
 * then sees no change.
 */
#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <vmos.h>

#include "testlib.h"

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void hostile_kprof(void *arg)
{
	(void)arg;
	CHECK(setuid(1000) == 0);
	CHECK_ERR(kprof(KPROF_START), EPERM);
	CHECK_ERR(kprof(KPROF_STOP), EPERM);
	CHECK_ERR(kprof(KPROF_COUNT), EPERM);
	_exit(0);
}

/* Only root may profile; unknown operations and a second start are refused. */
static void kprof_refuses_users_bad_ops_and_a_second_start(void)
{
	pid_t pid = test_fork();
	if (pid == 0)
		hostile_kprof(NULL);
	int status = test_wait(pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK_ERR(kprof(0), EINVAL);
	CHECK_ERR(kprof(99), EINVAL);
	CHECK_ERR(kprof(-1), EINVAL);
	CHECK(kprof(KPROF_START) == 0);
	CHECK_ERR(kprof(KPROF_START), EBUSY);
	CHECK(kprof(KPROF_STOP) == 0);
	CHECK(kprof(KPROF_STOP) == 0);          /* stopping twice is harmless */
}

/*
 * Samples arrive while sampling is on, and stop after; a new start begins
 * a new profile.  No rate is asserted: without -icount the timer follows
 * the host, and a loaded host runs the guest in bursts that drop timer
 * interrupts -- but a burst can also put a sample or two between one
 * system call and the next, so "none yet" is not asserted either.
 */
static long sample_until(long n)
{
	uint64_t t0 = now_ns();
	while (kprof(KPROF_COUNT) < n)
		CHECKF(now_ns() - t0 < 20000000000ull, "%ld samples in 20 s", kprof(KPROF_COUNT));
	CHECK(kprof(KPROF_STOP) == 0);
	return kprof(KPROF_COUNT);
}

static void kprof_samples_while_on_and_not_after(void)
{
	CHECK(kprof(KPROF_START) == 0);
	long after = sample_until(300);
	uint64_t t0 = now_ns();
	while (now_ns() - t0 < 50000000ull)     /* 50 ms: hundreds of samples, were it on */
		;
	CHECKF(kprof(KPROF_COUNT) == after, "samples went on after stop: %ld -> %ld", after,
	       kprof(KPROF_COUNT));
	CHECK(kprof(KPROF_START) == 0);
	long fresh = kprof(KPROF_COUNT);
	CHECKF(fresh < after, "a new start kept the old profile's %ld samples (now %ld)", after, fresh);
	sample_until(fresh + 1);
}

/*
 * Page faults under a fast timer.  A fault turns interrupts on while it
 * works, and the way back to user mode must turn them off before it
 * swaps GS: an interrupt in between would run the kernel on the user's GS
 * base.  At 100 Hz that window was hit once in a blue moon; at 10 kHz,
 * across thousands of faults, it is hit every time.
 */
static void page_faults_while_sampling_fast(void)
{
	size_t len = 4u << 20;
	CHECK(kprof(KPROF_START) == 0);
	while (kprof(KPROF_COUNT) < 2000) {
		char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		CHECK(p != MAP_FAILED);
		for (size_t off = 0; off < len; off += 4096)
			p[off] = 1;
		CHECK(munmap(p, len) == 0);
	}
	CHECK(kprof(KPROF_STOP) == 0);
}

/* The profile the host checks.  noipa: the names must survive as they are. */
static volatile uint64_t sink;

/* Each phase runs until the profile holds `until` samples (so a slow host
 * only makes it longer), checking now and then, which costs little. */
__attribute__((noipa)) static void spin_in_user_code(long until)
{
	while (kprof(KPROF_COUNT) < until)
		for (int i = 0; i < 200000; i++)
			sink += (uint64_t)i * 2654435761u;
}

__attribute__((noipa)) static void call_the_kernel_in_a_loop(long until)
{
	struct kcounters k;
	while (kprof(KPROF_COUNT) < until)
		for (int i = 0; i < 200; i++)
			CHECK(kcounters(&k) == 0);
}

static void profile_of_a_spinner_and_a_system_call(void)
{
	CHECK(kprof(KPROF_START) == 0);
	spin_in_user_code(1500);
	call_the_kernel_in_a_loop(3000);
	CHECK(kprof(KPROF_STOP) == 0);
}

static const struct test_case cases[] = {
	TEST_CASE(kprof_refuses_users_bad_ops_and_a_second_start),
	TEST_CASE(kprof_samples_while_on_and_not_after),
	TEST_CASE(page_faults_while_sampling_fast),
	TEST_CASE(profile_of_a_spinner_and_a_system_call),     /* last: its samples are dumped */
};

int main(int argc, char **argv)
{
	if (kprof(KPROF_START) == 0)            /* the buffer, once (see the top) */
		kprof(KPROF_STOP);
	return test_main("prof", cases, TEST_COUNT(cases), argc, argv);
}

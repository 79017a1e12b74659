/*
 * clock_test.c - self-tests for the monotonic clock, the timer interrupt
 * and the conversions of user time values.
 */
#include "kern/kernel.h"
#include "kern/string.h"
#include "kern/errno.h"
#include "kern/clock.h"
#include "kern/selftest.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/pit.h"

int test_clock_monotonic(void)
{
	uint64_t prev = clock_ns();
	KTEST_ASSERT(prev > 0, "clock reads 0 after clock_init");
	for (int i = 0; i < 100000; i++) {
		uint64_t now = clock_ns();
		KTEST_ASSERT(now >= prev, "went backwards: %lu then %lu", prev, now);
		prev = now;
	}
	return 0;
}

/* 20 ms measured by the PIT must read as 20 ms on the clock, within 50%
 * (wide, because a loaded host can stretch one of the two readings). */
int test_clock_rate_sane(void)
{
	uint64_t t0 = clock_ns();
	pit_wait_ms(20);
	uint64_t dt = clock_ns() - t0;
	KTEST_ASSERT(dt >= 10000000 && dt <= 30000000, "20 ms of PIT time read as %lu ns", dt);
	KTEST_ASSERT(clock_tsc_hz() >= 100000000ul, "TSC rate %lu Hz is implausible", clock_tsc_hz());
	return 0;
}

/*
 * The timer interrupt fires about HZ times a second of clock time.  The
 * lower bound is a quarter of that: under TCG a loaded host runs the
 * guest in bursts, and a tick that falls due while QEMU's thread waits for
 * a CPU is lost, not delivered late (20 expected, 9 seen on a busy
 * machine).  A stopped timer, or one at a tenth or ten times the rate,
 * still fails.
 */
int test_clock_timer_ticks(void)
{
	KTEST_ASSERT(intr_enabled(), "interrupts are off");
	uint64_t t0 = clock_ns(), k0 = clock_ticks;
	while (clock_ns() - t0 < 200000000ul)           /* 200 ms */
		cpu_halt();
	uint64_t ticks = clock_ticks - k0;
	KTEST_ASSERT(ticks >= HZ / 20 && ticks <= HZ / 2, "%lu ticks in 200 ms at HZ=%d (expected ~%d)",
	    ticks, HZ, HZ / 5);
	return 0;
}

/* The conversions of user time values: range checks and saturation. */
int test_clock_user_time_saturates(void)
{
	uint64_t ns = 7;
	struct timespec ts = { 1, 500 };
	KTEST_ASSERT(clock_timespec_to_ns(&ts, &ns) == 0 && ns == 1000000500ull, "1 s 500 ns: %lu", ns);
	ts = (struct timespec){ 18446744074l, 0 };      /* * 10^9 wraps 64 bits */
	KTEST_ASSERT(clock_timespec_to_ns(&ts, &ns) == 0 && ns == CLOCK_NS_FOREVER, "wrapped to %lu", ns);
	ts = (struct timespec){ 18446744073l, 709551615l };     /* exactly UINT64_MAX */
	KTEST_ASSERT(clock_timespec_to_ns(&ts, &ns) == 0 && ns == CLOCK_NS_FOREVER, "max: %lu", ns);
	ts = (struct timespec){ 18446744073l, 709551614l };
	KTEST_ASSERT(clock_timespec_to_ns(&ts, &ns) == 0 && ns == CLOCK_NS_FOREVER - 1, "max-1: %lu", ns);
	ts = (struct timespec){ -1, 0 };
	KTEST_ASSERT(clock_timespec_to_ns(&ts, &ns) == -EINVAL, "negative seconds accepted");
	ts = (struct timespec){ 0, 1000000000l };
	KTEST_ASSERT(clock_timespec_to_ns(&ts, &ns) == -EINVAL, "tv_nsec 10^9 accepted");
	ts = (struct timespec){ 0, -1 };
	KTEST_ASSERT(clock_timespec_to_ns(&ts, &ns) == -EINVAL, "negative tv_nsec accepted");

	struct timeval tv = { 2, 999999 };
	KTEST_ASSERT(clock_timeval_to_ns(&tv, &ns) == 0 && ns == 2999999000ull, "timeval: %lu", ns);
	tv = (struct timeval){ 0, 1000000 };
	KTEST_ASSERT(clock_timeval_to_ns(&tv, &ns) == -EINVAL, "tv_usec 10^6 accepted");
	tv = (struct timeval){ -5, 0 };
	KTEST_ASSERT(clock_timeval_to_ns(&tv, &ns) == -EINVAL, "negative timeval accepted");
	tv = (struct timeval){ 1l << 62, 0 };
	KTEST_ASSERT(clock_timeval_to_ns(&tv, &ns) == 0 && ns == CLOCK_NS_FOREVER, "timeval wrapped");

	KTEST_ASSERT(clock_deadline(CLOCK_NS_FOREVER) == CLOCK_NS_FOREVER, "deadline wrapped");
	KTEST_ASSERT(clock_deadline(CLOCK_NS_FOREVER - 1) == CLOCK_NS_FOREVER, "deadline wrapped");
	uint64_t before = clock_ns(), d = clock_deadline(1000);
	KTEST_ASSERT(d >= before + 1000 && d <= clock_ns() + 1000, "deadline %lu from %lu", d, before);
	ts = clock_ns_to_timespec(3000000007ull);
	KTEST_ASSERT(ts.tv_sec == 3 && ts.tv_nsec == 7, "to timespec: %ld.%ld", ts.tv_sec, ts.tv_nsec);
	return 0;
}

/*
 * clock.c - the monotonic clock and the timer tick.
 *
 * The TSC counts at a fixed rate we do not know in advance.  clock_init()
 * counts TSC cycles across 20 ms of the PIT (a 1.193182 MHz crystal), and
 * from then on  ns = (tsc - tsc_at_boot) * ns_per_cycle, where
 * ns_per_cycle is kept as a 32.32 fixed-point number (no floating point in
 * the kernel).  Time before clock_init() reads as 0.
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/clock.h"
#include "kern/printf.h"
#include "kern/sched.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/pit.h"
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/trap.h"
#include "dev/rtc.h"
#include "arch/x86_64/percpu.h"

volatile uint64_t clock_ticks;
static uint64_t tsc_boot;
static uint64_t tsc_hz;
static uint64_t ns_per_cycle_fp32;      /* ns per TSC cycle, 32.32 fixed point */
static int64_t boot_epoch;              /* CLOCK_REALTIME seconds at clock_ns() == 0 */

/*
 * A sampler (the profiler) may run the timer faster than HZ: the timer
 * then interrupts sampler_hz times a second, every interrupt is offered to
 * the sampler, and only every (sampler_hz / HZ)-th one is a tick.  The
 * scheduler and clock_ticks see HZ whatever the timer does.
 */
static void (*sampler)(const struct trapframe *tf);     /* (a) */
static unsigned timer_hz = HZ;                          /* (a) the rate every timer should run at */

/*
 * Every CPU has its own timer (its local APIC's), and each CPU counts its
 * own interrupts to its own ticks (struct cpu: timer_hz, timer_left).  A
 * new rate set on one CPU reaches each other CPU's timer at that CPU's
 * next interrupt.  clock_ticks counts the boot CPU's ticks only, so that
 * it still advances HZ times a second whatever the number of CPUs.
 */
static void clock_tick(struct trapframe *tf)
{
	struct cpu *c = this_cpu();
	unsigned hz = __atomic_load_n(&timer_hz, __ATOMIC_ACQUIRE);
	if (c->timer_hz != hz) {
		lapic_timer_set_hz(hz);
		c->timer_hz = hz;
		c->timer_left = 1;
	}
	void (*fn)(const struct trapframe *) = __atomic_load_n(&sampler, __ATOMIC_ACQUIRE);
	if (fn != NULL)
		fn(tf);
	if (--c->timer_left > 0)
		return;
	c->timer_left = hz / HZ;
	if (c->id == 0)
		clock_ticks++;
	sched_tick();
}

void clock_set_sampler(void (*fn)(const struct trapframe *tf), unsigned hz)
{
	KASSERT(hz >= HZ && hz % HZ == 0, "clock_set_sampler: %u Hz is not a multiple of HZ", hz);
	__atomic_store_n(&sampler, fn, __ATOMIC_RELEASE);
	__atomic_store_n(&timer_hz, hz, __ATOMIC_RELEASE);
}

/* An AP's timer, at the rate every CPU's runs at (mp.c). */
void clock_start_ap(void)
{
	struct cpu *c = this_cpu();
	c->timer_hz = __atomic_load_n(&timer_hz, __ATOMIC_ACQUIRE);
	c->timer_left = c->timer_hz / HZ;
	lapic_timer_start_ap(c->timer_hz);
}

/*
 * The TSC's rate: cycles in 20 ms of the PIT, the fewest of three tries.
 * Under an emulator on a busy host a try can only come out long (the
 * guest's thread waits for a CPU after the PIT ran out, and the TSC counts
 * on), never short; one long try would make every later interval read
 * short -- 20 ms as 9 ms was seen -- so the shortest is the truest.
 */
void clock_init(void)
{
	uint64_t best = UINT64_MAX, t0 = 0;
	for (int i = 0; i < 3; i++) {
		t0 = rdtsc();
		pit_wait_ms(20);
		best = MIN(best, rdtsc() - t0);
	}
	tsc_hz = best * 50;
	if (tsc_hz == 0)
		panic("clock_init: the TSC does not advance");
	ns_per_cycle_fp32 = (1000000000ull << 32) / tsc_hz;
	tsc_boot = t0;

	trap_set_irq_handler(T_TIMER, clock_tick);
	this_cpu()->timer_hz = HZ;
	this_cpu()->timer_left = 1;
	lapic_timer_start(HZ);
}

uint64_t clock_ns(void)
{
	if (tsc_hz == 0)
		return 0;
	return (uint64_t)(((unsigned __int128)(rdtsc() - tsc_boot) * ns_per_cycle_fp32) >> 32);
}

uint64_t clock_tsc_hz(void)
{
	return tsc_hz;
}

uint64_t clock_realtime_ns(void)
{
	if (boot_epoch == 0)
		boot_epoch = rtc_read_epoch();
	return (uint64_t)boot_epoch * 1000000000ull + clock_ns();
}

/* sec seconds plus frac nanoseconds, saturating at CLOCK_NS_FOREVER. */
static uint64_t ns_saturating(uint64_t sec, uint64_t frac)
{
	if (sec > (CLOCK_NS_FOREVER - frac) / 1000000000ull)
		return CLOCK_NS_FOREVER;
	return sec * 1000000000ull + frac;
}

int clock_timespec_to_ns(const struct timespec *ts, uint64_t *ns)
{
	if (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= 1000000000l)
		return -EINVAL;
	*ns = ns_saturating((uint64_t)ts->tv_sec, (uint64_t)ts->tv_nsec);
	return 0;
}

int clock_timeval_to_ns(const struct timeval *tv, uint64_t *ns)
{
	if (tv->tv_sec < 0 || tv->tv_usec < 0 || tv->tv_usec >= 1000000l)
		return -EINVAL;
	*ns = ns_saturating((uint64_t)tv->tv_sec, (uint64_t)tv->tv_usec * 1000ull);
	return 0;
}

struct timespec clock_ns_to_timespec(uint64_t ns)
{
	return (struct timespec){ (time_t)(ns / 1000000000ull), (long)(ns % 1000000000ull) };
}

uint64_t clock_deadline(uint64_t ns)
{
	uint64_t now = clock_ns();
	return ns > CLOCK_NS_FOREVER - now ? CLOCK_NS_FOREVER : now + ns;
}

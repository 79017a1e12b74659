/*
 * clock.h - time.
 *
 * clock_ns() is a monotonic clock in nanoseconds since boot, read from the
 * TSC and scaled by the rate measured against the PIT at boot.  The timer
 * interrupt (HZ times a second) advances clock_ticks and calls sched_tick,
 * which wakes the sleepers whose deadline has passed and ends the running
 * process's time slice.
 */
#ifndef KERN_CLOCK_H
#define KERN_CLOCK_H

#include <stdint.h>
#include "uapi/time.h"

#define HZ 100

struct trapframe;
/*
 * Run the timer at hz interrupts a second (a multiple of HZ) and call fn
 * from each one, with the interrupted registers; the tick stays at HZ.
 * fn NULL and hz HZ put things back.  fn runs in the interrupt: it may not
 * sleep, allocate or take a lock that code with interrupts on may hold.
 */
void clock_set_sampler(void (*fn)(const struct trapframe *tf), unsigned hz);

void clock_init(void);
/* Start an AP's timer at the rate the others run at (mp.c). */
void clock_start_ap(void);
uint64_t clock_ns(void);
/* CLOCK_REALTIME in nanoseconds since 1970: the RTC, read at the first call,
 * plus the monotonic clock (sys_clock_gettime and file timestamps use it). */
uint64_t clock_realtime_ns(void);
uint64_t clock_tsc_hz(void);
extern volatile uint64_t clock_ticks;

/*
 * Time arithmetic that cannot wrap.  Every duration a user hands the
 * kernel goes through these, so that a sleep of centuries sleeps instead
 * of wrapping round to "now" (18,446,744,074 s * 10^9 overflows 64 bits).
 * A duration too long to represent becomes CLOCK_NS_FOREVER, and so does a
 * deadline past it: waiting for it waits until something else (a signal,
 * an event) ends the wait.
 */
#define CLOCK_NS_FOREVER UINT64_MAX
/* A user timespec as nanoseconds: 0, or -EINVAL for a negative field or
 * tv_nsec >= 10^9 (POSIX's nanosleep rule).  Saturates. */
int clock_timespec_to_ns(const struct timespec *ts, uint64_t *ns);
/* The same for a timeval (tv_usec 0 .. 999999). */
int clock_timeval_to_ns(const struct timeval *tv, uint64_t *ns);
struct timespec clock_ns_to_timespec(uint64_t ns);
/* clock_ns() + ns, or CLOCK_NS_FOREVER if that would pass it. */
uint64_t clock_deadline(uint64_t ns);

#endif

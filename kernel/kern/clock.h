/*
 * clock.h - time.
 *
 * clock_ns() is a monotonic clock in nanoseconds since boot, read from the
 * TSC and scaled by the rate measured against the PIT at boot.  The timer
 * interrupt (HZ times a second) drives clock_ticks and, later, the scheduler.
 */
#ifndef KERN_CLOCK_H
#define KERN_CLOCK_H

#include <stdint.h>

#define HZ 100

void clock_init(void);
uint64_t clock_ns(void);
/* CLOCK_REALTIME in nanoseconds since 1970: the RTC, read at the first call,
 * plus the monotonic clock (sys_clock_gettime and file timestamps use it). */
uint64_t clock_realtime_ns(void);
uint64_t clock_tsc_hz(void);
extern volatile uint64_t clock_ticks;

#endif

/*
 * rtc.h - the CMOS real-time clock, read once at boot to anchor
 * CLOCK_REALTIME (after that, time advances with the monotonic clock).
 */
#ifndef DEV_RTC_H
#define DEV_RTC_H

#include <stdint.h>

/* Seconds since 1970-01-01 00:00 UTC, read from the RTC (0 if it looks broken). */
int64_t rtc_read_epoch(void);

#endif

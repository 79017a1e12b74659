/*
 * uapi/time.h - time values and clock ids (Linux layouts and values).
 */
#ifndef UAPI_TIME_H
#define UAPI_TIME_H

#include "uapi/types.h"

/* A time with nanosecond resolution: clock_gettime(), nanosleep(). */
struct timespec {
	time_t tv_sec;          /* seconds */
	long   tv_nsec;         /* nanoseconds, 0 .. 999999999 */
};

/* A time with microsecond resolution: gettimeofday() and older calls. */
struct timeval {
	time_t      tv_sec;     /* seconds */
	suseconds_t tv_usec;    /* microseconds, 0 .. 999999 */
};

/* Clock ids for clock_gettime(). */
#define CLOCK_REALTIME           0  /* wall-clock time, may jump */
#define CLOCK_MONOTONIC          1  /* time since boot, never goes back */
#define CLOCK_PROCESS_CPUTIME_ID 2  /* CPU time used by this process */
#define CLOCK_THREAD_CPUTIME_ID  3  /* CPU time used by this thread */
#define CLOCK_MONOTONIC_RAW      4
#define CLOCK_REALTIME_COARSE    5
#define CLOCK_MONOTONIC_COARSE   6
#define CLOCK_BOOTTIME           7

/* clock_nanosleep flags: the time is a deadline on the clock, not a length. */
#define TIMER_ABSTIME            1

/* Interval timers: setitimer()/getitimer(); alarm() is ITIMER_REAL. */
#define ITIMER_REAL              0  /* real time; SIGALRM */
#define ITIMER_VIRTUAL           1  /* (not supported) */
#define ITIMER_PROF              2  /* (not supported) */

struct itimerval {
	struct timeval it_interval;     /* reload value; 0 = one shot */
	struct timeval it_value;        /* time to the next expiry; 0 = disarmed */
};

#endif /* UAPI_TIME_H */

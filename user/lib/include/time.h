/* time.h - clocks and sleeping (struct timespec, CLOCK_* from uapi/time.h). */
#ifndef _TIME_H
#define _TIME_H

#include "uapi/types.h"
#include "uapi/time.h"

#ifndef NULL
#define NULL ((void *)0)
#endif

typedef __INT64_TYPE__ clock_t;
#define CLOCKS_PER_SEC 1000000L

time_t  time(time_t *t);
clock_t clock(void);
int     clock_gettime(clockid_t clock, struct timespec *ts);
int     nanosleep(const struct timespec *req, struct timespec *rem);
/* 0, or an error number (not -1 and errno, as POSIX has it). */
int     clock_nanosleep(clockid_t clock, int flags, const struct timespec *req,
			struct timespec *rem);

#endif /* _TIME_H */

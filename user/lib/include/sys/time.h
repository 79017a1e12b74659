/* sys/time.h - struct timeval and gettimeofday(). */
#ifndef _SYS_TIME_H
#define _SYS_TIME_H

#include "uapi/types.h"
#include "uapi/time.h"

int gettimeofday(struct timeval *tv, void *tz);   /* tz is ignored */
/* Interval timers; only ITIMER_REAL (SIGALRM) is supported. */
int getitimer(int which, struct itimerval *value);
int setitimer(int which, const struct itimerval *value, struct itimerval *ovalue);

#endif /* _SYS_TIME_H */

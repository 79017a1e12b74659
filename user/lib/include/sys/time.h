/* sys/time.h - struct timeval and gettimeofday(). */
#ifndef _SYS_TIME_H
#define _SYS_TIME_H

#include "uapi/types.h"
#include "uapi/time.h"

int gettimeofday(struct timeval *tv, void *tz);   /* tz is ignored */

#endif /* _SYS_TIME_H */

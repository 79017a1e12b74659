/* sys/types.h - the POSIX system types (pid_t, off_t, ...; from uapi/types.h). */
#ifndef _SYS_TYPES_H
#define _SYS_TYPES_H

#include "uapi/types.h"

typedef __INT64_TYPE__ clock_t;         /* CPU time in CLOCKS_PER_SEC units */
typedef unsigned int   useconds_t;      /* microseconds, for usleep() */

#endif /* _SYS_TYPES_H */

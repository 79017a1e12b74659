/* sys/wait.h - waiting for children; status macros from uapi/wait.h. */
#ifndef _SYS_WAIT_H
#define _SYS_WAIT_H

#include "uapi/types.h"
#include "uapi/wait.h"

struct rusage;  /* vmos does not report resource usage: pass NULL */

pid_t wait(int *status);
pid_t waitpid(pid_t pid, int *status, int options);
pid_t wait4(pid_t pid, int *status, int options, struct rusage *rusage);

#endif /* _SYS_WAIT_H */

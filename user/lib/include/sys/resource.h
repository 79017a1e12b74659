/* sys/resource.h - resource limits (the kernel's uapi/resource.h says
 * which ones it enforces). */
#ifndef _SYS_RESOURCE_H
#define _SYS_RESOURCE_H

#include "uapi/types.h"
#include "uapi/resource.h"

int getrlimit(int resource, struct rlimit *rlim);
int setrlimit(int resource, const struct rlimit *rlim);
/* Linux's prlimit: read (old) and/or set (new) the limits of process pid (0: the caller). */
int prlimit(pid_t pid, int resource, const struct rlimit *new_limit, struct rlimit *old_limit);

#endif /* _SYS_RESOURCE_H */

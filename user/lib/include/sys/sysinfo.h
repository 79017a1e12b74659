/* sys/sysinfo.h - sysinfo(2): uptime, memory, swap and processes (uapi/sysinfo.h). */
#ifndef _SYS_SYSINFO_H
#define _SYS_SYSINFO_H

#include "uapi/sysinfo.h"

/* Fill *info: 0, or -1 with errno EFAULT (a bad pointer). */
int sysinfo(struct sysinfo *info);

#endif /* _SYS_SYSINFO_H */

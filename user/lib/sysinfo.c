/*
 * sysinfo.c - the wrapper of sysinfo(2) (uapi/sysinfo.h): the machine's
 * uptime, memory, swap and processes, as Linux reports them.
 */
#include <errno.h>
#include <sys/sysinfo.h>
#include "raw_syscall.h"

int sysinfo(struct sysinfo *info)
{
#if 1 /* LAB syscall: BEGIN */
	return syscall_result(raw_syscall1(SYS_sysinfo, info));
#else /* LAB syscall: STUB */
	/* LAB syscall: enter the kernel (raw_syscall1) and turn its answer into
	 * the C library's convention (syscall_result): see raw_syscall.h. */
	(void)info;
	errno = ENOSYS;
	return -1;
#endif /* LAB syscall: END */
}

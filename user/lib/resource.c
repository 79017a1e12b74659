/*
 * resource.c - resource limits: getrlimit, setrlimit and prlimit.
 */
#include <sys/resource.h>
#include "raw_syscall.h"

int getrlimit(int resource, struct rlimit *rlim)
{
	return syscall_result(raw_syscall2(SYS_getrlimit, resource, rlim));
}

int setrlimit(int resource, const struct rlimit *rlim)
{
	return syscall_result(raw_syscall2(SYS_setrlimit, resource, rlim));
}

int prlimit(pid_t pid, int resource, const struct rlimit *new_limit, struct rlimit *old_limit)
{
	return syscall_result(raw_syscall4(SYS_prlimit64, pid, resource, new_limit, old_limit));
}

/*
 * vmos.c - wrappers for vmos's own system calls (uapi/vmos.h).
 */
#include <unistd.h>
#include <vmos.h>
#include "raw_syscall.h"

int kcounters(struct kcounters *out)
{
	return syscall_result(raw_syscall1(SYS_kcounters, out));
}

int kprocs(struct kproc *buf, int max)
{
	return syscall_result(raw_syscall2(SYS_kprocs, buf, max));
}

int shm_list(struct kshm_info *buf, int max)
{
	return syscall_result(raw_syscall2(SYS_shm_list, buf, max));
}

int kvmmap(int pid, struct kvmmap *req)
{
	return syscall_result(raw_syscall2(SYS_kvmmap, pid, req));
}

long kprof(int op)
{
	return syscall_result(raw_syscall1(SYS_kprof, op));
}

int klockstat(struct klockstat *buf, int max, int flags)
{
	return syscall_result(raw_syscall3(SYS_klockstat, buf, max, flags));
}

/*
 * poweroff() does not return.  Under vmos the kernel ends the QEMU run;
 * anywhere else (e.g. on a Linux host, where the call is ENOSYS) the
 * process just exits with the status.
 */
void poweroff(int status)
{
	raw_syscall1(SYS_poweroff, status);
	_exit(status);
}

/*
 * mman.c - memory mapping and POSIX shared memory calls.
 *
 * mmap returns an address, so its error test must not treat a high
 * address as -1: syscall_failed() only accepts -4095 .. -1, addresses the
 * kernel never hands out.  shm_open(SHM_ANON, ...) passes the pointer
 * value 1 through; the kernel recognises it before reading a path.
 */
#include <sys/mman.h>
#include "raw_syscall.h"

void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset)
{
	long ret = raw_syscall6(SYS_mmap, (long)addr, (long)length, prot, flags,
				fd, offset);

	if (syscall_failed(ret)) {
		errno = (int)-ret;
		return MAP_FAILED;
	}
	return (void *)ret;
}

int munmap(void *addr, size_t length)
{
	return syscall_result(raw_syscall2(SYS_munmap, addr, length));
}

int mprotect(void *addr, size_t length, int prot)
{
	return syscall_result(raw_syscall3(SYS_mprotect, addr, length, prot));
}

int shm_open(const char *path, int flags, mode_t mode)
{
	return syscall_result(raw_syscall3(SYS_shm_open, path, flags, mode));
}

int shm_unlink(const char *path)
{
	return syscall_result(raw_syscall1(SYS_shm_unlink, path));
}

int shm_rename(const char *path_from, const char *path_to, int flags)
{
	return syscall_result(raw_syscall3(SYS_shm_rename, path_from, path_to, flags));
}

int mlockall(int flags)
{
	return syscall_result(raw_syscall1(SYS_mlockall, flags));
}

int munlockall(void)
{
	return syscall_result(raw_syscall0(SYS_munlockall));
}

int memfd_create(const char *name, unsigned int flags)
{
	return syscall_result(raw_syscall2(SYS_memfd_create, name, flags));
}

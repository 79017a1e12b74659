/*
 * syscalls.c - thin wrappers for the file, process and identity system
 * calls.
 *
 * Each wrapper passes its arguments to the kernel unchanged and converts
 * the result with syscall_result(): -1 and errno on failure.  Sockets,
 * memory, signals, time and the vmos calls have files of their own
 * (socket.c, mman.c, signal.c, time.c, vmos.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <dirent.h>
#include <poll.h>
#include <sched.h>
#include <unistd.h>
#include "raw_syscall.h"

/* ---- Descriptors ---- */

ssize_t read(int fd, void *buf, size_t count)
{
	return syscall_result(raw_syscall3(SYS_read, fd, buf, count));
}

ssize_t write(int fd, const void *buf, size_t count)
{
	return syscall_result(raw_syscall3(SYS_write, fd, buf, count));
}

int open(const char *path, int flags, ...)
{
	mode_t mode = 0;

	if (flags & O_CREAT) {          /* the mode argument exists only then */
		va_list ap;
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	return syscall_result(raw_syscall3(SYS_open, path, flags, mode));
}

int creat(const char *path, mode_t mode)
{
	return open(path, O_CREAT | O_WRONLY | O_TRUNC, mode);
}

int close(int fd)
{
	return syscall_result(raw_syscall1(SYS_close, fd));
}

off_t lseek(int fd, off_t offset, int whence)
{
	return syscall_result(raw_syscall3(SYS_lseek, fd, offset, whence));
}

int pipe(int fds[2])
{
	return syscall_result(raw_syscall1(SYS_pipe, fds));
}

int pipe2(int fds[2], int flags)
{
	return syscall_result(raw_syscall2(SYS_pipe2, fds, flags));
}

int dup(int fd)
{
	return syscall_result(raw_syscall1(SYS_dup, fd));
}

int dup2(int oldfd, int newfd)
{
	return syscall_result(raw_syscall2(SYS_dup2, oldfd, newfd));
}

int dup3(int oldfd, int newfd, int flags)
{
	return syscall_result(raw_syscall3(SYS_dup3, oldfd, newfd, flags));
}

int fcntl(int fd, int cmd, ...)
{
	va_list ap;
	long arg;

	va_start(ap, cmd);      /* every command we know takes at most one int/long */
	arg = va_arg(ap, long);
	va_end(ap);
	return syscall_result(raw_syscall3(SYS_fcntl, fd, cmd, arg));
}

int ioctl(int fd, unsigned long request, ...)
{
	va_list ap;
	void *arg;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);
	return syscall_result(raw_syscall3(SYS_ioctl, fd, request, arg));
}

int poll(struct pollfd *fds, nfds_t nfds, int timeout_ms)
{
	return syscall_result(raw_syscall3(SYS_poll, fds, nfds, timeout_ms));
}

ssize_t getdents64(int fd, void *buf, size_t size)
{
	return syscall_result(raw_syscall3(SYS_getdents64, fd, buf, size));
}

int ftruncate(int fd, off_t length)
{
	return syscall_result(raw_syscall2(SYS_ftruncate, fd, length));
}

int fchmod(int fd, mode_t mode)
{
	return syscall_result(raw_syscall2(SYS_fchmod, fd, mode));
}

int fchown(int fd, uid_t owner, gid_t group)
{
	return syscall_result(raw_syscall3(SYS_fchown, fd, owner, group));
}

/* ---- Files by name ---- */

int stat(const char *path, struct stat *st)
{
	return syscall_result(raw_syscall2(SYS_stat, path, st));
}

/* lstat: of a symbolic link itself, where stat describes its target. */
int lstat(const char *path, struct stat *st)
{
	return syscall_result(raw_syscall2(SYS_lstat, path, st));
}

int link(const char *from, const char *to)
{
	return syscall_result(raw_syscall2(SYS_link, from, to));
}

int symlink(const char *target, const char *path)
{
	return syscall_result(raw_syscall2(SYS_symlink, target, path));
}

/* The target's bytes in buf, at most size, with no NUL: the count. */
ssize_t readlink(const char *path, char *buf, size_t size)
{
	return syscall_result(raw_syscall3(SYS_readlink, path, buf, size));
}

int chmod(const char *path, mode_t mode)
{
	return syscall_result(raw_syscall2(SYS_chmod, path, mode));
}

int chown(const char *path, uid_t owner, gid_t group)
{
	return syscall_result(raw_syscall3(SYS_chown, path, owner, group));
}

int lchown(const char *path, uid_t owner, gid_t group)
{
	return syscall_result(raw_syscall3(SYS_lchown, path, owner, group));
}

int utimensat(int dirfd, const char *path, const struct timespec times[2], int flags)
{
	return syscall_result(raw_syscall4(SYS_utimensat, dirfd, path, times, flags));
}

int fstat(int fd, struct stat *st)
{
	return syscall_result(raw_syscall2(SYS_fstat, fd, st));
}

int unlink(const char *path)
{
	return syscall_result(raw_syscall1(SYS_unlink, path));
}

int mkdir(const char *path, mode_t mode)
{
	return syscall_result(raw_syscall2(SYS_mkdir, path, mode));
}

int rmdir(const char *path)
{
	return syscall_result(raw_syscall1(SYS_rmdir, path));
}

ssize_t pread(int fd, void *buf, size_t n, off_t off)
{
	return syscall_result(raw_syscall4(SYS_pread64, fd, buf, n, off));
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
	return syscall_result(raw_syscall4(SYS_pwrite64, fd, buf, n, off));
}

int fsync(int fd)
{
	return syscall_result(raw_syscall1(SYS_fsync, fd));
}

int fdatasync(int fd)
{
	return syscall_result(raw_syscall1(SYS_fdatasync, fd));
}

int rename(const char *from, const char *to)
{
	return syscall_result(raw_syscall2(SYS_rename, from, to));
}

/* C's remove: rmdir for a directory, unlink for anything else. */
int remove(const char *path)
{
	int r = unlink(path);
	return r < 0 && errno == EISDIR ? rmdir(path) : r;
}

int chdir(const char *path)
{
	return syscall_result(raw_syscall1(SYS_chdir, path));
}

/* getcwd(NULL, size) allocates the buffer (size 0: PATH_MAX), as glibc does. */
char *getcwd(char *buf, size_t size)
{
	char *allocated = NULL;
	long ret;

	if (buf == NULL) {
		if (size == 0)
			size = PATH_MAX;
		buf = allocated = malloc(size);
		if (buf == NULL)
			return NULL;
	}
	ret = raw_syscall2(SYS_getcwd, buf, size);
	if (syscall_failed(ret)) {
		free(allocated);
		errno = (int)-ret;
		return NULL;
	}
	return buf;
}

mode_t umask(mode_t mask)
{
	return (mode_t)raw_syscall1(SYS_umask, mask);   /* cannot fail */
}

/* ---- Processes ---- */

pid_t fork(void)
{
	return syscall_result(raw_syscall0(SYS_fork));
}

int execve(const char *path, char *const argv[], char *const envp[])
{
	return syscall_result(raw_syscall3(SYS_execve, path, argv, envp));
}

void _exit(int status)
{
	for (;;) {      /* exit_group ends the whole process; exit is the fallback */
		raw_syscall1(SYS_exit_group, status);
		raw_syscall1(SYS_exit, status);
	}
}

void _Exit(int status)
{
	_exit(status);
}

pid_t wait4(pid_t pid, int *status, int options, struct rusage *rusage)
{
	return syscall_result(raw_syscall4(SYS_wait4, pid, status, options, rusage));
}

pid_t waitpid(pid_t pid, int *status, int options)
{
	return wait4(pid, status, options, NULL);
}

pid_t wait(int *status)
{
	return wait4(-1, status, 0, NULL);
}

int sched_yield(void)
{
	return syscall_result(raw_syscall0(SYS_sched_yield));
}

int sched_getcpu(void)
{
	unsigned cpu;
	long r = raw_syscall3(SYS_getcpu, &cpu, 0, 0);
	return r < 0 ? syscall_result(r) : (int)cpu;
}

/* ---- Identities (these cannot fail) ---- */

pid_t getpid(void)  { return (pid_t)raw_syscall0(SYS_getpid); }
pid_t getppid(void) { return (pid_t)raw_syscall0(SYS_getppid); }
uid_t getuid(void)  { return (uid_t)raw_syscall0(SYS_getuid); }
uid_t geteuid(void) { return (uid_t)raw_syscall0(SYS_geteuid); }
gid_t getgid(void)  { return (gid_t)raw_syscall0(SYS_getgid); }
gid_t getegid(void) { return (gid_t)raw_syscall0(SYS_getegid); }

int setuid(uid_t uid)
{
	return syscall_result(raw_syscall1(SYS_setuid, uid));
}

int setgid(gid_t gid)
{
	return syscall_result(raw_syscall1(SYS_setgid, gid));
}

/* ---- Any call by number ---- */

/*
 * syscall(nr, ...) passes six argument registers whatever the call takes;
 * the extra ones hold whatever va_arg finds, which the kernel ignores.
 */
long syscall(long nr, ...)
{
	va_list ap;
	long a[6];

	va_start(ap, nr);
	for (int i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	return syscall_result(raw_syscall6(nr, a[0], a[1], a[2], a[3], a[4], a[5]));
}

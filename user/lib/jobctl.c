/*
 * jobctl.c - job control: process groups, sessions, and the terminal's
 * foreground group (tcsetpgrp/tcgetpgrp, which POSIX declares in
 * <unistd.h>; on vmos, as on Linux, they are the TIOCSPGRP and
 * TIOCGPGRP ioctls of the controlling terminal).
 */
#include <errno.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "raw_syscall.h"

int setpgid(pid_t pid, pid_t pgid)
{
	return syscall_result(raw_syscall2(SYS_setpgid, pid, pgid));
}

pid_t getpgid(pid_t pid)
{
	return (pid_t)syscall_result(raw_syscall1(SYS_getpgid, pid));
}

pid_t getpgrp(void)
{
	return (pid_t)raw_syscall0(SYS_getpgrp);        /* cannot fail */
}

pid_t setsid(void)
{
	return (pid_t)syscall_result(raw_syscall0(SYS_setsid));
}

pid_t getsid(pid_t pid)
{
	return (pid_t)syscall_result(raw_syscall1(SYS_getsid, pid));
}

int tcsetpgrp(int fd, pid_t pgrp)
{
	return ioctl(fd, TIOCSPGRP, &pgrp);
}

pid_t tcgetpgrp(int fd)
{
	pid_t pgrp;

	if (ioctl(fd, TIOCGPGRP, &pgrp) < 0)
		return -1;
	return pgrp;
}

/*
 * tty.c - isatty().
 *
 * A descriptor is a terminal if it answers the TCGETS ioctl (get terminal
 * settings); every other kind of file answers ENOTTY.  This is how Linux
 * C libraries do it, and unlike fstat()'s S_ISCHR it does not mistake
 * other character devices (/dev/null) for terminals.
 */
#include <errno.h>
#include <sys/ioctl.h>
#include <unistd.h>

int isatty(int fd)
{
	struct termios t;

	if (ioctl(fd, TCGETS, &t) == 0)
		return 1;
	if (errno != EBADF)
		errno = ENOTTY;
	return 0;
}

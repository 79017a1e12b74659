/*
 * sysconf.c - sysconf() and getpagesize(): constants of this system that
 * the C library knows without asking the kernel.
 */
#include <errno.h>
#include <unistd.h>

#define VMOS_PAGE_SIZE 4096     /* x86-64 base pages */
#define VMOS_OPEN_MAX  256      /* descriptors per process (a generous bound) */

int getpagesize(void)
{
	return VMOS_PAGE_SIZE;
}

long sysconf(int name)
{
	switch (name) {
	case _SC_PAGESIZE:
		return VMOS_PAGE_SIZE;
	case _SC_CLK_TCK:
		return 100;
	case _SC_OPEN_MAX:
		return VMOS_OPEN_MAX;
	default:
		errno = EINVAL;
		return -1;
	}
}

/*
 * brk.c - the program break: the end of the heap that starts after the
 * program's data.
 *
 * The raw brk system call has Linux's odd convention: brk(addr) tries to
 * move the break to addr and always returns the break it ends up with (the
 * old one if it could not move), never -errno; brk(0) just asks.  The
 * POSIX-style brk() and sbrk() below turn that into 0/-1 and ENOMEM.
 */
#include <errno.h>
#include <stdint.h>
#include <unistd.h>
#include "raw_syscall.h"

static char *current_break;     /* NULL until first asked */

int brk(void *addr)
{
	char *now = (char *)raw_syscall1(SYS_brk, addr);

	current_break = now;
	if (now != (char *)addr) {
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

void *sbrk(intptr_t increment)
{
	char *old;

	if (current_break == NULL)
		current_break = (char *)raw_syscall1(SYS_brk, 0);
	old = current_break;
	if (increment == 0)
		return old;
	if ((increment > 0 && (uintptr_t)old + (uintptr_t)increment < (uintptr_t)old) ||
	    (increment < 0 && (uintptr_t)-increment > (uintptr_t)old)) {
		errno = ENOMEM;         /* would wrap around */
		return (void *)-1;
	}
	if (brk(old + increment) < 0)
		return (void *)-1;
	return old;
}

/*
 * sys/select.h - select(): waiting on descriptor sets.  vmos has no select
 * system call; the C library builds it on poll() (select.c).
 */
#ifndef _SYS_SELECT_H
#define _SYS_SELECT_H

#include "uapi/types.h"
#include "uapi/time.h"

#define FD_SETSIZE 1024

typedef struct {
	unsigned long fds_bits[FD_SETSIZE / (8 * sizeof(unsigned long))];
} fd_set;

#define __FD_WORD(fd)   ((fd) / (8 * (int)sizeof(unsigned long)))
#define __FD_BIT(fd)    (1ul << ((fd) % (8 * (int)sizeof(unsigned long))))
#define FD_ZERO(s)      __builtin_memset((s), 0, sizeof(fd_set))
#define FD_SET(fd, s)   ((void)((s)->fds_bits[__FD_WORD(fd)] |= __FD_BIT(fd)))
#define FD_CLR(fd, s)   ((void)((s)->fds_bits[__FD_WORD(fd)] &= ~__FD_BIT(fd)))
#define FD_ISSET(fd, s) (((s)->fds_bits[__FD_WORD(fd)] & __FD_BIT(fd)) != 0)

/* Wait until a descriptor in readfds is readable, one in writefds writable,
 * or one in exceptfds has an exceptional condition, or timeout passes
 * (NULL: no limit).  The sets are rewritten to the ready ones; answers how
 * many bits are set, 0 on timeout, -1 with errno (EBADF for a descriptor
 * that is not open, EINVAL for nfds out of range). */
int select(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds,
	   struct timeval *timeout);

#endif /* _SYS_SELECT_H */

/*
 * errno.h - error numbers and errno.
 *
 * The numbers are the kernel's (uapi/errno.h).  errno is a plain global
 * int: vmos processes have one thread.  A library call that fails returns
 * -1 (or NULL) and sets errno; a call that succeeds leaves errno alone.
 */
#ifndef _ERRNO_H
#define _ERRNO_H

#include "uapi/errno.h"

extern int errno;

#endif /* _ERRNO_H */

/*
 * errno.h - error numbers for the kernel.  The values are the ABI's
 * (uapi/errno.h, Linux's numbering); kernel functions return them negated:
 * 0 on success, -ENOMEM on failure.
 */
#ifndef KERN_ERRNO_H
#define KERN_ERRNO_H

#include "uapi/errno.h"

#endif

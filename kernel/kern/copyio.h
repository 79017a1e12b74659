/*
 * copyio.h - the only way the kernel touches user memory.
 *
 * Each function checks that the whole user range lies below USER_MAX, then
 * copies with a fault handler armed: a page fault on a user address is first
 * resolved like any user fault (zero-fill, copy-on-write, page-in); if it
 * cannot be, the copy stops and the function returns -EFAULT.  A bad pointer
 * from user space therefore never crashes the kernel.  With SMAP the copy is
 * the only code that runs with user access allowed (stac ... clac).
 */
#ifndef KERN_COPYIO_H
#define KERN_COPYIO_H

#include <stddef.h>
#include <stdint.h>

/* Marks a pointer that holds a user-space address; documentation only. */
#define __user

int copyin(const void __user *usrc, void *kdst, size_t len);
int copyout(const void *ksrc, void __user *udst, size_t len);
/* Copy a NUL-terminated string of at most max bytes including the NUL.
 * Returns its length (without NUL), -EFAULT, or -ENAMETOOLONG. */
long copyinstr(const char __user *usrc, char *kdst, size_t max);
/* Is [uaddr, uaddr+len) entirely in user space? */
int useracc_ok(uint64_t uaddr, size_t len);

#endif

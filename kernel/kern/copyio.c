/*
 * copyio.c - copyin, copyout, copyinstr (see copyio.h for the contract).
 *
 * The range check makes sure no user pointer can name kernel memory: the
 * whole range must lie in [0, USER_MAX) without wrapping.  The copy itself
 * (copy_user in copyio.S) survives page faults on user addresses.
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/copyio.h"
#include "arch/x86_64/vmparam.h"

int copy_user(void *dst, const void *src, size_t n);

int useracc_ok(uint64_t uaddr, size_t len)
{
	return uaddr < USER_MAX && len <= USER_MAX - uaddr;
}

int copyin(const void __user *usrc, void *kdst, size_t len)
{
	if (!useracc_ok((uint64_t)usrc, len))
		return -EFAULT;
	return len ? copy_user(kdst, usrc, len) : 0;
}

int copyout(const void *ksrc, void __user *udst, size_t len)
{
	if (!useracc_ok((uint64_t)udst, len))
		return -EFAULT;
	return len ? copy_user(udst, ksrc, len) : 0;
}

/*
 * Copy page by page, so a string that ends just before an unmapped page is
 * not refused because of bytes beyond its NUL.
 */
long copyinstr(const char __user *usrc, char *kdst, size_t max)
{
	uint64_t addr = (uint64_t)usrc;
	size_t done = 0;

	while (done < max) {
		size_t chunk = MIN(max - done, PAGE_SIZE - ((addr + done) & PAGE_MASK));
		int err = copyin((const void *)(addr + done), kdst + done, chunk);
		if (err)
			return err;
		for (size_t i = 0; i < chunk; i++)
			if (kdst[done + i] == '\0')
				return (long)(done + i);
		done += chunk;
	}
	return -ENAMETOOLONG;
}

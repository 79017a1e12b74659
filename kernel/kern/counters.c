/*
 * counters.c - the kernel counters and the kcounters() system call.
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/string.h"
#include "kern/counters.h"
#include "kern/copyio.h"
#include "kern/proc.h"
#include "vm/vm_page.h"
#include "vm/kmem.h"
#include "vm/vm_pageout.h"
#include "fs/bootfs_pager.h"

struct kcounters counters;

void counters_snapshot(struct kcounters *out)
{
	memcpy(out, &counters, sizeof(*out));
	out->total_pages = vm_page_total_count();
	out->free_pages = vm_page_free_count();
	out->kmem_bytes = kmem_bytes_in_use();
	out->kmem_pages = kmem_pages_in_use();
	out->processes = proc_count();
	out->free_reserved = vm_free_reserved;
	out->cache_pages = bootfs_pager_resident_pages();
}

long sys_kcounters(void *uout)
{
	struct kcounters snap;
	counters_snapshot(&snap);
	return copyout(&snap, uout, sizeof(snap)) ? -EFAULT : 0;
}

/*
 * counters.c - the kernel counters, and the two system calls that read
 * them: kcounters() (vmos's own, every counter) and sysinfo() (Linux's,
 * the few numbers every Unix can answer: uptime, memory, swap and
 * processes, uapi/sysinfo.h).
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/string.h"
#include "kern/counters.h"
#include "kern/copyio.h"
#include "kern/proc.h"
#include "kern/clock.h"
#include "vm/vm_page.h"
#include "vm/kmem.h"
#include "vm/vm_pageout.h"
#include "uapi/sysinfo.h"
#include "fs/bootfs_pager.h"
#include "arch/x86_64/mp.h"

uint64_t counters_sum(size_t offset)
{
	uint64_t sum = 0;
	for (int i = 0; i < MAXCPU; i++)
		sum += __atomic_load_n((uint64_t *)((char *)&cpus[i].counters + offset),
		    __ATOMIC_RELAXED);
	return sum;
}

void counters_snapshot(struct kcounters *out)
{
	for (size_t off = 0; off < sizeof(*out); off += sizeof(uint64_t))
		*(uint64_t *)((char *)out + off) = counters_sum(off);
	out->total_pages = vm_page_total_count();
	out->free_pages = vm_page_free_count();
	out->kmem_bytes = kmem_bytes_in_use();
	out->kmem_pages = kmem_pages_in_use();
	out->processes = proc_count();
	out->free_reserved = vm_free_reserved;
	out->cache_pages = bootfs_pager_resident_pages();
	out->cpus = (uint64_t)mp_ncpus_up();
}

long sys_kcounters(void *uout)
{
	struct kcounters snap;
	counters_snapshot(&snap);
	return copyout(&snap, uout, sizeof(snap)) ? -EFAULT : 0;
}

#if 1 /* LAB syscall: BEGIN */
/*
 * sysinfo(info): the snapshot above in Linux's struct sysinfo.  Memory and
 * swap are counted in pages (mem_unit = PAGE_SIZE); a swap slot is one
 * page.  The fields vmos has nothing for stay 0 (uapi/sysinfo.h).
 * 0, or -EFAULT for a bad pointer.
 */
long sys_sysinfo(void *uinfo)
{
	struct kcounters snap;
	struct sysinfo si;
	counters_snapshot(&snap);
	memset(&si, 0, sizeof(si));
	si.uptime = (int64_t)(clock_ns() / 1000000000ull);
	si.totalram = snap.total_pages;
	si.freeram = snap.free_pages;
	si.totalswap = snap.swap_total;
	si.freeswap = snap.swap_total - snap.swap_used;
	si.procs = (unsigned short)MIN(snap.processes, 0xffffull);
	si.mem_unit = PAGE_SIZE;
	return copyout(&si, uinfo, sizeof(si)) ? -EFAULT : 0;
}
#else /* LAB syscall: STUB */
/* LAB syscall: write sys_sysinfo(void *uinfo) here (see docs/labs/syscall.md). */
#endif /* LAB syscall: END */

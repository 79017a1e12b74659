/*
 * vmos.h - this system's own calls (numbers and structs in uapi/vmos.h).
 *
 *   kcounters(&c)       fill c with the kernel's counters (leak checks, vmstat)
 *   kprocs(buf, max)    list up to max processes; returns how many
 *   shm_list(buf, max)  list up to max named shm objects; returns how many
 *   kvmmap(pid, &req)   a process's map entries and the VM objects behind
 *                       them (pid 0: the caller); returns how many entries
 *                       (struct kvmmap in uapi/vmos.h says how to size it)
 *   poweroff(status)    end the QEMU run with this status; never returns
 *   kprof(op)           the kernel's sampling profiler: KPROF_START,
 *                       KPROF_STOP, KPROF_COUNT (root; see make profile)
 *   klockstat(buf, max, flags)  how much each kind of spinlock was fought
 *                       over (struct klockstat); returns how many entries;
 *                       KLOCKSTAT_RESET zeroes the counts (root)
 *
 * shm_open, shm_unlink and shm_rename are in <sys/mman.h>.
 */
#ifndef _VMOS_H
#define _VMOS_H

#include "uapi/vmos.h"

int  kcounters(struct kcounters *out);
int  kprocs(struct kproc *buf, int max);
int  shm_list(struct kshm_info *buf, int max);
int  kvmmap(int pid, struct kvmmap *req);
void poweroff(int status) __attribute__((noreturn));
long kprof(int op);
int  klockstat(struct klockstat *buf, int max, int flags);

#endif /* _VMOS_H */

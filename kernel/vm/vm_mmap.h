/*
 * vm_mmap.h - the memory-mapping system calls, with Linux semantics and
 * numbers (uapi/mman.h): mmap, munmap, mprotect, brk, mlockall, munlockall.
 *
 * Each sys_* works on the current process's vmspace and calls a vm_*
 * function that takes the vmspace explicitly, so the kernel self-tests can
 * exercise the same code on a vmspace that belongs to no process.
 */
#ifndef VM_VM_MMAP_H
#define VM_VM_MMAP_H

#include "kern/kernel.h"

struct vmspace;

long sys_mmap(uint64_t addr, uint64_t len, int prot, int flags, int fd, int64_t off);
long sys_munmap(uint64_t addr, uint64_t len);
long sys_mprotect(uint64_t addr, uint64_t len, int prot);
long sys_brk(uint64_t addr);
long sys_mlockall(int flags);
long sys_munlockall(void);

/* The same on an explicit vmspace.  vm_mmap with a descriptor uses the current process's table. */
long vm_mmap(struct vmspace *vs, uint64_t addr, uint64_t len, int prot, int flags, int fd, int64_t off);
long vm_munmap(struct vmspace *vs, uint64_t addr, uint64_t len);
long vm_mprotect(struct vmspace *vs, uint64_t addr, uint64_t len, int prot);
long vm_brk(struct vmspace *vs, uint64_t addr);

#endif

/*
 * vm_map_info.h - a snapshot of an address space for tools: the kvmmap
 * system call (uapi/vmos.h has the ABI; vm_map_info.c the rules).
 *
 * vm_map_info_take() copies a vmspace's entries and the objects behind them
 * into kernel memory, in the uapi structs, so that the kernel self-tests
 * can look at a vmspace that belongs to no process the same way vmmap
 * looks at a process.
 */
#ifndef VM_VM_MAP_INFO_H
#define VM_VM_MAP_INFO_H

#include "kern/kernel.h"
#include "kern/copyio.h"
#include "uapi/types.h"
#include "uapi/vmos.h"

struct vmspace;

struct vm_map_info {
	struct kvmmap_entry *entries;   /* kmalloc'd, nentries of them (or NULL) */
	struct kvmmap_object *objects;  /* kmalloc'd, nobjects of them (or NULL) */
	int nentries;
	int nobjects;
};

/*
 * Fill *info from vs (zeroed first).  Takes vs's map lock, so the caller
 * holds no map lock and no spinlock; may sleep waiting for the lock.
 * 0 or -ENOMEM (then *info holds nothing).  vm_map_info_free() frees it.
 */
int vm_map_info_take(struct vmspace *vs, struct vm_map_info *info);
void vm_map_info_free(struct vm_map_info *info);

long sys_kvmmap(pid_t pid, void __user *req);

#endif

/*
 * swap_pager.h - the pager of anonymous memory (swap_pager.c).
 *
 * Every anonymous object -- private memory, shadows, MAP_SHARED|MAP_ANON,
 * shm -- has this pager: zero-filled on first touch by the fault handler,
 * its pages written to the swap disk by the pageout daemon when memory is
 * short and read back on the next fault.  Without a swap disk it has no
 * store: has_page is false and put_pages says -ENODEV.  The VM reaches it
 * only through the vm_pager_* wrappers (vm_pager.h).
 */
#ifndef VM_SWAP_PAGER_H
#define VM_SWAP_PAGER_H

#include "vm/vm_pager.h"

extern const struct pager_ops swap_pager_ops;

/* Take the first block device as the swap disk, if there is one (boot). */
void swap_pager_init(void);

#endif

/*
 * swap_space.h - the slots of the swap disk: which 4 KiB pieces of it hold
 * a page and which are free (swap_space.c).
 *
 * Slot s is the page at byte s * 4096 of the swap disk.  The swap pager
 * asks for runs of consecutive slots, so that a cluster of pages goes to
 * the disk in one request.
 */
#ifndef VM_SWAP_SPACE_H
#define VM_SWAP_SPACE_H

#include "kern/kernel.h"

#define SWAP_SLOT_NONE UINT32_MAX       /* "no slot" in the pager's maps */
#define SWAP_SLOTS_MAX (1u << 31)       /* the pager keeps a flag in the top bit (8 TiB) */

/* Manage nslots slots, all free: 0 or -ENOMEM.  Once, at boot. */
int swap_space_init(uint64_t nslots);
/* n consecutive free slots (1 <= n <= 64): 0 with *first, or -ENOSPC. */
int swap_space_alloc(unsigned n, uint32_t *first);
/* Give back n slots from first. */
void swap_space_free(uint32_t first, unsigned n);
/* A write to this (allocated) slot failed: it stays allocated for ever and
 * is never handed out again. */
void swap_space_mark_bad(uint32_t slot);

uint64_t swap_space_total(void);        /* slots managed (0: no swap) */
uint64_t swap_space_used(void);         /* slots holding a page */
uint64_t swap_space_bad(void);          /* slots retired after a failed write */

#endif

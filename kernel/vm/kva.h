/*
 * kva.h - the kernel's virtual address arena: kernel memory that is
 * virtually contiguous but made of single physical pages.
 *
 * Physically contiguous memory is scarce once the system has run for a
 * while: a process that touches every free page and then gives back every
 * other one leaves half of memory free and no two free frames side by
 * side.  So nothing but device DMA may need physical contiguity.  Kernel
 * stacks and the kernel heap's big blocks (exec's argument buffer, pipe
 * buffers, descriptor tables) take any free pages and map them side by
 * side in this arena (FreeBSD's kernel_arena, Linux's vmalloc area).
 *
 *   KVA_BASE .. KVA_BASE + KVA_SIZE   (vmparam.h)
 *
 * Addresses are handed out in whole pages by a bitmap with a next-fit
 * hint.  Every process's page tables share the arena (its PML4 slot is
 * one of the kernel's, made at boot), so a mapping made here is seen in
 * every address space at once.
 */
#ifndef VM_KVA_H
#define VM_KVA_H

#include "kern/kernel.h"
#include "arch/x86_64/vmparam.h"

/* Reserve npages of arena addresses (unmapped): 0 with *vap, or -ENOMEM. */
int kva_alloc(uint64_t npages, uint64_t *vap);
/* Give back addresses from kva_alloc; their pages must be unmapped already. */
void kva_free(uint64_t va, uint64_t npages);

/*
 * Map npages freshly allocated pages (any frames; zeroed if zero) at
 * [va, va + npages pages) of the arena, writable and no-execute.  0, or
 * -ENOMEM with nothing left mapped.
 */
int kva_map_new_pages(uint64_t va, uint64_t npages, bool zero);
/* Unmap [va, va + npages pages) and free the pages that were mapped there. */
void kva_unmap_free_pages(uint64_t va, uint64_t npages);

static inline bool kva_contains(uint64_t va)
{
	return va >= KVA_BASE && va < KVA_BASE + KVA_SIZE;
}

/* Arena pages reserved (mapped or not), for tests. */
uint64_t kva_pages_reserved(void);

#endif

/*
 * kmem.h - the kernel heap: kmalloc/kfree.
 *
 * Small blocks (up to 2 KiB with their header) come from slab pages of one
 * size class each (32 .. 2048 bytes); bigger ones are whole pages.  Every
 * block has a 16-byte header before the pointer returned, and pointers are
 * 16-byte aligned.
 *
 * Debug builds (the default; NDEBUG=1 turns it off) add:
 *   - a redzone: the bytes from the end of the request to the end of the
 *     slot are filled with 0xcc and checked by kfree(): an overflow panics
 *     naming the block's size and the function that allocated it;
 *   - poisoning: freed blocks are filled with 0xde and checked when handed
 *     out again: a write after free panics.
 */
#ifndef VM_KMEM_H
#define VM_KMEM_H

#include <stddef.h>
#include <stdint.h>

#define KM_ZERO 0x1             /* zero the block */

void *kmalloc(size_t size, int flags);
void kfree(void *p);
size_t kmem_size(const void *p);        /* the size that was asked for */
uint64_t kmem_bytes_in_use(void);
uint64_t kmem_pages_in_use(void);       /* pages the heap holds (slabs and large blocks) */
/*
 * Free pages plus the heap's: the figure a leak check compares.  Which
 * slab pages the heap holds depends on the order of allocations, and it
 * keeps an empty slab per class as a spare, so free pages alone can differ
 * after code that gave back everything it took (kmem_bytes_in_use() is
 * what finds a block never freed).
 */
uint64_t kmem_free_and_heap_pages(void);

/* Integrity checks, as kfree() and kmalloc() run them; return 0 or a reason. */
enum kmem_fault {
	KMEM_OK = 0,
	KMEM_BAD_MAGIC,         /* not a live block: wild pointer or double free */
	KMEM_BAD_REDZONE,       /* bytes past the end of the block were written */
	KMEM_BAD_POISON,        /* a freed block was written: use after free */
};
enum kmem_fault kmem_check_live(const void *p);
enum kmem_fault kmem_check_freed(const void *p);
const char *kmem_fault_name(enum kmem_fault f);

#endif

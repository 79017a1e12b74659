/*
 * vmparam.h - the memory layout (see docs/design.md and docs/01-boot.md).
 *
 *   0x0000000000001000 .. USER_MAX       user space (page 0 never mapped)
 *   0xffff800000000000 (DMAP_BASE)       direct map of all physical memory
 *   0xfffffe0000000000 (KVA_BASE)        the kernel's virtual arena (vm/kva.h): kernel
 *                                        stacks, each under a guard page, and big heap blocks
 *   0xffffffff80000000 (KERNEL_BASE)     the kernel image, loaded at 1 MiB
 */
#ifndef ARCH_X86_64_VMPARAM_H
#define ARCH_X86_64_VMPARAM_H

#define PAGE_SHIFT      12
#define PAGE_SIZE       4096ul
#define PAGE_MASK       (PAGE_SIZE - 1)
#define LARGE_PAGE_SIZE (2ul * 1024 * 1024)

#define USER_MIN        0x0000000000001000ul
#define USER_MAX        0x0000800000000000ul   /* first address above user space */
#define DMAP_BASE       0xffff800000000000ul
#define KVA_BASE        0xfffffe0000000000ul
#define KVA_SIZE        (1ul << 30)            /* 1 GiB of addresses */
#define KERNEL_BASE     0xffffffff80000000ul

#define PHYS_TO_DMAP(pa) ((void *)((unsigned long)(pa) + DMAP_BASE))
#define DMAP_TO_PHYS(va) ((unsigned long)(va) - DMAP_BASE)
#define KVA_TO_PHYS(va)  ((unsigned long)(va) - KERNEL_BASE)

#define page_trunc(x)   ((x) & ~PAGE_MASK)
#define page_round(x)   (((x) + PAGE_MASK) & ~PAGE_MASK)

#endif

/*
 * pte.h - x86-64 page table entry format (4-level paging, 4 KiB pages).
 *
 * A virtual address splits into four 9-bit indices (PML4, PDPT, PD, PT) and
 * a 12-bit offset.  Each table is one page of 512 64-bit entries; an entry
 * holds the physical address of the next table (or of the page) plus flags.
 */
#ifndef ARCH_X86_64_PTE_H
#define ARCH_X86_64_PTE_H

#include <stdint.h>

typedef uint64_t pt_entry_t;

#define PTE_P       0x001ul             /* present */
#define PTE_W       0x002ul             /* writable */
#define PTE_U       0x004ul             /* user accessible */
#define PTE_PWT     0x008ul             /* write-through */
#define PTE_PCD     0x010ul             /* cache disable */
#define PTE_A       0x020ul             /* accessed (set by the CPU) */
#define PTE_D       0x040ul             /* dirty (set by the CPU) */
#define PTE_PS      0x080ul             /* 2 MiB page (in a PD entry) */
#define PTE_G       0x100ul             /* global: survives CR3 reloads */
#define PTE_NX      (1ul << 63)         /* no execute */
#define PTE_ADDR    0x000ffffffffff000ul

#define PML4_INDEX(va)  (((va) >> 39) & 511)
#define PDPT_INDEX(va)  (((va) >> 30) & 511)
#define PD_INDEX(va)    (((va) >> 21) & 511)
#define PT_INDEX(va)    (((va) >> 12) & 511)

#endif

/*
 * pmap.h - the machine-dependent half of the VM system: page tables.
 *
 * The kernel half of every address space (PML4 slots 256-511: the direct
 * map, kernel stacks and the kernel image) is shared by all page tables.
 * pmap_bootstrap() builds it with the right rights: kernel text read-only
 * and executable, everything else no-execute, a guard page under the boot
 * stack; then it drops the identity map the boot code needed.
 */
#ifndef ARCH_X86_64_PMAP_H
#define ARCH_X86_64_PMAP_H

#include <stdint.h>
#include <stdbool.h>
#include "arch/x86_64/pte.h"

struct bootinfo;

void pmap_bootstrap(const struct bootinfo *bi);

/* Map/unmap one 4 KiB kernel page (kernel stacks).  Returns 0 or -ENOMEM. */
int pmap_kenter(uint64_t va, uint64_t pa, uint64_t flags);
void pmap_kremove(uint64_t va);
/* Physical address behind a kernel virtual address, or 0 if unmapped. */
uint64_t pmap_kextract(uint64_t va);

extern bool cpu_has_smep, cpu_has_smap;

#endif

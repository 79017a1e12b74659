/*
 * pmap.c - page tables.
 *
 * Bootstrap: boot.S left us on temporary tables (4 GiB identity + direct
 * map with 2 MiB pages, everything writable and executable).  Here we build
 * the real kernel tables:
 *   - the direct map of all RAM (and the PCI hole below 4 GiB, uncached) with
 *     2 MiB pages, writable, no-execute, global;
 *   - the kernel image with 4 KiB pages: .text read+execute, .rodata
 *     read-only, .data/.bss writable, all but .text no-execute;
 *   - no identity map: a NULL dereference in the kernel now faults.
 * Page-table pages come from vm_page_alloc(), so vm_page_startup() runs first.
 */
#include "kern/kernel.h"
#include "kern/string.h"
#include "kern/errno.h"
#include "kern/spinlock.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/pmap.h"
#include "arch/x86_64/vmparam.h"
#include "arch/x86_64/multiboot.h"
#include "vm/vm_page.h"

bool cpu_has_smep, cpu_has_smap;

/* The kernel's PML4; its upper half is copied into every process's PML4. */
pt_entry_t *kernel_pml4;
uint64_t kernel_pml4_phys;
static struct spinlock kpmap_lock = SPINLOCK_INIT("kernel_pmap");

extern char _text_start[], _text_end[], _rodata_start[], _rodata_end[];
extern char _data_start[], _data_end[], _kernel_end[], boot_stack_guard[];

static pt_entry_t *pt_alloc(void)
{
	struct vm_page *m = vm_page_alloc(VM_ALLOC_ZERO);
	if (m == NULL)
		return NULL;
	return vm_page_to_dmap(m);
}

/* The entry for va in the table below `table[idx]`, creating the table if asked. */
static pt_entry_t *pt_next(pt_entry_t *table, unsigned idx, bool create)
{
	if (!(table[idx] & PTE_P)) {
		if (!create)
			return NULL;
		pt_entry_t *t = pt_alloc();
		if (t == NULL)
			return NULL;
		table[idx] = DMAP_TO_PHYS(t) | PTE_P | PTE_W;
	}
	return PHYS_TO_DMAP(table[idx] & PTE_ADDR);
}

/* The level-1 (4 KiB) entry for a kernel va, or NULL. */
static pt_entry_t *kpte(uint64_t va, bool create)
{
	pt_entry_t *pdpt = pt_next(kernel_pml4, PML4_INDEX(va), create);
	pt_entry_t *pd = pdpt ? pt_next(pdpt, PDPT_INDEX(va), create) : NULL;
	pt_entry_t *pt = pd ? pt_next(pd, PD_INDEX(va), create) : NULL;
	return pt ? &pt[PT_INDEX(va)] : NULL;
}

static void map_direct(uint64_t top)
{
	for (uint64_t pa = 0; pa < top; pa += LARGE_PAGE_SIZE) {
		uint64_t va = (uint64_t)PHYS_TO_DMAP(pa);
		pt_entry_t *pdpt = pt_next(kernel_pml4, PML4_INDEX(va), true);
		pt_entry_t *pd = pdpt ? pt_next(pdpt, PDPT_INDEX(va), true) : NULL;
		if (pd == NULL)
			panic("pmap_bootstrap: out of memory for the direct map");
		uint64_t flags = PTE_P | PTE_W | PTE_PS | PTE_G | PTE_NX;
		if (pa >= 3 * GiB && pa < 4 * GiB)
			flags |= PTE_PCD | PTE_PWT;     /* device memory (APIC, PCI BARs) */
		pd[PD_INDEX(va)] = pa | flags;
	}
}

static void map_kernel_range(char *start, char *end, uint64_t flags)
{
	for (uint64_t va = (uint64_t)start; va < (uint64_t)end; va += PAGE_SIZE) {
		pt_entry_t *pte = kpte(va, true);
		if (pte == NULL)
			panic("pmap_bootstrap: out of memory mapping the kernel");
		*pte = KVA_TO_PHYS(va) | flags | PTE_P | PTE_G;
	}
}

static void cpu_features(void)
{
	uint32_t r[4];
	cpuid(0, 0, r);
	if (r[0] >= 7) {
		cpuid(7, 0, r);
		cpu_has_smep = (r[1] >> 7) & 1;
		cpu_has_smap = (r[1] >> 20) & 1;
	}
}

void pmap_bootstrap(const struct bootinfo *bi)
{
	uint64_t top = 4 * GiB;
	for (int i = 0; i < bi->nram; i++)
		top = MAX(top, ROUNDUP(bi->ram[i].end, LARGE_PAGE_SIZE));

	kernel_pml4 = pt_alloc();
	if (kernel_pml4 == NULL)
		panic("pmap_bootstrap: no page for the PML4");
	kernel_pml4_phys = DMAP_TO_PHYS(kernel_pml4);
	map_direct(top);
	map_kernel_range(_text_start, _text_end, 0);
	map_kernel_range(_rodata_start, _rodata_end, PTE_NX);
	map_kernel_range(_data_start, _data_end, PTE_W | PTE_NX);
	map_kernel_range(_data_end, _kernel_end, PTE_NX);           /* .ksyms */
	*kpte((uint64_t)boot_stack_guard, false) = 0;                /* guard page */
	/* Pre-create every kernel PML4 slot so process page tables can share them. */
	for (unsigned i = 256; i < 512; i++)
		if (pt_next(kernel_pml4, i, true) == NULL)
			panic("pmap_bootstrap: out of memory for kernel PDPTs");

	cpu_features();
	write_cr4(read_cr4() | CR4_PGE | (cpu_has_smep ? CR4_SMEP : 0));
	write_cr3(kernel_pml4_phys);
}

int pmap_kenter(uint64_t va, uint64_t pa, uint64_t flags)
{
	spinlock_acquire(&kpmap_lock);
	pt_entry_t *pte = kpte(va, true);
	if (pte != NULL)
		*pte = pa | flags | PTE_P | PTE_G;
	spinlock_release(&kpmap_lock);
	return pte ? 0 : -ENOMEM;
}

void pmap_kremove(uint64_t va)
{
	spinlock_acquire(&kpmap_lock);
	pt_entry_t *pte = kpte(va, false);
	if (pte != NULL)
		*pte = 0;
	spinlock_release(&kpmap_lock);
	invlpg(va);
}

uint64_t pmap_kextract(uint64_t va)
{
	if (va >= DMAP_BASE && va < KSTACK_BASE)
		return DMAP_TO_PHYS(va);
	pt_entry_t *pte = kpte(va, false);
	if (pte == NULL || !(*pte & PTE_P))
		return 0;
	return (*pte & PTE_ADDR) | (va & PAGE_MASK);
}

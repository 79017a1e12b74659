/*
 * pmap.h - the machine-dependent half of the VM system: page tables.
 *
 * The kernel half of every address space (PML4 slots 256-511: the direct
 * map, kernel stacks and the kernel image) is shared by all page tables.
 * pmap_bootstrap() builds it with the right rights: kernel text read-only
 * and executable, everything else no-execute, a guard page under the boot
 * stack; then it drops the identity map the boot code needed.
 *
 * User pmaps (struct pmap) are the page tables of one process: a PML4 whose
 * lower half (slots 0-255) is private and whose upper half is a copy of the
 * kernel's.  The machine-independent VM calls only the functions below; it
 * never sees a page-table entry.  Every user mapping of a managed page is
 * recorded in that page's pv list (the reverse map), so the VM can find and
 * change all mappings of a page (copy-on-write, pageout) without knowing
 * which processes have it.
 *
 * The TLB.  Whenever pmap_enter, pmap_remove or pmap_protect change or
 * remove an entry that was present, they invalidate it
 * (pmap_invalidate_range) before anyone can rely on the change: the CPU
 * may still hold the old entry.  Only a pmap loaded in CR3 can be cached
 * (loading CR3 flushes every non-global entry, and user entries are not
 * global), so others need nothing.  Hardware accessed/dirty bits are
 * folded into the page's PG_REFERENCED/PG_DIRTY flags whenever a mapping
 * is removed.
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
/* Unmap npages of them from va, with one TLB shootdown for them all. */
void pmap_kremove_range(uint64_t va, uint64_t npages);
/* Physical address behind a kernel virtual address, or 0 if unmapped. */
uint64_t pmap_kextract(uint64_t va);

extern bool cpu_has_smep, cpu_has_smap;

/* ---------------------------------------------------------------- user pmaps */

struct vm_page;
struct pmap;

/* Protection bits for pmap_enter/pmap_protect: the PROT_* values of uapi/mman.h. */

/* A new user pmap with the kernel half installed, or NULL when out of memory. */
struct pmap *pmap_create(void);
/* Remove every user mapping and free all page-table pages and the pmap. */
void pmap_destroy(struct pmap *pmap);
/* Load pmap's tables into CR3 (NULL: the kernel-only tables). */
void pmap_activate(struct pmap *pmap);
bool pmap_is_active(const struct pmap *pmap);
/* Gather the other CPUs' TLB invalidations and send them as one at the end
 * (pmap.c says when that is safe).  A spinlock held throughout. */
void pmap_batch_begin(void);
void pmap_batch_end(void);
/* A TLB shootdown's TLB_DROP on this CPU (tlb.c): pmap is being destroyed. */
void pmap_tlb_drop(struct pmap *pmap);

/*
 * Map page m at user address va with prot (PROT_*).  Replaces any mapping
 * at va.  Returns 0 or -ENOMEM (no page-table page or pv entry); on failure
 * the old mapping at va, if any, is left as it was.  Does not sleep.
 */
int pmap_enter(struct pmap *pmap, uint64_t va, struct vm_page *m, int prot, bool wired);
/* Remove the mappings in [sva, eva). */
void pmap_remove(struct pmap *pmap, uint64_t sva, uint64_t eva);
/* Reduce the rights of the mappings in [sva, eva) to prot (never adds rights;
 * PROT_NONE removes them). */
void pmap_protect(struct pmap *pmap, uint64_t sva, uint64_t eva, int prot);
/* Physical address mapped at va (with the offset), or 0. */
uint64_t pmap_extract(struct pmap *pmap, uint64_t va);
/* Is va mapped writable in pmap?  (For tests and assertions.) */
bool pmap_is_writable(struct pmap *pmap, uint64_t va);
/* Number of user pages mapped, and of page-table pages held (PML4 included). */
uint64_t pmap_resident_count(const struct pmap *pmap);
uint64_t pmap_ptpage_count(const struct pmap *pmap);

/* Reverse-map operations on every mapping of page m. */
bool pmap_is_referenced(struct vm_page *m);
void pmap_clear_reference(struct vm_page *m);
bool pmap_is_modified(struct vm_page *m);
void pmap_clear_modify(struct vm_page *m);
/* Reduce every mapping of m to prot: without PROT_WRITE write-protects,
 * PROT_NONE removes them all. */
void pmap_page_protect(struct vm_page *m, int prot);
void pmap_remove_all(struct vm_page *m);
/* Number of mappings of m (length of its pv list). */
int pmap_page_mapping_count(struct vm_page *m);

/* TLB shootdown for [sva, eva) of pmap: only if pmap is loaded (one CPU today). */
void pmap_invalidate_range(struct pmap *pmap, uint64_t sva, uint64_t eva);

/* mlockall: a locked pmap's pages stay in memory (the pageout daemon asks). */
void pmap_set_locked(struct pmap *pmap, bool locked);
/* Is m mapped by a locked pmap? */
bool pmap_page_locked(struct vm_page *m);

/* Live pv entries, for leak checks. */
uint64_t pmap_pv_entry_count(void);

#endif

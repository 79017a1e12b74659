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
 *
 * Page-table pages come back.  Every page-table page below a PML4 keeps a
 * count of its present entries (vm_page.pt_entries).  When an unmap
 * leaves one empty, it is freed, its entry in the table above cleared,
 * and the count above dropped in turn, up to the PML4: a process that
 * maps 8 GiB, touches a byte per 2 MiB and unmaps it all gets its 4,100
 * page-table pages back at once, not at exit.  Freed table pages wait on
 * a local list until the TLB has been invalidated (the CPU caches upper
 * levels of the tables too), and only then go back to the allocator.
 * The kernel's own arena (vm/kva.h) does the same for its last level, so
 * kernel stacks and big heap blocks leave no page tables behind.  The
 * counter pt_pages (vmstat) is every user page-table page, PML4s included.
 *
 * User pmaps (second half of this file): see pmap.h.  Locking: one global
 * spinlock, pmap_lock, protects the lower half of every user pmap's tables,
 * the counts in struct pmap, and every page's pv list (marked (p) in
 * vm_page.h).  It is a leaf lock apart from the page allocator and kmem,
 * which never sleep.  What taking mappings out frees (pv entries, emptied
 * table pages) is freed only after the lock is let go (struct pmap_gone):
 * a munmap of 8 MiB held the lock, and so every other CPU's faults, through
 * 2048 trips into kmem.  One lock serves every CPU (the few this kernel runs
 * on); a per-pmap lock plus a pv-list lock is the refinement for many, and
 * every entry point already takes the lock in the one place where that
 * split would go.  It needs one thing more, FreeBSD's "delayed
 * invalidation": once pmap_remove takes pages off their pv lists under a
 * lock the page side shares, the pageout daemon can find a page unmapped
 * and free it before pmap_remove's shootdown, while another CPU may still
 * cache the mapping.  One lock held through the shootdown rules that out.
 * Entries a CPU's TLB may cache are invalidated there and on every other
 * CPU that has the pmap loaded (pmap_invalidate_range; tlb.c), and bits
 * the hardware may set meanwhile (accessed, dirty) are changed with
 * atomic instructions only.
 */
#include "kern/kernel.h"
#include "kern/string.h"
#include "kern/errno.h"
#include "kern/spinlock.h"
#include "kern/counters.h"
#include "kern/list.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/pmap.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/tlb.h"
#include "arch/x86_64/vmparam.h"
#include "arch/x86_64/multiboot.h"
#include "vm/vm_page.h"
#include "vm/kmem.h"
#include "vm/kva.h"
#include "uapi/mman.h"

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
	m->pt_entries = 0;
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

	/* SMEP: the kernel may never execute user pages.  SMAP: it may never
	 * touch them either, except inside copy_user (copyio.S: stac/clac). */
	cpu_features();
	write_cr4(read_cr4() | CR4_PGE | (cpu_has_smep ? CR4_SMEP : 0) |
	    (cpu_has_smap ? CR4_SMAP : 0));
	write_cr3(kernel_pml4_phys);
}

/* The page-table page that holds entry pte. */
static struct vm_page *ptp_of(const pt_entry_t *pte)
{
	return PHYS_TO_VM_PAGE(DMAP_TO_PHYS(page_trunc((uint64_t)pte)));
}

int pmap_kenter(uint64_t va, uint64_t pa, uint64_t flags)
{
	KASSERT(kva_contains(va), "pmap_kenter: %#lx is not in the kernel arena", va);
	spinlock_acquire(&kpmap_lock);
	pt_entry_t *pte = kpte(va, true);
	if (pte != NULL) {
		if (!(*pte & PTE_P))
			ptp_of(pte)->pt_entries++;
		*pte = pa | flags | PTE_P | PTE_G;
	}
	spinlock_release(&kpmap_lock);
	return pte ? 0 : -ENOMEM;
}

static void ptp_free_list(struct list *freed);

/*
 * Unmap npages arena pages from va; a last-level table left empty is
 * freed.  Kernel entries are global, so every CPU may hold them: one
 * shootdown for the whole range, before the tables go back.
 */
void pmap_kremove_range(uint64_t va, uint64_t npages)
{
	uint64_t end = va + npages * PAGE_SIZE;
	KASSERT(kva_contains(va) && (npages == 0 || kva_contains(end - 1)),
	    "pmap_kremove_range: %#lx + %lu pages is not in the kernel arena", va, npages);
	struct list empty = LIST_INIT(empty);
	spinlock_acquire(&kpmap_lock);
	for (uint64_t a = va; a < end; a += PAGE_SIZE) {
		pt_entry_t *pte = kpte(a, false);
		if (pte == NULL || !(*pte & PTE_P))
			continue;
		*pte = 0;
		struct vm_page *pt = ptp_of(pte);
		if (--pt->pt_entries == 0) {
			pt_entry_t *pdpt = PHYS_TO_DMAP(kernel_pml4[PML4_INDEX(a)] & PTE_ADDR);
			pt_entry_t *pd = PHYS_TO_DMAP(pdpt[PDPT_INDEX(a)] & PTE_ADDR);
			pd[PD_INDEX(a)] = 0;
			list_push_back(&empty, &pt->q);
		}
	}
	spinlock_release(&kpmap_lock);
	/* invlpg also drops the cached directory entries above */
	intr_push();
	tlb_invalidate_local(va, end, false);
	tlb_shootdown(tlb_online_cpus(), TLB_RANGE, NULL, va, end);
	intr_pop();
	ptp_free_list(&empty);
}

void pmap_kremove(uint64_t va)
{
	pmap_kremove_range(va, 1);
}

uint64_t pmap_kextract(uint64_t va)
{
	if (va >= DMAP_BASE && va < KVA_BASE)
		return DMAP_TO_PHYS(va);
	pt_entry_t *pte = kpte(va, false);
	if (pte == NULL || !(*pte & PTE_P))
		return 0;
	return (*pte & PTE_ADDR) | (va & PAGE_MASK);
}

/* ------------------------------------------------------------------ user pmaps */

/* The page tables of one address space. */
struct pmap {
	pt_entry_t *pml4;               /* (c) direct-map address of the PML4 */
	uint64_t pml4_phys;             /* (c) what goes into CR3 */
	uint64_t resident;              /* (p) user pages mapped */
	uint64_t ptpages;               /* (p) page-table pages, PML4 included */
	bool locked;                    /* (p) mlockall: keep what it maps in memory */
	cpuset_t active;                /* (a) CPUs with it loaded in CR3: those that may
	                                   cache its entries (pmap_activate) */
};

/* One mapping of a page: an element of the page's pv list. */
struct pv_entry {
	struct pv_entry *next;          /* (p) next mapping of the same page */
	struct pmap *pmap;              /* (p) */
	uint64_t va;                    /* (p) */
};

#define PTE_WIRED       0x200ul         /* software bit: a wired mapping */
#define USER_PML4_SLOTS 256

static struct spinlock pmap_lock = SPINLOCK_INIT("pmap");
static uint64_t pv_entries;            /* (p) */

static uint64_t prot_to_pte(int prot)
{
	uint64_t bits = PTE_P | PTE_U;
	if (prot & PROT_WRITE)
		bits |= PTE_W;
	if (!(prot & PROT_EXEC))
		bits |= PTE_NX;
	return bits;
}

/* First address above the 2^shift-aligned span that holds va. */
static uint64_t span_end(uint64_t va, int shift)
{
	return (va | ((1ul << shift) - 1)) + 1;
}

/* Like pt_next(), for user tables (PTE_U on the intermediate entries). */
static pt_entry_t *upt_next(struct pmap *pmap, pt_entry_t *table, unsigned idx, bool create)
{
	if (!(table[idx] & PTE_P)) {
		if (!create)
			return NULL;
		pt_entry_t *t = pt_alloc();
		if (t == NULL)
			return NULL;
		pmap->ptpages++;
		COUNTER_INC(pt_pages);
		if (table != pmap->pml4)
			ptp_of(table)->pt_entries++;
		table[idx] = DMAP_TO_PHYS(t) | PTE_P | PTE_W | PTE_U;
	}
	return PHYS_TO_DMAP(table[idx] & PTE_ADDR);
}

/* The level-1 entry for user va, creating tables if asked.  pmap_lock held. */
static pt_entry_t *pmap_pte(struct pmap *pmap, uint64_t va, bool create)
{
	pt_entry_t *pdpt = upt_next(pmap, pmap->pml4, PML4_INDEX(va), create);
	pt_entry_t *pd = pdpt ? upt_next(pmap, pdpt, PDPT_INDEX(va), create) : NULL;
	pt_entry_t *pt = pd ? upt_next(pmap, pd, PD_INDEX(va), create) : NULL;
	return pt ? &pt[PT_INDEX(va)] : NULL;
}

/*
 * The level-1 table covering va, or NULL if a level is missing; *next is set
 * to the end of what the answer covers (so absent 512 GiB, 1 GiB, 2 MiB
 * spans are skipped in one step).  pmap_lock held.
 */
static pt_entry_t *pmap_pt_span(struct pmap *pmap, uint64_t va, uint64_t *next)
{
	pt_entry_t *pdpt = upt_next(pmap, pmap->pml4, PML4_INDEX(va), false);
	if (pdpt == NULL) {
		*next = span_end(va, 39);
		return NULL;
	}
	pt_entry_t *pd = upt_next(pmap, pdpt, PDPT_INDEX(va), false);
	if (pd == NULL) {
		*next = span_end(va, 30);
		return NULL;
	}
	*next = span_end(va, 21);
	return upt_next(pmap, pd, PD_INDEX(va), false);
}

bool pmap_is_active(const struct pmap *pmap)
{
	uint64_t cr3 = read_cr3() & PTE_ADDR;
	return pmap == NULL ? cr3 == kernel_pml4_phys : cr3 == pmap->pml4_phys;
}

/*
 * Make every TLB forget [sva, eva) of pmap: this CPU's if it has pmap
 * loaded, and each other CPU's that has, by a shootdown (tlb.c), waiting
 * until they all have.  Only a loaded pmap can be cached: loading CR3
 * flushes every user entry.  The fence orders the caller's change of the
 * tables before the look at pmap->active (tlb.c, "Ordering").
 */
void pmap_invalidate_range(struct pmap *pmap, uint64_t sva, uint64_t eva)
{
	if (sva >= eva)
		return;
	intr_push();                            /* "this CPU" must stay this CPU */
	if (pmap_is_active(pmap))
		tlb_invalidate_local(sva, eva, true);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	struct cpu *c = this_cpu();
	cpuset_t others = __atomic_load_n(&pmap->active, __ATOMIC_RELAXED) & ~CPUSET_BIT(c->id);
	if (others != 0 && c->tlb_batching)
		c->tlb_batch |= others;                 /* pmap_batch_end sends it */
	else if (others != 0)
		tlb_shootdown(others, TLB_RANGE, pmap, sva, eva);
	intr_pop();
}

/*
 * Page-table pages are freed at once, not at the batch's end: a CPU may
 * cache upper-level entries too, so the batch's flush must reach them
 * before one goes back to the allocator.  (A full flush, as the batch's
 * end sends, drops those caches too.)
 */
static void batch_flush_before_free(struct list *freed)
{
	struct cpu *c = this_cpu();
	if (!c->tlb_batching || list_empty(freed) || c->tlb_batch == 0)
		return;
	tlb_shootdown(c->tlb_batch, TLB_FLUSH_USER, NULL, 0, 0);
	c->tlb_batch = 0;
}

/*
 * A batch of changes to many pages' mappings -- the pageout daemon write-
 * protecting, then unmapping, a cluster of 16 -- would cost one shootdown
 * per page, each a round trip to another CPU; and under an emulator the
 * round trip costs far more than the flush.  Between pmap_batch_begin and
 * pmap_batch_end the other CPUs' invalidations are only gathered (this
 * CPU's are done at once), and the end sends one request that flushes
 * every user entry on each CPU gathered.  Until the end, another CPU may
 * still use an old entry: the caller must not free, write out or rely on
 * the pages it changed before then.  Interrupts stay off in between (the
 * caller holds a spinlock): the batch is this CPU's.
 */
void pmap_batch_begin(void)
{
	KASSERT(intr_pushed(), "pmap_batch_begin: interrupts on (no spinlock held)");
	struct cpu *c = this_cpu();
	KASSERT(!c->tlb_batching, "pmap_batch_begin: a batch is open");
	c->tlb_batching = true;
	c->tlb_batch = 0;
}

void pmap_batch_end(void)
{
	struct cpu *c = this_cpu();
	KASSERT(c->tlb_batching, "pmap_batch_end: no batch is open");
	c->tlb_batching = false;
	if (c->tlb_batch != 0)
		tlb_shootdown(c->tlb_batch, TLB_FLUSH_USER, NULL, 0, 0);
}

/* A shootdown's TLB_DROP: pmap is going away; stop using it here. */
void pmap_tlb_drop(struct pmap *pmap)
{
	if (this_cpu()->pmap == pmap)
		pmap_activate(NULL);
}

static void pv_insert(struct vm_page *m, struct pv_entry *pv, struct pmap *pmap, uint64_t va)
{
	pv->pmap = pmap;
	pv->va = va;
	pv->next = m->pv_list;
	m->pv_list = pv;
	pv_entries++;
}

/*
 * What taking mappings out leaves to free once pmap_lock is let go: the
 * page-table pages that emptied (only after the TLBs have forgotten them)
 * and the pv entries.  Freeing them under the lock would hold every other
 * CPU's fault, in every process, behind kmem's and the allocator's locks
 * too: munmap of 8 MiB frees 2048 pv entries.
 */
struct pmap_gone {
	struct list tables;             /* vm_pages, linked through q */
	struct pv_entry *pvs;           /* linked through next */
};

#define PMAP_GONE_INIT(g) { LIST_INIT((g).tables), NULL }

static void pv_remove(struct vm_page *m, struct pmap *pmap, uint64_t va, struct pmap_gone *gone)
{
	for (struct pv_entry **pp = &m->pv_list; *pp; pp = &(*pp)->next) {
		struct pv_entry *pv = *pp;
		if (pv->pmap == pmap && pv->va == va) {
			*pp = pv->next;
			pv_entries--;
			pv->next = gone->pvs;
			gone->pvs = pv;
			return;
		}
	}
	panic("pv_remove: page %#lx has no mapping at %#lx", VM_PAGE_TO_PHYS(m), va);
}

/* Fold a PTE's accessed/dirty bits into its page's flags. */
static void pte_sync_flags(struct vm_page *m, pt_entry_t pte)
{
	uint16_t bits = ((pte & PTE_A) ? PG_REFERENCED : 0) | ((pte & PTE_D) ? PG_DIRTY : 0);
	if (bits)
		__atomic_fetch_or(&m->flags, bits, __ATOMIC_RELAXED);
}

/* Take the mapping at *pte (va) out of pmap, leaving the table's count
 * alone (pmap_enter puts another in its place).  pmap_lock held. */
static void pte_clear(struct pmap *pmap, pt_entry_t *pte, uint64_t va, struct pmap_gone *gone)
{
	/* Atomically: another CPU may be setting the dirty bit this moment. */
	pt_entry_t old = __atomic_exchange_n(pte, 0, __ATOMIC_SEQ_CST);
	struct vm_page *m = PHYS_TO_VM_PAGE(old & PTE_ADDR);
	pte_sync_flags(m, old);
	pv_remove(m, pmap, va, gone);
	pmap->resident--;
}

/*
 * The mapping at va has just gone: drop its table's count, and put every
 * table that leaves empty on the way up (clearing the entry that pointed
 * at it) on *freed, to be freed after the TLB is invalidated.
 * pmap_lock held.
 */
static void ptp_unuse(struct pmap *pmap, uint64_t va, struct list *freed)
{
	pt_entry_t *pml4e = &pmap->pml4[PML4_INDEX(va)];
	pt_entry_t *pdpte = (pt_entry_t *)PHYS_TO_DMAP(*pml4e & PTE_ADDR) + PDPT_INDEX(va);
	pt_entry_t *pde = (pt_entry_t *)PHYS_TO_DMAP(*pdpte & PTE_ADDR) + PD_INDEX(va);
	pt_entry_t *up[3] = { pde, pdpte, pml4e };      /* the entry above the PT, PD, PDPT */
	for (int level = 0; level < 3; level++) {
		struct vm_page *table = PHYS_TO_VM_PAGE(*up[level] & PTE_ADDR);
		KASSERT(table->pt_entries > 0, "ptp_unuse: table of %#lx already empty", va);
		if (--table->pt_entries > 0)
			return;
		*up[level] = 0;
		list_push_back(freed, &table->q);
		pmap->ptpages--;
		COUNTER_DEC(pt_pages);
	}
}

/* Give back the table pages ptp_unuse collected (after invalidation). */
static void ptp_free_list(struct list *freed)
{
	struct list_node *n;
	while ((n = list_pop_front(freed)) != NULL)
		vm_page_free(list_entry(n, struct vm_page, q));
}

/* Remove the mapping at *pte (va) from pmap, tables that empty included;
 * the caller invalidates, then frees what is *gone.  pmap_lock held. */
static void pte_remove(struct pmap *pmap, pt_entry_t *pte, uint64_t va, struct pmap_gone *gone)
{
	pte_clear(pmap, pte, va, gone);
	ptp_unuse(pmap, va, &gone->tables);
}

/* Free what is *gone.  pmap_lock not held; the TLBs have been invalidated. */
static void pmap_gone_free(struct pmap_gone *gone)
{
	ptp_free_list(&gone->tables);
	while (gone->pvs != NULL) {
		struct pv_entry *pv = gone->pvs;
		gone->pvs = pv->next;
		kfree(pv);
	}
}

struct pmap *pmap_create(void)
{
	struct pmap *pmap = kmalloc(sizeof(*pmap), KM_ZERO);
	if (pmap == NULL)
		return NULL;
	pmap->pml4 = pt_alloc();
	if (pmap->pml4 == NULL) {
		kfree(pmap);
		return NULL;
	}
	pmap->pml4_phys = DMAP_TO_PHYS(pmap->pml4);
	pmap->ptpages = 1;
	COUNTER_INC(pt_pages);
	for (unsigned i = USER_PML4_SLOTS; i < 512; i++)
		pmap->pml4[i] = kernel_pml4[i];
	return pmap;
}

static void pt_free(struct pmap *pmap, pt_entry_t entry)
{
	struct vm_page *m = PHYS_TO_VM_PAGE(entry & PTE_ADDR);
	m->pt_entries = 0;
	vm_page_free(m);
	pmap->ptpages--;
	COUNTER_DEC(pt_pages);
}

/* Free the page-table pages under one PML4 slot.  pmap_lock held. */
static void pmap_free_pdpt(struct pmap *pmap, pt_entry_t pml4e)
{
	pt_entry_t *pdpt = PHYS_TO_DMAP(pml4e & PTE_ADDR);
	for (unsigned j = 0; j < 512; j++) {
		if (!(pdpt[j] & PTE_P))
			continue;
		pt_entry_t *pd = PHYS_TO_DMAP(pdpt[j] & PTE_ADDR);
		for (unsigned k = 0; k < 512; k++)
			if (pd[k] & PTE_P)
				pt_free(pmap, pd[k]);
		pt_free(pmap, pdpt[j]);
	}
	pt_free(pmap, pml4e);
}

/*
 * Destroy pmap: remove every remaining user mapping (dropping pv entries),
 * free all its page-table pages, and the pmap.  If it is loaded, the kernel
 * tables are loaded first.
 */
void pmap_destroy(struct pmap *pmap)
{
	if (pmap == NULL)
		return;
	/* No CPU may keep it loaded: this one loads the kernel's tables, and
	 * so does any other that still has it from its last process (which
	 * is not this pmap's: nothing uses it now).  Then nobody caches its
	 * entries, and pmap_remove need not shoot anything down. */
	intr_push();
	if (pmap_is_active(pmap))
		pmap_activate(NULL);
	cpuset_t others = __atomic_load_n(&pmap->active, __ATOMIC_ACQUIRE);
	if (others != 0)
		tlb_shootdown(others, TLB_DROP, pmap, 0, 0);
	intr_pop();
	KASSERT(__atomic_load_n(&pmap->active, __ATOMIC_ACQUIRE) == 0,
	    "pmap_destroy: still loaded on CPUs %#x", pmap->active);
	pmap_remove(pmap, 0, USER_MAX);
	spinlock_acquire(&pmap_lock);
	KASSERT(pmap->resident == 0, "pmap_destroy: %lu pages still mapped", pmap->resident);
	for (unsigned i = 0; i < USER_PML4_SLOTS; i++)
		if (pmap->pml4[i] & PTE_P)
			pmap_free_pdpt(pmap, pmap->pml4[i]);
	spinlock_release(&pmap_lock);
	KASSERT(pmap->ptpages == 1, "pmap_destroy: %lu page-table pages unaccounted", pmap->ptpages - 1);
	vm_page_free(PHYS_TO_VM_PAGE(pmap->pml4_phys));
	COUNTER_DEC(pt_pages);
	kfree(pmap);
}

/*
 * Load pmap, and keep pmap->active true: this CPU's bit is set before CR3
 * is loaded, so a shootdown that misses it came before the load, whose
 * TLB flush covers it; and cleared from the old pmap only after the load,
 * when this CPU can no longer cache the old pmap's entries.
 */
void pmap_activate(struct pmap *pmap)
{
	intr_push();
	struct cpu *c = this_cpu();
	struct pmap *old = c->pmap;
	cpuset_t me = CPUSET_BIT(c->id);
	uint64_t want = pmap ? pmap->pml4_phys : kernel_pml4_phys;
	if (pmap != NULL && pmap != old)
		__atomic_fetch_or(&pmap->active, me, __ATOMIC_SEQ_CST);
	if ((read_cr3() & PTE_ADDR) != want)
		write_cr3(want);
	if (old != NULL && old != pmap)
		__atomic_fetch_and(&old->active, ~me, __ATOMIC_SEQ_CST);
	c->pmap = pmap;
	intr_pop();
}

int pmap_enter(struct pmap *pmap, uint64_t va, struct vm_page *m, int prot, bool wired)
{
	KASSERT(va < USER_MAX && (va & PAGE_MASK) == 0, "pmap_enter: bad va %#lx", va);
	uint64_t pa = VM_PAGE_TO_PHYS(m);
	pt_entry_t npte = pa | prot_to_pte(prot) | (wired ? PTE_WIRED : 0);
	struct pv_entry *pv = kmalloc(sizeof(*pv), 0);
	if (pv == NULL)
		return -ENOMEM;
	struct pmap_gone gone = PMAP_GONE_INIT(gone);
	spinlock_acquire(&pmap_lock);
	pt_entry_t *pte = pmap_pte(pmap, va, true);
	if (pte == NULL) {
		spinlock_release(&pmap_lock);
		kfree(pv);
		return -ENOMEM;
	}
	pt_entry_t old = *pte;
	if ((old & PTE_P) && (old & PTE_ADDR) == pa) {
		/* Same page: new rights only, keeping accessed/dirty, which
		 * another CPU may set until the exchange succeeds. */
		while (!__atomic_compare_exchange_n(pte, &old, npte | (old & (PTE_A | PTE_D)), false,
		    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
			;
	} else {
		if (old & PTE_P)
			pte_clear(pmap, pte, va, &gone);        /* replaced: the table's count stays */
		else
			ptp_of(pte)->pt_entries++;
		*pte = npte;
		pv_insert(m, pv, pmap, va);
		pmap->resident++;
		pv = NULL;
	}
	if ((old & PTE_P) && old != *pte)
		pmap_invalidate_range(pmap, va, va + PAGE_SIZE);
	spinlock_release(&pmap_lock);
	kfree(pv);
	pmap_gone_free(&gone);
	return 0;
}

/* What pmap_apply does to each present PTE; returns true if the PTE
 * changed.  A function that takes mappings out puts what goes on *gone. */
typedef bool (*pte_fn)(struct pmap *pmap, pt_entry_t *pte, uint64_t va, int arg,
    struct pmap_gone *gone);

/*
 * Apply fn to each present PTE of [sva, eva), and invalidate what changed;
 * the caller frees what is *gone after letting go of the lock.  A table
 * emptied under us ends the walk of its span (everything in it is gone).
 * pmap_lock held.
 */
static void pmap_apply(struct pmap *pmap, uint64_t sva, uint64_t eva, pte_fn fn, int arg,
    struct pmap_gone *gone)
{
	uint64_t lo = eva, hi = sva, next;
	eva = MIN(eva, USER_MAX);
	for (uint64_t va = sva; va < eva; va = next) {
		pt_entry_t *pt = pmap_pt_span(pmap, va, &next);
		next = MIN(next, eva);
		for (; pt != NULL && va < next; va += PAGE_SIZE) {
			struct vm_page *table = ptp_of(pt);
			if ((pt[PT_INDEX(va)] & PTE_P) && fn(pmap, &pt[PT_INDEX(va)], va, arg, gone)) {
				lo = MIN(lo, va);
				hi = MAX(hi, va + PAGE_SIZE);
				if (table->pt_entries == 0)
					break;          /* the table itself went */
			}
		}
	}
	pmap_invalidate_range(pmap, lo, hi);
}

static bool pte_fn_remove(struct pmap *pmap, pt_entry_t *pte, uint64_t va, int arg __unused,
    struct pmap_gone *gone)
{
	pte_remove(pmap, pte, va, gone);
	return true;
}

void pmap_remove(struct pmap *pmap, uint64_t sva, uint64_t eva)
{
	struct pmap_gone gone = PMAP_GONE_INIT(gone);
	spinlock_acquire(&pmap_lock);
	pmap_apply(pmap, sva, eva, pte_fn_remove, 0, &gone);
	batch_flush_before_free(&gone.tables);
	spinlock_release(&pmap_lock);
	pmap_gone_free(&gone);
}

void pmap_protect(struct pmap *pmap, uint64_t sva, uint64_t eva, int prot)
{
	if ((prot & (PROT_READ | PROT_WRITE | PROT_EXEC)) == PROT_NONE) {
		pmap_remove(pmap, sva, eva);
		return;
	}
	/* Bit by bit, atomically: a CPU that has the page mapped may set the
	 * accessed or dirty bit meanwhile, and a plain store would lose it.
	 * (Only the hardware's A and D change under us: W and NX are ours.)
	 * Its own loop, not pmap_apply's call per PTE: fork write-protects
	 * every page of the parent each time, most of them already so, and
	 * the call and the masks' sums per PTE cost fork_32mib_private a
	 * quarter of its time (ICOUNT=1). */
	pt_entry_t clear = (prot & PROT_WRITE) ? 0 : PTE_W;
	pt_entry_t set = (prot & PROT_EXEC) ? 0 : PTE_NX;
	uint64_t lo = eva, hi = sva, next;
	eva = MIN(eva, USER_MAX);
	spinlock_acquire(&pmap_lock);
	for (uint64_t va = sva; va < eva; va = next) {
		pt_entry_t *pt = pmap_pt_span(pmap, va, &next);
		next = MIN(next, eva);
		for (; pt != NULL && va < next; va += PAGE_SIZE) {
			pt_entry_t *pte = &pt[PT_INDEX(va)], old = *pte;
			if (!(old & PTE_P) || ((old & clear) == 0 && (old & set) == set))
				continue;
			if (old & clear)
				__atomic_fetch_and(pte, ~clear, __ATOMIC_SEQ_CST);
			if ((old & set) != set)
				__atomic_fetch_or(pte, set, __ATOMIC_SEQ_CST);
			lo = MIN(lo, va);
			hi = MAX(hi, va + PAGE_SIZE);
		}
	}
	pmap_invalidate_range(pmap, lo, hi);
	spinlock_release(&pmap_lock);
}

uint64_t pmap_extract(struct pmap *pmap, uint64_t va)
{
	if (va >= USER_MAX)
		return 0;
	spinlock_acquire(&pmap_lock);
	pt_entry_t *pte = pmap_pte(pmap, va, false);
	uint64_t pa = (pte && (*pte & PTE_P)) ? (*pte & PTE_ADDR) | (va & PAGE_MASK) : 0;
	spinlock_release(&pmap_lock);
	return pa;
}

bool pmap_is_writable(struct pmap *pmap, uint64_t va)
{
	if (va >= USER_MAX)
		return false;
	spinlock_acquire(&pmap_lock);
	pt_entry_t *pte = pmap_pte(pmap, va, false);
	bool w = pte && (*pte & (PTE_P | PTE_W)) == (PTE_P | PTE_W);
	spinlock_release(&pmap_lock);
	return w;
}

uint64_t pmap_resident_count(const struct pmap *pmap)
{
	return pmap ? __atomic_load_n(&pmap->resident, __ATOMIC_RELAXED) : 0;
}

uint64_t pmap_ptpage_count(const struct pmap *pmap)
{
	return pmap ? pmap->ptpages : 0;
}

void pmap_set_locked(struct pmap *pmap, bool locked)
{
	spinlock_acquire(&pmap_lock);
	pmap->locked = locked;
	spinlock_release(&pmap_lock);
}

bool pmap_page_locked(struct vm_page *m)
{
	bool locked = false;
	spinlock_acquire(&pmap_lock);
	for (struct pv_entry *pv = m->pv_list; pv && !locked; pv = pv->next)
		locked = pv->pmap->locked;
	spinlock_release(&pmap_lock);
	return locked;
}

uint64_t pmap_pv_entry_count(void)
{
	return __atomic_load_n(&pv_entries, __ATOMIC_RELAXED);
}

/* The PTE behind one pv entry (it exists while the pv entry does).  pmap_lock held. */
static pt_entry_t *pv_pte(const struct pv_entry *pv)
{
	pt_entry_t *pte = pmap_pte(pv->pmap, pv->va, false);
	KASSERT(pte && (*pte & PTE_P), "pv_pte: stale pv entry for va %#lx", pv->va);
	return pte;
}

/* Does any mapping of m have one of the PTE bits in `bits` set? */
static bool pv_test_bits(struct vm_page *m, pt_entry_t bits)
{
	bool set = false;
	spinlock_acquire(&pmap_lock);
	for (struct pv_entry *pv = m->pv_list; pv && !set; pv = pv->next)
		set = (*pv_pte(pv) & bits) != 0;
	spinlock_release(&pmap_lock);
	return set;
}

/* Clear `bits` in every mapping of m, invalidating each one changed. */
static void pv_clear_bits(struct vm_page *m, pt_entry_t bits)
{
	spinlock_acquire(&pmap_lock);
	for (struct pv_entry *pv = m->pv_list; pv; pv = pv->next) {
		pt_entry_t *pte = pv_pte(pv);
		if (*pte & bits) {
			__atomic_fetch_and(pte, ~bits, __ATOMIC_SEQ_CST);  /* see pmap_protect */
			pmap_invalidate_range(pv->pmap, pv->va, pv->va + PAGE_SIZE);
		}
	}
	spinlock_release(&pmap_lock);
}

bool pmap_is_referenced(struct vm_page *m) { return pv_test_bits(m, PTE_A); }
void pmap_clear_reference(struct vm_page *m) { pv_clear_bits(m, PTE_A); }
bool pmap_is_modified(struct vm_page *m) { return pv_test_bits(m, PTE_D); }

void pmap_clear_modify(struct vm_page *m) { pv_clear_bits(m, PTE_D); }

void pmap_remove_all(struct vm_page *m)
{
	struct pmap_gone gone = PMAP_GONE_INIT(gone);
	spinlock_acquire(&pmap_lock);
	while (m->pv_list != NULL) {
		struct pmap *pmap = m->pv_list->pmap;
		uint64_t va = m->pv_list->va;
		pte_remove(pmap, pv_pte(m->pv_list), va, &gone);
		pmap_invalidate_range(pmap, va, va + PAGE_SIZE);
	}
	batch_flush_before_free(&gone.tables);
	spinlock_release(&pmap_lock);
	pmap_gone_free(&gone);
}

void pmap_page_protect(struct vm_page *m, int prot)
{
	if ((prot & (PROT_READ | PROT_WRITE | PROT_EXEC)) == PROT_NONE)
		pmap_remove_all(m);
	else if (!(prot & PROT_WRITE))
		pv_clear_bits(m, PTE_W);
}

int pmap_page_mapping_count(struct vm_page *m)
{
	int n = 0;
	spinlock_acquire(&pmap_lock);
	for (struct pv_entry *pv = m->pv_list; pv; pv = pv->next)
		n++;
	spinlock_release(&pmap_lock);
	return n;
}

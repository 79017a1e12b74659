/*
 * mp.c - start the other CPUs, and park them.
 *
 * At power-on one CPU runs (the bootstrap processor, BSP); the others
 * (application processors, APs) wait for a message from it.  The Intel
 * SDM (vol. 3, 9.4.4, "MP initialization example") gives the recipe, sent
 * through the local APIC's interrupt command register (lapic.c):
 *
 *   INIT          the AP resets and waits for a STARTUP;   wait 10 ms
 *   STARTUP (SIPI) the AP starts in real mode at page V;   wait 200 us
 *   STARTUP again (older CPUs may miss the first);         wait 200 us
 *
 * The STARTUP's vector V names a 4 KiB page below 1 MiB where the AP
 * begins, in 16-bit real mode: the trampoline (mp_trampoline.S), which
 * climbs to long mode and calls mp_ap_entry() here on the AP's own stack.
 *
 * Which page.  MP_TRAMPOLINE_PA (0x8000) and the three pages after it.  The
 * page allocator never hands out a frame below the end of the kernel image,
 * low 1 MiB included (vm_page.c), so nothing else of the kernel's lives
 * there; what remains to check at boot is that the firmware's memory map
 * calls those pages usable RAM and that GRUB did not leave the boot
 * information or a module there (trampoline_check).  Reserving a page from
 * the allocator instead would work too, but the allocator may hand out any
 * frame, and only one below 1 MiB can be a STARTUP vector.
 *
 * One AP at a time.  The trampoline page holds one set of arguments (a
 * stack, a struct cpu), so the BSP starts an AP, waits until it says it
 * runs C on its own stack (cpu->started), and only then rewrites them for
 * the next.  An AP that does not answer in MP_START_TIMEOUT_MS gets an
 * INIT again, which stops it wherever it was, so it cannot wake later on
 * another CPU's arguments; it is reported, its slot in cpus[] stays empty
 * (started == 0) and boot goes on.  CPU numbers follow the MADT's order,
 * the BSP being cpu0, so a CPU that failed leaves a hole, not a renumbering.
 *
 * Parking, then work.  An AP that runs C touches only its own struct cpu,
 * its own GDT/TSS, its own stack and the count of CPUs up (an atomic add),
 * and halts until kmain is done setting the kernel up
 * (mp_release_aps): the allocator, the devices and the first processes
 * are made by the boot CPU alone.  It does not even print before then;
 * the BSP prints the AP's line for it, with the APIC id the AP read from
 * its own local APIC -- proof that the line is about a CPU that really
 * runs our code.  Released, the AP sets up what is its own (FPU state,
 * syscall MSRs, its timer) and enters the scheduler loop, its idle thread
 * (sched.c).
 */
#include "kern/kernel.h"
#include "kern/string.h"
#include "kern/errno.h"
#include "kern/printf.h"
#include "kern/clock.h"
#include "kern/sched.h"
#include "kern/syscall.h"
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/tlb.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/acpi.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/mp.h"
#include "arch/x86_64/multiboot.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/pit.h"
#include "arch/x86_64/pmap.h"
#include "arch/x86_64/trap.h"
#include "arch/x86_64/vmparam.h"
#include "vm/kva.h"

#define MP_AP_STACK_PAGES    4          /* 16 KiB, above an unmapped guard page */
#define MP_START_TIMEOUT_MS  1000       /* generous: TCG on a busy host is slow */

extern char mp_trampoline_start[], mp_trampoline_end[];
extern char mp_tramp_cr3[], mp_tramp_stack[], mp_tramp_entry[], mp_tramp_arg[];
extern pt_entry_t *kernel_pml4;
extern uint64_t kernel_pml4_phys;

static int ncpus_up = 1;                /* (a) the BSP, and each AP as it reports */
static uint64_t bsp_cr4;                /* (c) the APs copy the BSP's CR4 */
static int released;                    /* (a) the BSP let the APs run (mp_release_aps) */

int mp_ncpus_up(void)
{
	return __atomic_load_n(&ncpus_up, __ATOMIC_ACQUIRE);
}

/* The C half of an AP's start, on its own stack, interrupts off. */
static void __noreturn mp_ap_entry(struct cpu *c)
{
	write_cr3(kernel_pml4_phys);            /* off the trampoline's tables */
	write_cr4(bsp_cr4);                     /* global pages, SMEP/SMAP: as the BSP */
	gdt_init(c->id);
	trap_init_ap();
	percpu_init_ap(c);
	lapic_init_ap();
	c->apic_id_seen = lapic_id();
	__atomic_add_fetch(&ncpus_up, 1, __ATOMIC_SEQ_CST);
	__atomic_store_n(&c->started, 1, __ATOMIC_RELEASE);
	/* Parked (see the top) until the kernel is ready for us: halted, so
	 * that the host thread emulating us sleeps too.  Only an IPI can come
	 * (our timer is masked, device interrupts go to the BSP), and only
	 * mp_release_aps sends one, to wake us. */
	while (!__atomic_load_n(&released, __ATOMIC_ACQUIRE))
		__asm__ volatile("sti; hlt; cli" ::: "memory");
	fpu_init_ap();                          /* the BSP did its own after we started */
	syscall_init();                         /* STAR/LSTAR/SFMASK are per CPU */
	clock_start_ap();
	sched_run();
}

void mp_release_aps(void)
{
	__atomic_store_n(&released, 1, __ATOMIC_RELEASE);
	for (int i = 1; i < MAXCPU; i++)
		if (__atomic_load_n(&cpus[i].started, __ATOMIC_ACQUIRE))
			lapic_send_ipi(cpus[i].apic_id, T_IPI_RESCHED);
}

static bool overlaps(uint64_t a, uint64_t b, const struct phys_range *r)
{
	return a < r->end && r->start < b;
}

/* Are the trampoline's pages usable RAM that GRUB left free?  (See the top.) */
static bool trampoline_check(void)
{
	uint64_t a = MP_TRAMPOLINE_PA, b = a + MP_TRAMPOLINE_PAGES * PAGE_SIZE;
	bool ram = false;
	for (int i = 0; i < bootinfo.nram; i++)
		ram |= bootinfo.ram[i].start <= a && b <= bootinfo.ram[i].end;
	if (!ram || overlaps(a, b, &bootinfo.mbi))
		return false;
	for (int i = 0; i < bootinfo.nmodules; i++) {
		struct phys_range m = { bootinfo.modules[i].start, bootinfo.modules[i].end };
		if (overlaps(a, b, &m))
			return false;
	}
	return mp_trampoline_end - mp_trampoline_start <= (long)PAGE_SIZE;
}

/* Copy the trampoline down and build its page tables (mp_trampoline.S). */
static void trampoline_install(void)
{
	uint8_t *page = PHYS_TO_DMAP(MP_TRAMPOLINE_PA);
	pt_entry_t *pml4 = (pt_entry_t *)(page + PAGE_SIZE);
	pt_entry_t *pdpt = (pt_entry_t *)(page + 2 * PAGE_SIZE);
	pt_entry_t *pd = (pt_entry_t *)(page + 3 * PAGE_SIZE);

	memcpy(page, mp_trampoline_start, mp_trampoline_end - mp_trampoline_start);
	memset(pml4, 0, 3 * PAGE_SIZE);
	pml4[0] = (MP_TRAMPOLINE_PA + 2 * PAGE_SIZE) | PTE_P | PTE_W;
	pdpt[0] = (MP_TRAMPOLINE_PA + 3 * PAGE_SIZE) | PTE_P | PTE_W;
	pd[0] = 0 | PTE_P | PTE_W | PTE_PS;     /* 0-2 MiB identity, executable */
	uint64_t cr3 = MP_TRAMPOLINE_PA + PAGE_SIZE;
	memcpy(page + (mp_tramp_cr3 - mp_trampoline_start), &cr3, sizeof(cr3));
}

/* Point the trampoline at c, its stack and mp_ap_entry. */
static void trampoline_aim(struct cpu *c, uint64_t stack_top)
{
	uint8_t *page = PHYS_TO_DMAP(MP_TRAMPOLINE_PA);
	pt_entry_t *pml4 = (pt_entry_t *)(page + PAGE_SIZE);
	uint64_t entry = (uint64_t)mp_ap_entry, arg = (uint64_t)c;

	/* The kernel half, as it is now: it has the stack just allocated. */
	memcpy(&pml4[256], &kernel_pml4[256], 256 * sizeof(pt_entry_t));
	memcpy(page + (mp_tramp_stack - mp_trampoline_start), &stack_top, 8);
	memcpy(page + (mp_tramp_entry - mp_trampoline_start), &entry, 8);
	memcpy(page + (mp_tramp_arg - mp_trampoline_start), &arg, 8);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

static bool started(struct cpu *c)
{
	return __atomic_load_n(&c->started, __ATOMIC_ACQUIRE) != 0;
}

/* INIT, STARTUP, STARTUP (the top), then wait for c to report. */
static int start_one(struct cpu *c)
{
	uint64_t base;
	if (kva_alloc(MP_AP_STACK_PAGES + 1, &base) != 0)
		return -ENOMEM;
	if (kva_map_new_pages(base + PAGE_SIZE, MP_AP_STACK_PAGES, false) != 0) {
		kva_free(base, MP_AP_STACK_PAGES + 1);
		return -ENOMEM;
	}
	trampoline_aim(c, base + (MP_AP_STACK_PAGES + 1) * PAGE_SIZE);

	int err = lapic_send_init(c->apic_id);
	pit_wait_ms(10);
	for (int i = 0; i < 2 && err == 0; i++) {
		err = lapic_send_startup(c->apic_id, MP_TRAMPOLINE_PA >> 12);
		pit_wait_ms(1);                 /* the SDM's 200 us, rounded up */
	}
	for (int ms = 0; err == 0 && !started(c) && ms < MP_START_TIMEOUT_MS; ms++)
		pit_wait_ms(1);
	if (err == 0 && started(c))
		return 0;
	lapic_send_init(c->apic_id);            /* stop it wherever it is */
	pit_wait_ms(10);
	kva_unmap_free_pages(base + PAGE_SIZE, MP_AP_STACK_PAGES);
	kva_free(base, MP_AP_STACK_PAGES + 1);
	return err ? err : -ETIMEDOUT;
}

int mp_start_aps(void)
{
	uint32_t self = lapic_id();
	cpus[0].apic_id = self;
	cpus[0].apic_id_seen = self;
	cpus[0].started = 1;
	if (!acpi_madt.found) {
		kprintf("vmos: 1 CPU up (no MADT: the others, if any, stay off)\n");
		return -ENOENT;
	}
	if (acpi_madt.ncpus > 1 && !trampoline_check()) {
		kprintf("vmos: mp: no room for the trampoline at %#x; one CPU\n", MP_TRAMPOLINE_PA);
		return -ENOMEM;
	}
	if (acpi_madt.ncpus > 1)
		trampoline_install();
	bsp_cr4 = read_cr4();

	int next = 1;
	for (int i = 0; i < acpi_madt.ncpus && next < MAXCPU; i++) {
		uint32_t id = acpi_madt.apic_ids[i];
		if (id == self)
			continue;
		struct cpu *c = &cpus[next];
		c->id = next++;
		c->apic_id = id;
		int err = start_one(c);
		if (err == 0)
			kprintf("vmos: cpu%d: up (apic id %u)\n", c->id, c->apic_id_seen);
		else if (err == -ETIMEDOUT)
			kprintf("vmos: cpu%d: did not start (apic id %u)\n", c->id, id);
		else
			kprintf("vmos: cpu%d: did not start (apic id %u): error %d\n", c->id, id, err);
	}
	int up = mp_ncpus_up();
	kprintf("vmos: %d CPU%s up of %d in the MADT\n", up, up == 1 ? "" : "s",
	    acpi_madt.ncpus_listed);
	if (acpi_madt.ncpus_listed > MAXCPU)
		kprintf("vmos: mp: only the first %d were tried (MAXCPU)\n", MAXCPU);
	return 0;
}

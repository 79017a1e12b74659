/*
 * main.c - kmain(), where boot.S hands over to C.
 *
 * The order matters, and each step says what it needs:
 *   gcov           the coverage build registers its counters (nothing elsewhere)
 *   percpu         the GS-based CPU block: this_cpu() reads %gs:0, so it
 *                  comes before anything that might (a panic names the process)
 *   console        so everything after can print (serial needs nothing)
 *   multiboot      memory map and command line (read through the boot direct map)
 *   banner         as early as possible: the first sign of life
 *   gdt, idt       so a fault from here on prints a report, not a triple fault
 *   sched          empty sleep queues (nothing sleeps before processes exist)
 *   vm_page        the page allocator (needs the memory map)
 *   pmap           the real kernel page tables (need pages)
 *   proc           the process table's size, from the number of pages
 *   acpi           the MADT: the CPUs, the local and I/O APIC addresses
 *   lapic, clock   interrupts and time
 *   mp             start the other CPUs and park them (they need the LAPIC,
 *                  the clock's delays and the real page tables); they are
 *                  released into their scheduler loops just before the
 *                  boot CPU enters its own, once everything is set up
 *   fpu, syscall   what user mode needs
 *   autoconf       PCI devices and their drivers (the swap disk): needs pages,
 *                  the kernel heap and interrupts; attaching does not sleep
 *   swap_pager     takes the first disk autoconf found, if any
 * then the command line decides what runs: the kernel self-tests, or the
 * boot file system GRUB loaded as the module "initrd", console input and
 * init (pid 1).  The pageout daemon starts after them, so that init is
 * pid 1, and the scheduler runs whatever is runnable.
 */
#include "kern/kernel.h"
#include "kern/string.h"
#include "kern/printf.h"
#include "kern/cmdline.h"
#include "kern/clock.h"
#include "kern/selftest.h"
#include "kern/stack_protector.h"
#include "kern/gcov.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/trap.h"
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/pmap.h"
#include "arch/x86_64/fw_cfg.h"
#include "arch/x86_64/multiboot.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/acpi.h"
#include "arch/x86_64/mp.h"
#include "arch/x86_64/tlb.h"
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/vmparam.h"
#include "kern/proc.h"
#include "kern/sched.h"
#include "kern/syscall.h"
#include "dev/autoconf.h"
#include "dev/console.h"
#include "kern/tty.h"
#include "fs/bootfs.h"
#include "fs/tmpfs.h"
#include "fs/vfs.h"
#include "ipc/uipc_usrreq.h"
#include "vm/vm_page.h"
#include "vm/vm_pageout.h"
#include "vm/swap_pager.h"

#define VMOS_VERSION "0.1"

static uint64_t ram_bytes(void)
{
	uint64_t total = 0;
	for (int i = 0; i < bootinfo.nram; i++)
		total += bootinfo.ram[i].end - bootinfo.ram[i].start;
	return total;
}

/* GRUB's command line, unless QEMU was given opt/vmos/cmdline (see fw_cfg.h). */
static void choose_cmdline(void)
{
	static char override[BOOTINFO_CMDLINE_MAX];
	if (fw_cfg_read_file("opt/vmos/cmdline", override, sizeof(override)) >= 0)
		cmdline_set(override);
	else
		cmdline_set(bootinfo.cmdline);
}

static void mount_bootfs(void)
{
	for (int i = 0; i < bootinfo.nmodules; i++) {
		struct boot_module *m = &bootinfo.modules[i];
		if (strcmp(m->name, "initrd") != 0)
			continue;
		int err = bootfs_init(PHYS_TO_DMAP(m->start), m->end - m->start);
		if (err)
			panic("kmain: the boot file system is malformed (error %d)", err);
		struct tmpfs *tmp = tmpfs_create();
		if (vfs_mount("/", &bootfs_vfs_ops, NULL) != 0 || tmp == NULL ||
		    vfs_mount("/tmp", &tmpfs_vfs_ops, tmp) != 0)
			panic("kmain: cannot mount the file systems");
		unp_init();             /* socket names live in the tree */
		return;
	}
	panic("kmain: GRUB loaded no module named \"initrd\" (the boot file system)");
}

void __noreturn kmain(uint32_t magic, uint64_t info_phys)
{
	char arg[256];

	stack_protector_init();
	gcov_init();
	percpu_init();
	console_init();
	if (multiboot_parse(magic, info_phys) != 0)
		panic("kmain: not booted by a multiboot2 loader (magic %#x)", magic);
	choose_cmdline();
	kprintf("vmos: kernel %s booting, %lu MiB RAM, command line \"%s\"\n",
	    VMOS_VERSION, ram_bytes() / MiB, cmdline_get_line());

	gdt_init(0);
	trap_init();
	tlb_init();
	sched_init();
	vm_page_startup(&bootinfo);
	pmap_bootstrap(&bootinfo);
	proc_init();
	acpi_init();
	lapic_init();
	clock_init();
	mp_start_aps();
	fpu_init();
	syscall_init();
	intr_enable();
	kprintf("vmos: %lu pages free of %lu, TSC %lu MHz, %d module(s), maxproc %lu\n",
	    vm_page_free_count(), vm_page_total_count(), clock_tsc_hz() / 1000000,
	    bootinfo.nmodules, maxproc);
	autoconf_init();
	swap_pager_init();                      /* the first disk autoconf found, if any */

	if (cmdline_get("ktest", arg, sizeof(arg))) {
		selftest_start(arg);
	} else {
		mount_bootfs();
		tty_init();                     /* console input, line discipline */
		proc_start_init(cmdline_get_line());
	}
	vm_pageout_init();                      /* after init: init is pid 1 */
	mp_release_aps();                       /* the other CPUs join in */
	sched_run();
}

/*
 * mp.h - starting the other CPUs (multiprocessor start-up).
 *
 * The boot CPU (the BSP) starts each application processor (AP) the ACPI
 * MADT lists; each comes up on its own GDT, TSS, kernel stack and per-CPU
 * block, reports, and parks (interrupts off, `hlt` forever): the scheduler,
 * the locks and the VM are not ready for several CPUs yet (issue 14).
 */
#ifndef ARCH_X86_64_MP_H
#define ARCH_X86_64_MP_H

/* Where the trampoline runs (a page below 1 MiB, page-aligned; its page
 * number is the STARTUP vector) and the three pages of page tables after it. */
#define MP_TRAMPOLINE_PA     0x8000
#define MP_TRAMPOLINE_PAGES  4

#ifndef __ASSEMBLY__
/*
 * Start every enabled CPU of the MADT but this one, one at a time, and
 * park it.  Prints a line per CPU and a summary.  Runs on the BSP at boot,
 * with interrupts off, after lapic_init and pmap_bootstrap.  A CPU that
 * does not answer is reported and left out.  Returns 0, or -ENOMEM or
 * -ENOENT when no AP could be tried at all (the kernel runs on one CPU).
 */
int mp_start_aps(void);
/* CPUs up, this one included. */
int mp_ncpus_up(void);
/* Let the parked APs go into their scheduler loops (kmain, last thing). */
void mp_release_aps(void);
#endif

#endif

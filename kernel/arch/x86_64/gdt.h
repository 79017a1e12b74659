/*
 * gdt.h - segment selectors, the GDT and the TSS.
 *
 * In long mode segments are mostly vestigial, but the CPU still needs a code
 * segment per privilege level, and a TSS to know which stack to switch to
 * when an interrupt arrives from user mode (rsp0) or when a double fault
 * must run on a known-good stack (IST1).  The order of the user segments is
 * fixed by syscall/sysret (see gdt.c).
 */
#ifndef ARCH_X86_64_GDT_H
#define ARCH_X86_64_GDT_H

#include <stdint.h>

#define SEL_KCODE   0x08
#define SEL_KDATA   0x10
#define SEL_UCODE32 0x18        /* an empty slot that sysret's layout needs (gdt.c) */
#define SEL_UDATA   (0x20 | 3)
#define SEL_UCODE   (0x28 | 3)
#define SEL_TSS     0x30

#define IST_DOUBLE_FAULT 1
#define IST_NMI          2      /* an NMI may come anywhere, even on a user stack
                                   (the first instructions of syscall_entry) */

/* Build and load CPU cpu's GDT and TSS (cpu: its index in cpus[], percpu.h). */
void gdt_init(int cpu);
/* This CPU's stack for entries from user mode. */
void gdt_set_kernel_stack(uint64_t rsp0);

#endif

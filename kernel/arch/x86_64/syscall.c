/*
 * syscall.c - program the MSRs behind the `syscall` instruction.
 *
 *   EFER.SCE  enables syscall/sysret;
 *   LSTAR     the entry point (syscall_entry.S);
 *   STAR      selectors: bits 47:32 = kernel CS (SS = CS+8); bits 63:48 =
 *             base for sysret, which loads user SS = base+8, CS = base+16;
 *   SFMASK    rflags bits cleared on entry: IF (no interrupts until the
 *             kernel stack is in place), DF, TF, AC.
 */
#include "kern/kernel.h"
#include "kern/syscall.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/gdt.h"

void syscall_entry(void);

#define RFLAGS_TF 0x100
#define RFLAGS_IF 0x200
#define RFLAGS_DF 0x400
#define RFLAGS_AC 0x40000

void syscall_init(void)
{
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	wrmsr(MSR_STAR, ((uint64_t)(SEL_UCODE32 | 3) << 48) | ((uint64_t)SEL_KCODE << 32));
	wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
	wrmsr(MSR_SFMASK, RFLAGS_TF | RFLAGS_IF | RFLAGS_DF | RFLAGS_AC);
}

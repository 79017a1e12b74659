/*
 * percpu.c - set up the per-CPU block and point GS at it (see percpu.h).
 */
#include "kern/kernel.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/percpu.h"

struct cpu cpu0;

_Static_assert(offsetof(struct cpu, kstack_top) == PERCPU_KSTACK_TOP, "percpu layout");
_Static_assert(offsetof(struct cpu, user_rsp) == PERCPU_USER_RSP, "percpu layout");
_Static_assert(offsetof(struct cpu, onfault) == PERCPU_ONFAULT, "percpu layout");

void percpu_init(void)
{
	cpu0.self = &cpu0;
	cpu0.id = 0;
	wrmsr(MSR_GS_BASE, (uint64_t)&cpu0);
	wrmsr(MSR_KERNEL_GS_BASE, 0);           /* what user mode starts with */
}

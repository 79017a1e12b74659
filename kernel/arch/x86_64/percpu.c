/*
 * percpu.c - set up the per-CPU blocks and point GS at them (see percpu.h).
 */
#include "kern/kernel.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/percpu.h"

struct cpu cpus[MAXCPU];

_Static_assert(offsetof(struct cpu, self) == PERCPU_SELF, "percpu layout");
_Static_assert(offsetof(struct cpu, kstack_top) == PERCPU_KSTACK_TOP, "percpu layout");
_Static_assert(offsetof(struct cpu, user_rsp) == PERCPU_USER_RSP, "percpu layout");
_Static_assert(offsetof(struct cpu, onfault) == PERCPU_ONFAULT, "percpu layout");
_Static_assert(offsetof(struct cpu, intr_depth) == PERCPU_INTR_DEPTH, "percpu layout");
_Static_assert(offsetof(struct cpu, intr_were_enabled) == PERCPU_INTR_WERE_ENABLED,
    "percpu layout");
_Static_assert(offsetof(struct cpu, proc) == PERCPU_PROC, "percpu layout");

static void percpu_load(struct cpu *c)
{
	c->self = c;
	wrmsr(MSR_GS_BASE, (uint64_t)c);
	wrmsr(MSR_KERNEL_GS_BASE, 0);           /* what user mode starts with */
}

void percpu_init(void)
{
	cpus[0].id = 0;
	percpu_load(&cpus[0]);
}

void percpu_init_ap(struct cpu *c)
{
	percpu_load(c);
}

/*
 * prof.c - the sampling profiler: where does the time go?
 *
 * While sampling is on (kprof(KPROF_START) until kprof(KPROF_STOP); root
 * only), the clock runs the timer at PROF_HZ instead of HZ and hands every
 * interrupt to prof_sample() (clock.c:clock_set_sampler; the scheduler
 * still ticks at HZ).  A sample is one struct prof_sample saying what the
 * CPU was doing when the timer fired:
 *   user    running a process's code: its user pc;
 *   kernel  in the kernel, for a process or a kernel thread: the pc and
 *           the chain of callers above it (the frame pointers), and for a
 *           process also the user pc it entered the kernel from, so that a
 *           system call's cost is charged to the code that made it;
 *   idle    in the scheduler's idle loop, nothing to run;
 * with the pid and program name.  Under `make profile` QEMU counts
 * instructions (-icount), so the timer fires every 100,000 instructions
 * and the same run gives the same profile every time.
 *
 * The interrupt may not allocate, sleep, take a lock or fault.  So the
 * buffer is allocated by prof_start, and filled by index; with one CPU
 * nothing else writes it while the interrupt runs.  Walking the stack
 * cannot fault either: each frame pointer is checked to lie, aligned,
 * inside the stack the interrupted code runs on (its process's kernel
 * stack, or the boot stack for the idle loop) before it is read, and each
 * frame must lie above the last.  A chain that leaves the stack ends there.
 *
 * The way out.  At the end of a run (poweroff) prof_dump writes the
 * samples to QEMU's debug console (debugcon.h), which `make profile`
 * attaches to build/profile.raw, and tools/profile symbolizes them: kernel
 * addresses with kernel.elf, a process's with its program's unstripped ELF
 * in build/user/bin.  The format (little-endian):
 *
 *   "VMOSPROF" u32 version(=1) u32 hz u32 record_size(=128)
 *   u32 nsamples u32 dropped  struct prof_sample[nsamples]  "PROFDONE"
 *
 * dropped counts the samples that did not fit in PROF_MAX_SAMPLES.
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/string.h"
#include "kern/clock.h"
#include "kern/proc.h"
#include "kern/prof.h"
#include "vm/kmem.h"
#include "arch/x86_64/trap.h"
#include "arch/x86_64/vmparam.h"
#include "arch/x86_64/debugcon.h"
#include "uapi/vmos.h"

static struct prof_sample *samples;     /* PROF_MAX_SAMPLES, from prof_start */
static uint32_t nsamples, ndropped;     /* (a) written by the interrupts only while on;
                                           each CPU's timer samples, so a slot is
                                           claimed with an atomic add */
static bool sampling;                   /* (written by prof_start/prof_stop only) */

extern char boot_stack_guard[], boot_stack_top[];   /* boot.S: the idle loop's stack */

/* The stack the interrupted kernel code runs on: [*lo, *hi). */
static void current_stack(struct proc *p, uint64_t *lo, uint64_t *hi)
{
	if (p != NULL) {
		*lo = p->kstack;
		*hi = p->kstack + KSTACK_PAGES * PAGE_SIZE;
	} else {
		*lo = (uint64_t)boot_stack_guard + PAGE_SIZE;
		*hi = (uint64_t)boot_stack_top;
	}
}

/*
 * Where the interrupted function's return address is when its frame is not
 * (yet, or any more) the one rbp points at: at its first instruction
 * (`push %rbp` not done), one later (`mov %rsp, %rbp` not done), or at its
 * `ret` (`pop %rbp` done).  The last is common, not a corner: `sti; pop
 * %rbp; ret` ends intr_pop, and an interrupt held back by cli is taken
 * right after the instruction that follows sti.  0 when the frame is in
 * place.  Kernel text is always mapped, so reading the code is safe.
 */
static uint64_t unframed_return_slot(const struct trapframe *tf)
{
	const uint8_t *code = (const uint8_t *)tf->rip;
	if (code[0] == 0x55 || code[0] == 0xc3)                 /* push %rbp; ret */
		return tf->rsp;
	if (code[0] == 0x48 && code[1] == 0x89 && code[2] == 0xe5)      /* mov %rsp,%rbp */
		return tf->rsp + 8;
	return 0;
}

/* Follow the frame pointers from the interrupted code, appending return
 * addresses to s. */
static void walk_kernel_stack(struct prof_sample *s, struct proc *p, const struct trapframe *tf)
{
	uint64_t lo, hi, rbp = tf->rbp;
	current_stack(p, &lo, &hi);
	uint64_t slot = unframed_return_slot(tf);
	if (slot != 0 && slot >= lo && slot + 8 <= hi && (slot & 7) == 0)
		s->pc[s->depth++] = *(const uint64_t *)slot;
	while (s->depth < PROF_DEPTH && rbp >= lo && rbp + 16 <= hi && (rbp & 7) == 0) {
		const uint64_t *frame = (const uint64_t *)rbp;
		if (frame[1] == 0)
			break;                  /* the chain's root (boot.S starts with rbp 0) */
		s->pc[s->depth++] = frame[1];
		if (frame[0] <= rbp)
			break;                  /* frames go up the stack, never down */
		rbp = frame[0];
	}
}

/* The timer interrupt: one sample.  Interrupts are off. */
static void prof_sample(const struct trapframe *tf)
{
	uint32_t i = __atomic_load_n(&nsamples, __ATOMIC_RELAXED);
	do {
		if (i >= PROF_MAX_SAMPLES) {
			__atomic_add_fetch(&ndropped, 1, __ATOMIC_RELAXED);
			return;
		}
	} while (!__atomic_compare_exchange_n(&nsamples, &i, i + 1, false, __ATOMIC_RELAXED,
	    __ATOMIC_RELAXED));
	struct prof_sample *s = &samples[i];
	struct proc *p = curproc();
	memset(s, 0, sizeof(*s));
	s->pc[0] = tf->rip;
	s->depth = 1;
	if (tf->cs & 3) {
		s->mode = PROF_USER;
	} else if (p == NULL) {
		s->mode = PROF_IDLE;
	} else {
		s->mode = PROF_KERNEL;
		walk_kernel_stack(s, p, tf);
		if (p->vmspace != NULL && p->tf != NULL)
			s->user_pc = p->tf->rip;
	}
	if (p != NULL) {
		s->pid = p->pid;
		strlcpy(s->comm, p->name, sizeof(s->comm));
	} else {
		strlcpy(s->comm, "idle", sizeof(s->comm));
	}
}

int prof_start(void)
{
	if (sampling)
		return -EBUSY;
	if (samples == NULL) {
		samples = kmalloc(PROF_MAX_SAMPLES * sizeof(*samples), 0);
		if (samples == NULL)
			return -ENOMEM;
	}
	nsamples = ndropped = 0;
	sampling = true;
	clock_set_sampler(prof_sample, PROF_HZ);
	return 0;
}

void prof_stop(void)
{
	if (!sampling)
		return;
	clock_set_sampler(NULL, HZ);
	sampling = false;
}

uint64_t prof_count(void)
{
	return __atomic_load_n(&nsamples, __ATOMIC_RELAXED);
}

void prof_dump(void)
{
	prof_stop();
	if (samples == NULL || nsamples == 0 || !debugcon_present())
		return;
	debugcon_write("VMOSPROF", 8);
	debugcon_write_u32(1);
	debugcon_write_u32(PROF_HZ);
	debugcon_write_u32(sizeof(struct prof_sample));
	debugcon_write_u32(nsamples);
	debugcon_write_u32(ndropped);
	debugcon_write(samples, nsamples * sizeof(struct prof_sample));
	debugcon_write("PROFDONE", 8);
}

/*
 * kprof(op): KPROF_START (a new profile), KPROF_STOP, KPROF_COUNT (the
 * samples so far).  Root only: the samples show what every process and
 * the kernel do.  -EPERM, -EINVAL (op), -EBUSY, -ENOMEM.
 */
long sys_kprof(int op)
{
	if (curproc()->euid != 0)
		return -EPERM;
	switch (op) {
	case KPROF_START:
		return prof_start();
	case KPROF_STOP:
		prof_stop();
		return 0;
	case KPROF_COUNT:
		return (long)prof_count();
	default:
		return -EINVAL;
	}
}

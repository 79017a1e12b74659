/*
 * trap_test.c - self-tests for the return to user mode: a frame the CPU
 * refuses at iretq kills the process, never the kernel.
 *
 * No system call lets a user hand the kernel a whole trap frame, so the
 * test builds a tiny process by hand -- one page of code that
 * calls exit(0) -- spoils one field of its trap frame before it first
 * runs, and waits for it.  With a good frame it exits 0; with each bad
 * one it must die of SIGSEGV, with the kernel still here to check.
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/string.h"
#include "kern/selftest.h"
#include "kern/proc.h"
#include "kern/sched.h"
#include "kern/rlimit.h"
#include "arch/x86_64/trap.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/vmparam.h"
#include "vm/vm_map.h"
#include "uapi/mman.h"
#include "uapi/signal.h"
#include "uapi/wait.h"

#define CODE_VA  0x400000ul
#define STACK_VA 0x7fff0000ul

/* mov $60, %eax; xor %edi, %edi; syscall   (exit(0)) */
static const uint8_t exit0_code[] = { 0xb8, 0x3c, 0x00, 0x00, 0x00, 0x31, 0xff, 0x0f, 0x05 };

enum spoil { SPOIL_NONE, SPOIL_SS_RPL0, SPOIL_SS_NULL, SPOIL_CS_KERNEL, SPOIL_RIP_NONCANONICAL };

static void spoil_frame(struct trapframe *tf, enum spoil how)
{
	switch (how) {
	case SPOIL_NONE: break;
	case SPOIL_SS_RPL0: tf->ss = SEL_KDATA; break;          /* RPL 0 for a CPL 3 return */
	case SPOIL_SS_NULL: tf->ss = 0; break;
	case SPOIL_CS_KERNEL: tf->cs = SEL_KCODE | 3; break;    /* a DPL 0 code segment */
	case SPOIL_RIP_NONCANONICAL: tf->rip = 0x0000800000000000ul; break;
	}
}

/* A process of our own running exit0_code, its frame spoiled; its pid or -errno. */
static int spawn_exit0(enum spoil how)
{
	struct proc *p;
	int err = proc_alloc(0, RLIM_INFINITY, true, &p);
	if (err)
		return err;
	strlcpy(p->name, "iret_test", sizeof(p->name));
	rlimit_init_defaults(p->rlim);
	p->vmspace = vmspace_alloc();
	if (p->vmspace == NULL ||
	    vm_map_anon_fixed(p->vmspace, CODE_VA, PAGE_SIZE, PROT_READ | PROT_EXEC) != 0 ||
	    vmspace_copyout(p->vmspace, CODE_VA, exit0_code, sizeof(exit0_code)) != 0 ||
	    vm_map_anon_fixed(p->vmspace, STACK_VA, PAGE_SIZE, PROT_READ | PROT_WRITE) != 0) {
		vmspace_free(p->vmspace);
		proc_free(p);
		return -ENOMEM;
	}
	memset(p->tf, 0, sizeof(*p->tf));
	p->tf->rip = CODE_VA;
	p->tf->cs = SEL_UCODE;
	p->tf->ss = SEL_UDATA;
	p->tf->rflags = 0x202;
	p->tf->rsp = STACK_VA + PAGE_SIZE;
	fpu_reset_state(p->fpu);
	spoil_frame(p->tf, how);
	spinlock_acquire(&proc_table_lock);
	proc_set_parent_locked(p, curproc());
	pid_t pid = p->pid;
	sched_make_runnable(p);
	spinlock_release(&proc_table_lock);
	return pid;
}

static int run_exit0(enum spoil how, int *status)
{
	int pid = spawn_exit0(how);
	if (pid < 0)
		return pid;
	int r = kern_wait4(pid, status, 0);
	return r == pid ? 0 : r < 0 ? r : -ECHILD;
}

int test_trap_refused_frame_kills_only_the_process(void)
{
	static const struct { enum spoil how; const char *what; } bad[] = {
		{ SPOIL_SS_RPL0, "ss with RPL 0" },
		{ SPOIL_SS_NULL, "null ss" },
		{ SPOIL_CS_KERNEL, "kernel code segment" },
		{ SPOIL_RIP_NONCANONICAL, "non-canonical rip" },
	};
	int status = -1;
	KTEST_ASSERT(run_exit0(SPOIL_NONE, &status) == 0, "the good frame's process");
	KTEST_ASSERT(status == W_EXITCODE(0, 0), "the good frame: status %#x, want exit 0", status);
	uint64_t before = proc_count();
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		status = -1;
		KTEST_ASSERT(run_exit0(bad[i].how, &status) == 0, "%s: no process", bad[i].what);
		KTEST_ASSERT(status == W_EXITCODE(0, SIGSEGV), "%s: status %#x, want SIGSEGV",
		    bad[i].what, status);
		/* The kernel runs on its own GS base again, and the next process's
		 * system call finds its per-CPU block through it. */
		KTEST_ASSERT(rdmsr(MSR_GS_BASE) == (uint64_t)this_cpu(), "%s: GS base %#lx in the kernel",
		    bad[i].what, rdmsr(MSR_GS_BASE));
		KTEST_ASSERT(run_exit0(SPOIL_NONE, &status) == 0 && status == 0, "%s: a good process "
		    "after it: status %#x", bad[i].what, status);
	}
	KTEST_ASSERT(proc_count() == before, "processes %lu, were %lu", proc_count(), before);
	return 0;
}

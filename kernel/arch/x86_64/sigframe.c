/*
 * sigframe.c - the signal frame on the user stack: building it to enter a
 * handler (sigframe_push) and taking it apart in rt_sigreturn
 * (sigframe_pop).  The policy -- which signal, which mask, which stack --
 * is kern/signal.c's; this file knows only the x86-64 registers.
 *
 * The frame, from the handler's stack pointer upwards (Linux's layout,
 * which is what the C library's __restore_rt and debuggers expect):
 *
 *	rsp ->	return address = sa_restorer (the handler's `ret` goes there)
 *		ucontext_t      general registers, signal mask, alternate stack
 *		siginfo_t
 *		(padding)
 *		fxsave image    512 bytes, 64-byte aligned; uc_mcontext.fpregs
 *		(128-byte red zone of the interrupted code, left alone)
 *
 * At the handler's first instruction rsp + 8 is 16-byte aligned, as just
 * after a call.  sa_restorer runs `rt_sigreturn` with rsp at the ucontext.
 *
 * Invariant: rt_sigreturn hands the user's frame back to the CPU, so every
 * value in it is the user's to choose -- and must be one a user program
 * could have had anyway.  sigframe_pop refuses, with a reason for the
 * kernel's message, any frame whose code or stack selector is not the user
 * one, whose RFLAGS has a bit a user may not set (IOPL, NT, VM, VIF, VIP)
 * or lacks IF, whose RIP is not a canonical user address, or whose MXCSR
 * sets reserved bits (fxrstor would fault in the kernel).  The iretq fault
 * path (vectors.S, trap.c: trap_iret_fault) stays as the last line of
 * defence should a frame the checks let through still be refused.
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/string.h"
#include "kern/printf.h"
#include "kern/copyio.h"
#include "kern/proc.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/trap.h"
#include "arch/x86_64/vmparam.h"
#include "arch/x86_64/sigframe.h"

#define RFLAGS_IF     0x200
#define RFLAGS_TF     0x100
#define RFLAGS_DF     0x400
#define RFLAGS_FIXED  0x2               /* bit 1 always reads 1 */
/* What a user program can set with popf: CF PF AF ZF SF TF DF OF RF AC ID. */
#define RFLAGS_USER   0x00250fd5ul
#define REDZONE       128

struct sigframe {
	uint64_t restorer;
	ucontext_t uc;
	siginfo_t info;
};

static bool on_stack(uint64_t sp, const stack_t *ss)
{
	return !(ss->ss_flags & SS_DISABLE) && ss->ss_size != 0 && sp > (uint64_t)ss->ss_sp &&
	    sp <= (uint64_t)ss->ss_sp + ss->ss_size;
}

bool sigframe_on_altstack(const struct trapframe *tf, const stack_t *ss)
{
	return on_stack(tf->rsp, ss);
}

static void save_gregs(const struct trapframe *tf, long long *g)
{
	g[REG_R8] = tf->r8;   g[REG_R9] = tf->r9;   g[REG_R10] = tf->r10; g[REG_R11] = tf->r11;
	g[REG_R12] = tf->r12; g[REG_R13] = tf->r13; g[REG_R14] = tf->r14; g[REG_R15] = tf->r15;
	g[REG_RDI] = tf->rdi; g[REG_RSI] = tf->rsi; g[REG_RBP] = tf->rbp; g[REG_RBX] = tf->rbx;
	g[REG_RDX] = tf->rdx; g[REG_RAX] = tf->rax; g[REG_RCX] = tf->rcx; g[REG_RSP] = tf->rsp;
	g[REG_RIP] = tf->rip; g[REG_EFL] = tf->rflags;
	g[REG_CSGSFS] = (tf->cs & 0xffff) | ((tf->ss & 0xffff) << 48);
	g[REG_ERR] = tf->trapno < 32 ? tf->err : 0;
	g[REG_TRAPNO] = tf->trapno < 32 ? tf->trapno : 0;
}

int sigframe_push(struct trapframe *tf, const struct sigaction *act, const siginfo_t *info,
    uint64_t oldmask, const stack_t *altstack, bool use_altstack)
{
	struct proc *p = curproc();
	uint64_t top = use_altstack ? (uint64_t)altstack->ss_sp + altstack->ss_size
	                            : tf->rsp - REDZONE;
	uint64_t fx = (top - FPU_STATE_SIZE) & ~63ul;
	uint64_t sp = ((fx - sizeof(struct sigframe)) & ~15ul) - 8;
	struct sigframe f;

	memset(&f, 0, sizeof(f));
	f.restorer = (uint64_t)act->sa_restorer;
	f.info = *info;
	f.uc.uc_stack = *altstack;
	if (altstack->ss_size == 0)
		f.uc.uc_stack.ss_flags = SS_DISABLE;
	if (on_stack(tf->rsp, altstack))
		f.uc.uc_stack.ss_flags |= SS_ONSTACK;
	save_gregs(tf, f.uc.uc_mcontext.gregs);
	f.uc.uc_mcontext.gregs[REG_OLDMASK] = (long long)oldmask;
	f.uc.uc_mcontext.gregs[REG_CR2] = (long long)p->fault_addr;
	f.uc.uc_mcontext.fpregs = (struct _libc_fpstate *)fx;
	f.uc.uc_sigmask = oldmask;

	/* The user's FPU registers are live (the kernel does not use them);
	 * p->fpu is where a switch would put them, so a copyout that sleeps
	 * only writes the same values there again. */
	fpu_save(p->fpu);
	if (copyout(p->fpu, (void *)fx, FPU_STATE_SIZE) != 0 ||
	    copyout(&f, (void *)sp, sizeof(f)) != 0)
		return -EFAULT;

	tf->rip = (uint64_t)act->sa_handler;
	tf->rsp = sp;
	tf->rdi = (uint64_t)info->si_signo;
	tf->rsi = sp + offsetof(struct sigframe, info);
	tf->rdx = sp + offsetof(struct sigframe, uc);
	tf->rax = 0;                    /* no vector registers used by a varargs call */
	tf->rflags &= ~(RFLAGS_DF | RFLAGS_TF);   /* the ABI's direction flag; no tracing */
	tf->cs = SEL_UCODE;
	tf->ss = SEL_UDATA;
	return 0;
}

/* Is the frame one a user program could have had?  NULL, or why not. */
static const char *bad_gregs(const long long *g)
{
	uint64_t cs = g[REG_CSGSFS] & 0xffff, ss = ((uint64_t)g[REG_CSGSFS] >> 48) & 0xffff;
	uint64_t rflags = g[REG_EFL], rip = g[REG_RIP];

	if (cs != SEL_UCODE)
		return "code selector is not the user's";
	if (ss != SEL_UDATA)
		return "stack selector is not the user's";
	if (rflags & ~(RFLAGS_USER | RFLAGS_IF | RFLAGS_FIXED))
		return "privileged RFLAGS bits (IOPL, NT, VM, VIF or VIP) set";
	if (!(rflags & RFLAGS_IF))
		return "RFLAGS.IF clear";
	if (rip >= USER_MAX)
		return "RIP is not a canonical user address";
	return NULL;
}

int sigframe_pop(struct trapframe *tf, uint64_t *mask, char *why, size_t whylen)
{
	ucontext_t uc;
	uint8_t fx[FPU_STATE_SIZE] __attribute__((aligned(16)));
	const void *ucp = (const void *)tf->rsp;       /* __restore_rt: rsp at the ucontext */
	const char *bad;

	if (copyin(ucp, &uc, sizeof(uc)) != 0) {
		ksnprintf(why, whylen, "rt_sigreturn: cannot read the frame at %#lx", tf->rsp);
		return -EFAULT;
	}
	const long long *g = uc.uc_mcontext.gregs;
	if ((bad = bad_gregs(g)) != NULL) {
		ksnprintf(why, whylen, "rt_sigreturn: bad frame at %#lx: %s (rip %#llx cs/ss %#llx "
		    "rflags %#llx)", tf->rsp, bad, g[REG_RIP], g[REG_CSGSFS], g[REG_EFL]);
		return -EINVAL;
	}
	if (uc.uc_mcontext.fpregs == NULL) {
		fpu_reset_state(fx);
	} else if (copyin(uc.uc_mcontext.fpregs, fx, sizeof(fx)) != 0) {
		ksnprintf(why, whylen, "rt_sigreturn: cannot read the FPU state at %p",
		    (void *)uc.uc_mcontext.fpregs);
		return -EFAULT;
	} else if (!fpu_state_valid(fx)) {
		ksnprintf(why, whylen, "rt_sigreturn: bad FPU state: reserved MXCSR bits set (%#x)",
		    ((const struct _libc_fpstate *)fx)->mxcsr);
		return -EINVAL;
	}

	/* Checked: now nothing can fail, so restore everything at once. */
	fpu_restore(fx);
	tf->r8 = g[REG_R8];   tf->r9 = g[REG_R9];   tf->r10 = g[REG_R10]; tf->r11 = g[REG_R11];
	tf->r12 = g[REG_R12]; tf->r13 = g[REG_R13]; tf->r14 = g[REG_R14]; tf->r15 = g[REG_R15];
	tf->rdi = g[REG_RDI]; tf->rsi = g[REG_RSI]; tf->rbp = g[REG_RBP]; tf->rbx = g[REG_RBX];
	tf->rdx = g[REG_RDX]; tf->rax = g[REG_RAX]; tf->rcx = g[REG_RCX]; tf->rsp = g[REG_RSP];
	tf->rip = g[REG_RIP]; tf->rflags = g[REG_EFL];
	tf->cs = SEL_UCODE;
	tf->ss = SEL_UDATA;
	tf->err = SIGFRAME_NO_SYSCALL;  /* nothing to restart on the way out */
	*mask = uc.uc_sigmask;
	return 0;
}

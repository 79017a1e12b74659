/*
 * syscall_entry.S - the `syscall` instruction lands here.
 *
 * The CPU has put the user rip in rcx and rflags in r11, cleared IF (our
 * SFMASK), and switched CS/SS, but not the stack.  We swapgs to find the
 * per-CPU block, save the user rsp, switch to the process's kernel stack,
 * and build the same struct trapframe an interrupt would (so fork, exec and
 * signals see one format), then call syscall_dispatch(tf).
 *
 * tf->err holds the call's number (Linux's orig_rax): rax is overwritten
 * by the result, and a call interrupted by a signal under SA_RESTART is
 * restarted from it (kern/signal.c).
 *
 * Return: if the frame still describes an ordinary user context (user CS,
 * a canonical user rip, and rcx and r11 equal to rip and rflags -- sysret
 * loads rcx and r11 with those, so it is exact only then; rt_sigreturn and
 * a signal handler's entry change them) we use the fast `sysretq`; otherwise (a forked
 * child, or anything unusual) the general `iretq` path in vectors.S.
 * sysret with a non-canonical rip would fault in kernel mode on the user
 * stack, hence the check.
 */
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/frame.h"

#define SEL_UDATA   (0x20 | 3)
#define SEL_UCODE   (0x28 | 3)
#define T_SYSCALL   256
#define USER_MAX    0x0000800000000000

	.text
	.globl syscall_entry, syscall_return
syscall_entry:
	swapgs
	movq %rsp, %gs:PERCPU_USER_RSP
	movq %gs:PERCPU_KSTACK_TOP, %rsp
	pushq $SEL_UDATA                /* ss */
	pushq %gs:PERCPU_USER_RSP       /* rsp */
	pushq %r11                      /* rflags */
	pushq $SEL_UCODE                /* cs */
	pushq %rcx                      /* rip */
	pushq %rax                      /* err: the call's number, to restart it (signal.c) */
	pushq $T_SYSCALL                /* trapno */
	PUSH_GPRS
	xorl %ebp, %ebp                 /* backtraces stop at the user boundary */
	movq %rsp, %rdi
	call syscall_dispatch
syscall_return:
	cli
	movq TF_CS(%rsp), %rax          /* tf->cs */
	cmpq $SEL_UCODE, %rax
	jne 1f
	movq 0x88(%rsp), %rax           /* tf->rip */
	movq $USER_MAX, %rcx
	cmpq %rcx, %rax
	jae 1f
	cmpq TF_RCX(%rsp), %rax         /* sysret sets rcx = rip: only if tf->rcx is it */
	jne 1f
	movq TF_RFLAGS(%rsp), %rax      /* ... and rflags in r11 */
	cmpq TF_R11(%rsp), %rax
	jne 1f
	POP_GPRS
	movq 16(%rsp), %rcx             /* rip */
	movq 32(%rsp), %r11             /* rflags */
	movq 40(%rsp), %rsp             /* user rsp */
	swapgs
	sysretq
1:	jmp trapret

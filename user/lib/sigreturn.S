/*
 * sigreturn.S - the signal return trampoline.
 *
 * sigaction() stores this address in sa_restorer, as the x86-64 Linux ABI
 * has it: a kernel that delivers signals pushes it as the return address
 * of the handler, so that a returning handler lands here, with the stack
 * at the signal frame's ucontext, and rt_sigreturn resumes the
 * interrupted code (kernel/arch/x86_64/sigframe.c).
 */
#include "uapi/syscall.h"

	.text
	.globl	__restore_rt
	.type	__restore_rt, @function
__restore_rt:
	movq	$SYS_rt_sigreturn, %rax
	syscall
	ud2			/* not reached: rt_sigreturn does not return */
	.size	__restore_rt, . - __restore_rt

	.section .note.GNU-stack, "", @progbits

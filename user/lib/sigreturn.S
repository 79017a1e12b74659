/*
 * sigreturn.S - the signal return trampoline.
 *
 * sigaction() stores this address in sa_restorer.  The kernel pushes it
 * as the return address of a signal handler, so when the handler returns
 * it lands here, with the stack pointing at the signal frame the kernel
 * built; rt_sigreturn reads that frame and resumes the interrupted code.
 * It never returns.
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

/*
 * setjmp.S - setjmp() and longjmp().
 *
 * jmp_buf layout (8 longs): rbx, rbp, r12, r13, r14, r15, the stack
 * pointer as it will be after setjmp returns, and the return address.
 * Those are all the registers a function must preserve in the x86-64
 * calling convention; the rest are assumed clobbered by a call anyway.
 */
#include "uapi/syscall.h"

	.text
	.globl	setjmp
	.type	setjmp, @function
setjmp:				/* int setjmp(jmp_buf env = %rdi) */
	movq	%rbx, 0(%rdi)
	movq	%rbp, 8(%rdi)
	movq	%r12, 16(%rdi)
	movq	%r13, 24(%rdi)
	movq	%r14, 32(%rdi)
	movq	%r15, 40(%rdi)
	leaq	8(%rsp), %rdx		/* %rsp once we have returned */
	movq	%rdx, 48(%rdi)
	movq	(%rsp), %rdx		/* where we return to */
	movq	%rdx, 56(%rdi)
	xorl	%eax, %eax		/* the direct call returns 0 */
	ret
	.size	setjmp, . - setjmp

/*
 * int sigsetjmp(sigjmp_buf env = %rdi, int savemask = %esi): note whether
 * the mask is saved in env[8] and, if so, get it into env[9] with
 * rt_sigprocmask(SIG_BLOCK, NULL, &env[9], 8) -- made here, not through a
 * C call, so that this frame stays setjmp's -- then go on as setjmp.
 */
	.globl	sigsetjmp
	.type	sigsetjmp, @function
sigsetjmp:
	movslq	%esi, %rsi
	movq	%rsi, 64(%rdi)
	testq	%rsi, %rsi
	jz	setjmp
	pushq	%rdi
	leaq	72(%rdi), %rdx		/* oldset */
	xorl	%edi, %edi		/* SIG_BLOCK */
	xorl	%esi, %esi		/* set = NULL */
	movl	$8, %r10d		/* sizeof(sigset_t) */
	movl	$SYS_rt_sigprocmask, %eax
	syscall
	popq	%rdi
	jmp	setjmp
	.size	sigsetjmp, . - sigsetjmp

	.globl	longjmp
	.type	longjmp, @function
longjmp:			/* void longjmp(jmp_buf env = %rdi, int val = %esi) */
	movl	%esi, %eax
	testl	%eax, %eax
	jnz	1f
	movl	$1, %eax		/* setjmp must not appear to return 0 */
1:	movq	0(%rdi), %rbx
	movq	8(%rdi), %rbp
	movq	16(%rdi), %r12
	movq	24(%rdi), %r13
	movq	32(%rdi), %r14
	movq	40(%rdi), %r15
	movq	48(%rdi), %rsp
	jmpq	*56(%rdi)		/* "return" from setjmp a second time */
	.size	longjmp, . - longjmp

	.section .note.GNU-stack, "", @progbits

/*
 * setjmp.S - setjmp() and longjmp().
 *
 * jmp_buf layout (8 longs): rbx, rbp, r12, r13, r14, r15, the stack
 * pointer as it will be after setjmp returns, and the return address.
 * Those are all the registers a function must preserve in the x86-64
 * calling convention; the rest are assumed clobbered by a call anyway.
 */
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

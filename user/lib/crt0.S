/*
 * crt0.S - where every program starts.
 *
 * The kernel's execve() jumps to _start with the stack laid out as on
 * Linux x86-64:
 *
 *     (%rsp)          argc
 *     8(%rsp)         argv[0] ... argv[argc-1], NULL
 *     after that      envp[0] ... NULL
 *     (maybe)         the auxiliary vector, which we do not use
 *
 * and %rsp 16-byte aligned.  _start zeroes %rbp so that a backtrace that
 * follows the chain of saved frame pointers stops here, computes argc,
 * argv and envp, and calls __libc_start_main (start.c), which sets up
 * environ, calls main and exits with what main returns.
 */
	.text
	.globl	_start
	.type	_start, @function
_start:
	xorl	%ebp, %ebp			/* outermost frame */
	movq	(%rsp), %rdi			/* argc */
	leaq	8(%rsp), %rsi			/* argv */
	leaq	16(%rsp, %rdi, 8), %rdx		/* envp = argv + argc + 1 */
	andq	$-16, %rsp			/* the ABI wants 16-byte alignment at a call */
	call	__libc_start_main
	ud2					/* not reached: __libc_start_main exits */
	.size	_start, . - _start

	.section .note.GNU-stack, "", @progbits

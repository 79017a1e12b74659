/*
 * swtch.S - switch kernel threads.
 *
 *   void swtch(struct context **save, struct context *load);
 *
 * Pushes the callee-saved registers (the caller-saved ones were saved by
 * the C compiler around the call), stores the resulting stack pointer (which
 * now points at a struct context, whose last word is our return address)
 * into *save, then loads `load` as the stack pointer, pops its registers and
 * returns into whatever called swtch() on that stack.  The layout must match
 * struct context in kern/proc.h: r15 r14 r13 r12 rbx rbp rip.
 */
	.text
	.globl swtch
swtch:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, (%rdi)
	movq %rsi, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret

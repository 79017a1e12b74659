/*
 * vectors.S - the 256 interrupt entry stubs and the common path, alltraps.
 *
 * The CPU pushes ss, rsp, rflags, cs, rip and, for some exceptions, an error
 * code.  Each stub makes the frame uniform (pushing a 0 error code where the
 * CPU did not), pushes its vector number and jumps to alltraps, which saves
 * the general registers to finish a struct trapframe (trap.h) and calls
 * trap(tf).  On the way back it restores everything and executes iretq.
 *
 * Coming from user mode (low bits of the saved cs = 3), GS holds the user's
 * base; swapgs exchanges it for the kernel's per-CPU base, and swaps it back
 * on exit.
 */
#include "arch/x86_64/frame.h"

	.text
.macro VECTOR n, has_error_code
	.align 16
vector\n:
	.if \has_error_code == 0
	pushq $0
	.endif
	pushq $\n
	jmp alltraps
.endm

/* Exceptions that push an error code: 8, 10-14, 17, 21, 29, 30. */
.altmacro
.macro VECTOR_AUTO n
	.if (\n == 8) || (\n >= 10 && \n <= 14) || (\n == 17) || (\n == 21) || (\n == 29) || (\n == 30)
	VECTOR \n, 1
	.else
	VECTOR \n, 0
	.endif
.endm

.set i, 0
.rept 256
	VECTOR_AUTO %i
	.set i, i + 1
.endr

alltraps:
	testb $3, (TF_CS - TF_REGS)(%rsp)  /* cs sits above the 2 words pushed so far */
	jz 1f
	swapgs
1:	PUSH_GPRS
	cld
	movq %rsp, %rdi
	call trap
	.globl trapret
trapret:
	POP_GPRS
	testb $3, (TF_CS - TF_REGS)(%rsp)
	jz 2f
	swapgs
2:	addq $16, %rsp                  /* trapno and error code */
	iretq

/* The table of stub addresses that idt_init() installs. */
	.section .rodata
	.align 8
	.globl trap_vectors
trap_vectors:
.macro VECTOR_ADDR n
	.quad vector\n
.endm
.set i, 0
.rept 256
	VECTOR_ADDR %i
	.set i, i + 1
.endr

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
 *
 * A fault on the iretq itself.  iretq checks the frame it returns with
 * before it leaves ring 0: a code or stack selector that is not a valid
 * user segment (or, on Intel, a non-canonical rip) makes it raise #GP,
 * #SS or #NP *in kernel mode*, with rip = doreti_iret and GS already
 * swapped to the user's base.  Any call that lets a user hand the kernel
 * a frame (rt_sigreturn, which checks it first: sigframe.c) puts it under
 * the user's control, and a trap_test builds such frames, so this must never be a kernel
 * panic or, worse, a kernel running on the user's GS base.  As FreeBSD's
 * doreti_iret_fault and Linux's exception fixups do, the entry code
 * recognises the case -- a kernel-mode trap at doreti_iret whose refused
 * frame was going to user mode (cs & 3) -- and swaps GS back to the
 * kernel's; trap() then kills the process with SIGSEGV, reporting the
 * frame the CPU refused (trap.c: trap_iret_fault).  On AMD, and under
 * QEMU's TCG, some bad frames (a non-canonical rip) pass iretq and fault
 * in user mode at the first fetch instead: an ordinary user SIGSEGV.
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
	/* A trap inside copy_user arrives with RFLAGS.AC set (stac): close
	 * SMAP's window again, as the syscall entry's SFMASK does; iretq puts
	 * the interrupted code's AC back.  (clac is invalid without SMAP.) */
	cmpb $0, cpu_has_smap(%rip)
	je 4f
	.byte 0x0f, 0x01, 0xca          /* clac */
4:
	/* iretq refused a frame going to user mode: GS is the user's (see the
	 * top).  Only a fault can be that (trapno below 32): interrupts are off
	 * at doreti_iret, and were an interrupt to arrive there, taking it for
	 * a refused frame would swap GS the wrong way for good. */
	cmpq $doreti_iret, TF_RIP(%rsp)
	jne 3f
	cmpq $32, TF_TRAPNO(%rsp)
	jae 3f
	movq TF_RSP(%rsp), %rax             /* the frame iretq was given */
	testb $3, 8(%rax)                   /* ... its cs */
	jz 3f
	swapgs
3:	movq %rsp, %rdi
	call trap
	.globl trapret
trapret:
	/* Interrupts off from here to iretq, which puts back the interrupted
	 * code's IF: trap() may have turned them on (a page fault that
	 * sleeps), and an interrupt between the swapgs below and iretq would
	 * enter from kernel mode, skip its own swapgs, and run the kernel on
	 * the user's GS base. */
	cli
	POP_GPRS
	testb $3, (TF_CS - TF_REGS)(%rsp)
	jz 2f
	swapgs
2:	addq $16, %rsp                  /* trapno and error code */
	.globl doreti_iret
doreti_iret:
	iretq

/*
 * The NMI has an entry of its own, because it cannot trust cs to say whose
 * GS base is loaded.  It may arrive anywhere: in the few instructions
 * between a `syscall` and its swapgs, or between the last swapgs and
 * sysretq or iretq on the way out, cs is the kernel's but GS the user's,
 * and alltraps would run the kernel on the user's base.  So, like Linux's
 * "paranoid" entry, it asks the CPU: the kernel's per-CPU block is a
 * kernel address (bit 63 set), and a user's GS base never is (nothing lets
 * a process set one).  An NMI never returns (trap.c: each one is a panic
 * report, or stops its CPU for one), so nothing needs swapping back.
 */
	.globl nmi_entry
nmi_entry:
	pushq $0                        /* error code */
	pushq $2                        /* T_NMI */
	PUSH_GPRS
	cld
	movl $0xc0000101, %ecx          /* MSR_GS_BASE */
	rdmsr
	testl %edx, %edx                /* the high half: negative for the kernel's */
	js 1f
	swapgs
1:	movq %rsp, %rdi
	call trap
	ud2                             /* trap() does not return from an NMI */

/* The table of stub addresses that trap_init() installs. */
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

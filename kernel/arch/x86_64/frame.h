/*
 * frame.h - assembler macros that save and restore the general registers
 * of a struct trapframe (trap.h), shared by the interrupt entry
 * (vectors.S) and the system call entry (syscall_entry.S) so that the two
 * can never disagree about the layout.  The push order is the reverse of
 * the field order: r15 ends up at the lowest address.
 */
#ifndef ARCH_X86_64_FRAME_H
#define ARCH_X86_64_FRAME_H
#ifdef __ASSEMBLY__

#define TF_R11     0x20         /* offsetof(struct trapframe, r11) */
#define TF_RCX     0x60         /* offsetof(struct trapframe, rcx) */
#define TF_TRAPNO  0x78         /* offsetof(struct trapframe, trapno) */
#define TF_RIP     0x88         /* offsetof(struct trapframe, rip) */
#define TF_CS      0x90         /* offsetof(struct trapframe, cs) */
#define TF_RFLAGS  0x98         /* offsetof(struct trapframe, rflags) */
#define TF_RSP     0xa0         /* offsetof(struct trapframe, rsp) */
#define TF_REGS    0x78         /* bytes of general registers (15 x 8) */

.macro PUSH_GPRS
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
.endm

.macro POP_GPRS
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
.endm

#endif /* __ASSEMBLY__ */
#endif

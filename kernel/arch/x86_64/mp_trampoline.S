/*
 * mp_trampoline.S - where a freshly started CPU (an AP) begins: 16-bit real
 * mode, to 32-bit protected mode, to 64-bit long mode, then into C.
 *
 * A STARTUP IPI starts the AP in real mode at CS:IP = (page << 8):0000,
 * i.e. at physical address page * 4096, with paging off, 16-bit code and
 * no stack.  That address must be below 1 MiB, so mp.c copies the bytes
 * between mp_trampoline_start and mp_trampoline_end to the page at
 * MP_TRAMPOLINE_PA (mp.h) and sends the STARTUP with that page's number.
 * The bytes are assembled here, in the kernel's .rodata, but never run
 * here; so every address below is written as MP_TRAMPOLINE_PA plus an
 * offset from mp_trampoline_start (the assembler can compute a difference
 * of two labels in the same section), never as a label's link address.
 *
 * The three steps, as the Intel SDM (vol. 3, 9.9 "Mode switching") lists
 * them:
 *   16-bit: load a GDT with flat 32-bit code and data segments, set
 *           CR0.PE, far-jump to load CS with the 32-bit code segment;
 *   32-bit: set CR4.PAE, load CR3, set EFER.LME (and NXE: the kernel's
 *           page tables use the no-execute bit, which is a reserved bit,
 *           and so a fault, without it), set CR0.PG: the CPU is now in
 *           long mode's compatibility mode; far-jump to a 64-bit segment;
 *   64-bit: load the stack and argument mp.c left in the data block at the
 *           end of the page, and call the C entry (mp.c: mp_ap_entry).
 *
 * The page tables loaded here are not the kernel's own: they are a PML4
 * that mp.c builds in the pages just after the trampoline, whose upper
 * half is copied from the kernel's (so the kernel image, its stacks and
 * the direct map are all there) and whose slot 0 maps physical 0-2 MiB at
 * the same virtual addresses, executable.  That identity map is what lets
 * the instruction right after `mov %eax, %cr0` (paging on) be fetched
 * from the address it was at a moment before.  The kernel's own tables
 * have no identity map (pmap_bootstrap drops it) and map all physical
 * memory no-execute, so they could not serve.  The C entry switches to
 * the kernel's tables at once, and the identity map is never used again.
 */
#include "arch/x86_64/mp.h"

#define T(x)  (MP_TRAMPOLINE_PA + ((x) - mp_trampoline_start))

	.section .rodata
	.globl mp_trampoline_start, mp_trampoline_end
	.globl mp_tramp_cr3, mp_tramp_stack, mp_tramp_entry, mp_tramp_arg
	.align 16
	.code16
mp_trampoline_start:
	cli                             /* no IDT fit for real mode: no interrupts */
	cld
	movw %cs, %ax                   /* CS = MP_TRAMPOLINE_PA >> 4 */
	movw %ax, %ds
	lgdtl tramp_gdt_ptr - mp_trampoline_start       /* DS-relative */
	movl %cr0, %eax
	orl $1, %eax                    /* CR0.PE */
	movl %eax, %cr0
	ljmpl $0x08, $T(start32)

	.code32
start32:
	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	movl %cr4, %eax
	orl $(1 << 5), %eax             /* CR4.PAE */
	movl %eax, %cr4
	movl T(mp_tramp_cr3), %eax
	movl %eax, %cr3
	movl $0xc0000080, %ecx          /* EFER */
	rdmsr
	orl $((1 << 8) | (1 << 11)), %eax       /* LME | NXE */
	wrmsr
	movl %cr0, %eax
	orl $((1 << 31) | (1 << 16)), %eax      /* PG | WP */
	movl %eax, %cr0
	ljmp $0x18, $T(start64)

	.code64
start64:
	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	xorw %ax, %ax
	movw %ax, %fs
	movw %ax, %gs
	movq T(mp_tramp_stack), %rsp
	movq T(mp_tramp_arg), %rdi      /* the AP's struct cpu */
	movq T(mp_tramp_entry), %rax
	xorl %ebp, %ebp                 /* end of the backtrace chain */
	callq *%rax                     /* never returns; if it did: */
1:	cli
	hlt
	jmp 1b

	.align 8
tramp_gdt:
	.quad 0
	.quad 0x00cf9a000000ffff        /* 0x08: flat 32-bit code */
	.quad 0x00cf92000000ffff        /* 0x10: flat data */
	.quad 0x00af9a000000ffff        /* 0x18: 64-bit code */
tramp_gdt_ptr:
	.short tramp_gdt_ptr - tramp_gdt - 1
	.long T(tramp_gdt)

	/* Filled in by mp.c before each STARTUP. */
	.align 8
mp_tramp_cr3:   .quad 0                 /* physical, below 4 GiB: loaded in 32-bit mode */
mp_tramp_stack: .quad 0                 /* top of the AP's kernel stack */
mp_tramp_entry: .quad 0                 /* the C function to call */
mp_tramp_arg:   .quad 0                 /* its argument */
mp_trampoline_end:

/*
 * boot.S - from GRUB to 64-bit C.
 *
 * GRUB (multiboot2) enters _start in 32-bit protected mode with paging off,
 * %eax = 0x36d76289 and %ebx = the physical address of the boot information.
 * We must, in order:
 *   1. build temporary page tables: identity-map the low 4 GiB (so the next
 *      instruction after enabling paging still exists), map the same 4 GiB at
 *      the direct map (0xffff800000000000), and map the first 1 GiB at the
 *      kernel's link address (0xffffffff80000000);
 *   2. enable PAE (CR4), long mode and no-execute (EFER), then paging (CR0);
 *   3. load a 64-bit GDT and far-jump into 64-bit code;
 *   4. jump to the higher half, switch to the boot stack and call kmain().
 * pmap_bootstrap() later replaces these tables with the real ones and drops
 * the identity map.  Everything here runs at physical addresses, so every
 * reference to a higher-half symbol subtracts KERNEL_BASE.
 */
#define KERNEL_BASE 0xffffffff80000000
#define PHYS(x) ((x) - KERNEL_BASE)

#define MB2_MAGIC    0xe85250d6
#define MB2_ARCH_I386 0

	.section .multiboot, "a"
	.align 8
mb2_header:
	.long MB2_MAGIC
	.long MB2_ARCH_I386
	.long mb2_header_end - mb2_header
	.long -(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
	/* end tag */
	.align 8
	.short 0, 0
	.long 8
mb2_header_end:

	.section .boot.text, "ax"
	.code32
	.globl _start
_start:
	cli
	cld
	movl %eax, %edi                 /* keep magic and info for kmain */
	movl %ebx, %esi
	movl $PHYS(boot_stack_top), %esp

	/* PD entries: 2048 x 2 MiB pages covering 0..4 GiB (present, writable, PS). */
	movl $PHYS(boot_pd), %ebx
	xorl %ecx, %ecx
1:	movl %ecx, %eax
	shll $21, %eax
	orl $0x83, %eax
	movl %eax, (%ebx,%ecx,8)
	movl %ecx, %eax
	shrl $11, %eax                  /* high half of the address: (i*2M)>>32 */
	movl %eax, 4(%ebx,%ecx,8)
	incl %ecx
	cmpl $2048, %ecx
	jne 1b

	/* PDPT for low/direct map: 4 entries -> the 4 PDs. */
	movl $PHYS(boot_pdpt_low), %ebx
	movl $PHYS(boot_pd), %eax
	orl $0x3, %eax
	movl %eax, 0(%ebx)
	addl $4096, %eax
	movl %eax, 8(%ebx)
	addl $4096, %eax
	movl %eax, 16(%ebx)
	addl $4096, %eax
	movl %eax, 24(%ebx)

	/* PDPT for the kernel: entry 510 (0xffffffff80000000) -> first PD. */
	movl $PHYS(boot_pdpt_high), %ebx
	movl $PHYS(boot_pd), %eax
	orl $0x3, %eax
	movl %eax, 510*8(%ebx)

	/* PML4: 0 (identity), 256 (direct map), 511 (kernel). */
	movl $PHYS(boot_pml4), %ebx
	movl $PHYS(boot_pdpt_low), %eax
	orl $0x3, %eax
	movl %eax, 0(%ebx)
	movl %eax, 256*8(%ebx)
	movl $PHYS(boot_pdpt_high), %eax
	orl $0x3, %eax
	movl %eax, 511*8(%ebx)

	movl %ebx, %cr3
	movl %cr4, %eax
	orl $(1 << 5), %eax             /* CR4.PAE */
	movl %eax, %cr4
	movl $0xc0000080, %ecx          /* EFER */
	rdmsr
	orl $((1 << 8) | (1 << 11)), %eax   /* LME | NXE */
	wrmsr
	movl %cr0, %eax
	orl $((1 << 31) | (1 << 16) | 1), %eax  /* PG | WP | PE */
	movl %eax, %cr0

	lgdt boot_gdt_ptr              /* .boot.text is linked at its physical address */
	ljmp $0x08, $start64_low

	.code64
start64_low:
	movabsq $start64_high, %rax
	jmp *%rax

	.section .boot.text, "ax"
	.align 16
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff        /* 0x08: 64-bit code */
	.quad 0x00cf92000000ffff        /* 0x10: data */
boot_gdt_end:
boot_gdt_ptr:
	.short boot_gdt_end - boot_gdt - 1
	.long boot_gdt

	.text
start64_high:
	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	xorw %ax, %ax
	movw %ax, %fs
	movw %ax, %gs
	movabsq $boot_stack_top, %rsp
	xorl %ebp, %ebp                 /* end of the backtrace chain */
	/* %edi = multiboot magic, %esi = physical address of the boot info */
	call kmain
1:	cli
	hlt
	jmp 1b

	.bss
	.align 4096
	.globl boot_pml4
boot_pml4:      .space 4096
boot_pdpt_low:  .space 4096
boot_pdpt_high: .space 4096
boot_pd:        .space 4 * 4096
	/* The boot stack; the page below it is left unmapped by pmap_bootstrap
	 * as a guard, so a stack overflow faults instead of corrupting .bss. */
	.globl boot_stack_guard, boot_stack_top
boot_stack_guard: .space 4096
boot_stack:     .space 16384
boot_stack_top:

/*
 * copyio.S - the two primitive copies between kernel and user memory.
 *
 *   int copy_user(void *dst, const void *src, size_t n);   returns 0 or -EFAULT
 *
 * The range checks are done in C (kern/copyio.c).  Here we arm
 * %gs:PERCPU_ONFAULT with a recovery address: if the copy faults on a user
 * address that vm_fault() cannot resolve, the page-fault handler resumes at
 * that address instead of panicking, and we return -EFAULT.  With SMAP,
 * stac/clac open and close the window in which the kernel may touch user
 * pages; on CPUs without SMAP those instructions would be invalid, so they
 * are skipped.
 */
#include "arch/x86_64/percpu.h"
#define EFAULT 14

	.text
	.globl copy_user
copy_user:
	pushq %rbp
	movq %rsp, %rbp
	leaq copy_fault(%rip), %rax
	movq %rax, %gs:PERCPU_ONFAULT
	cmpb $0, cpu_has_smap(%rip)
	je 1f
	.byte 0x0f, 0x01, 0xcb          /* stac */
1:	movq %rdx, %rcx                 /* n / 8 quadwords, then n % 8 bytes: */
	shrq $3, %rcx                   /* an emulator (and an instruction */
	rep movsq                       /* count) pays per iteration, so a */
	movq %rdx, %rcx                 /* 4 KiB copy is 512 moves, not 4096 */
	andq $7, %rcx
	rep movsb
	xorl %eax, %eax
copy_done:
	cmpb $0, cpu_has_smap(%rip)
	je 2f
	.byte 0x0f, 0x01, 0xca          /* clac */
2:	movq $0, %gs:PERCPU_ONFAULT
	popq %rbp
	ret
copy_fault:
	movl $-EFAULT, %eax
	jmp copy_done

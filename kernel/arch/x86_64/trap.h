/*
 * trap.h - the trap frame and the interrupt vectors.
 *
 * Every interrupt and exception enters the kernel through vectors.S, which
 * saves the registers in a struct trapframe on the kernel stack and calls
 * trap(); a system call enters through syscall_entry.S, which builds the
 * same frame.  The layout below must match both.
 */
#ifndef ARCH_X86_64_TRAP_H
#define ARCH_X86_64_TRAP_H

#include <stdint.h>

struct trapframe {
	/* pushed by vectors.S (alltraps) */
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	/* pushed by the vector stub */
	uint64_t trapno;
	uint64_t err;           /* the CPU's error code, or 0 */
	/* pushed by the CPU */
	uint64_t rip, cs, rflags, rsp, ss;
};

/* CPU exceptions */
#define T_DIVIDE     0
#define T_DEBUG      1
#define T_NMI        2
#define T_BRKPT      3
#define T_OFLOW      4
#define T_BOUND      5
#define T_ILLOP      6
#define T_DEVICE     7
#define T_DBLFLT     8
#define T_TSS       10
#define T_SEGNP     11
#define T_STACK     12
#define T_GPFLT     13
#define T_PGFLT     14
#define T_FPERR     16
#define T_ALIGN     17
#define T_MCHK      18
#define T_SIMDERR   19

/* Hardware interrupts are remapped above the exceptions. */
#define T_IRQ0      32
#define T_SYSCALL  256         /* a system call (syscall_entry.S); tf->err holds its number */
#define T_TIMER     32          /* local APIC timer */
#define T_IPI_RESCHED 0xfb      /* another CPU made a process runnable (sched.c) */
#define T_IPI_TLB   0xfc        /* a TLB shootdown request (tlb.c) */
#define T_SPURIOUS  255

/* Page-fault error code bits */
#define PGFLT_P     0x01        /* 0: page not present, 1: protection violation */
#define PGFLT_W     0x02        /* write access */
#define PGFLT_U     0x04        /* from user mode */
#define PGFLT_I     0x10        /* instruction fetch */

void trap_init(void);
/* Load the IDT trap_init built on an AP (mp.c). */
void trap_init_ap(void);
void trap(struct trapframe *tf);
void trap_print_frame(const struct trapframe *tf);
void trap_return_to_user(void);
const char *trap_name(uint64_t trapno);

/* Register a handler for an interrupt vector (T_IRQ0 and up). */
typedef void (*irq_handler_t)(struct trapframe *tf);
void trap_set_irq_handler(int vector, irq_handler_t fn);
/*
 * The same for a level-triggered line: the EOI is sent after fn, which
 * has made its device lower the line (sent before, it would make the
 * I/O APIC deliver the still-high line a second time).  fn must not
 * switch away.
 */
void trap_set_level_irq_handler(int vector, irq_handler_t fn);

#endif

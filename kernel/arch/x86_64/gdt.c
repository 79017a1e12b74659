/*
 * gdt.c - the global descriptor table and the task state segment.
 *
 * Layout (selector: descriptor):
 *   0x00 null
 *   0x08 kernel code (64-bit)     0x10 kernel data
 *   0x18 empty (see below)          0x20 user data   0x28 user code (64-bit)
 *   0x30 TSS (a 16-byte descriptor, two slots)
 * sysret loads CS = STAR[63:48] + 16 and SS = STAR[63:48] + 8, which is why
 * user data must sit directly below the 64-bit user code.
 *
 * The slot at 0x18 is where a 32-bit user code segment goes (sysret's
 * layout keeps it for returns to 32-bit programs), and it is left empty
 * on purpose.  vmos runs no 32-bit programs, and a 32-bit user code
 * segment would let any program far-jump into compatibility mode, where
 * `syscall` enters the kernel at MSR_CSTAR -- which nothing sets, so ring
 * 0 would start executing at address 0 (a panic any user could cause).
 * With the slot empty the far jump itself faults in user mode: SIGSEGV.
 * sysret to 64-bit mode never reads the descriptor, only its selector.
 *
 * One GDT and one TSS per CPU.  The TSS holds rsp0, the stack the CPU
 * switches to when an interrupt arrives from user mode, and that is the
 * stack of whatever process runs on *that* CPU; and `ltr` marks the TSS
 * descriptor busy, so two CPUs cannot load the same one.  So each CPU gets
 * its own row of gdt[], its own tss and its own double-fault stack, all
 * indexed by its struct cpu's id (percpu.h).
 */
#include "kern/kernel.h"
#include "kern/string.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/percpu.h"

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];        /* stack for entering ring 0..2 */
	uint64_t reserved1;
	uint64_t ist[7];        /* interrupt stacks 1..7 */
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));

static uint64_t gdt_rows[MAXCPU][8];
static struct tss tss[MAXCPU];
static uint8_t double_fault_stack[MAXCPU][4096] __attribute__((aligned(16)));
static uint8_t nmi_stack[MAXCPU][4096] __attribute__((aligned(16)));

#define SEG_PRESENT  (1ul << 47)
#define SEG_USER     (3ul << 45)
#define SEG_CODEDATA (1ul << 44)
#define SEG_EXEC     (1ul << 43)
#define SEG_RW       (1ul << 41)
#define SEG_LONG     (1ul << 53)
#define SEG_DB32     (1ul << 54)
#define SEG_GRAN     (1ul << 55)
#define SEG_LIMIT    (0xful << 48 | 0xffff)

static void gdt_set_tss(uint64_t *gdt, int slot, struct tss *t)
{
	uint64_t base = (uint64_t)t, limit = sizeof(*t) - 1;
	gdt[slot] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
	    (0x9ul << 40) | SEG_PRESENT | ((base >> 24) & 0xff) << 56;
	gdt[slot + 1] = base >> 32;
}

void gdt_init(int cpu)
{
	KASSERT(cpu >= 0 && cpu < MAXCPU, "gdt_init: cpu %d", cpu);
	uint64_t *gdt = &gdt_rows[cpu][0];
	struct tss *t = &tss[cpu];

	gdt[0] = 0;
	gdt[1] = SEG_PRESENT | SEG_CODEDATA | SEG_EXEC | SEG_RW | SEG_LONG | SEG_GRAN | SEG_LIMIT;
	gdt[2] = SEG_PRESENT | SEG_CODEDATA | SEG_RW | SEG_DB32 | SEG_GRAN | SEG_LIMIT;
	gdt[3] = 0;                     /* no 32-bit user code: see the top */
	gdt[4] = SEG_PRESENT | SEG_USER | SEG_CODEDATA | SEG_RW | SEG_DB32 | SEG_GRAN | SEG_LIMIT;
	gdt[5] = SEG_PRESENT | SEG_USER | SEG_CODEDATA | SEG_EXEC | SEG_RW | SEG_LONG | SEG_GRAN | SEG_LIMIT;

	memset(t, 0, sizeof(*t));
	t->ist[IST_DOUBLE_FAULT - 1] = (uint64_t)double_fault_stack[cpu] + sizeof(double_fault_stack[cpu]);
	t->ist[IST_NMI - 1] = (uint64_t)nmi_stack[cpu] + sizeof(nmi_stack[cpu]);
	t->iomap_base = sizeof(*t);     /* no I/O permission bitmap */
	gdt_set_tss(gdt, 6, t);

	struct { uint16_t limit; uint64_t base; } __attribute__((packed)) ptr = {
		sizeof(gdt_rows[cpu]) - 1, (uint64_t)gdt
	};
	__asm__ volatile(
	    "lgdt %0\n\t"
	    "pushq %1\n\t"              /* reload CS with a far return */
	    "leaq 1f(%%rip), %%rax\n\t"
	    "pushq %%rax\n\t"
	    "lretq\n"
	    "1:\n\t"
	    "movw %2, %%ax\n\t"
	    "movw %%ax, %%ds\n\t"
	    "movw %%ax, %%es\n\t"
	    "movw %%ax, %%ss\n\t"
	    "ltr %w3"
	    :: "m"(ptr), "i"((uint64_t)SEL_KCODE), "i"(SEL_KDATA), "r"(SEL_TSS)
	    : "rax", "memory");
}

void gdt_set_kernel_stack(uint64_t rsp0)
{
	tss[this_cpu()->id].rsp[0] = rsp0;
}

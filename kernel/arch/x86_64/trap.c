/*
 * trap.c - the interrupt descriptor table and the C side of every trap.
 *
 * trap_init() points all 256 vectors at the stubs in vectors.S.  trap() gets
 * the saved frame and decides:
 *   - a hardware interrupt: call the handler registered for its vector;
 *   - an exception in kernel mode: a kernel bug, so panic with the frame;
 *   - a page fault in user mode: vm_fault() resolves it, or the process
 *     dies with SIGSEGV/SIGBUS and the kernel prints one line saying why;
 *   - a page fault in kernel mode on a user address while copyin/copyout
 *     is running (cpu->onfault set): vm_fault() resolves it, or the copy is
 *     resumed at its recovery address and returns -EFAULT;
 *   - any other exception in user mode: the matching signal;
 *   - a fault on the iretq back to user mode (the CPU refused the frame):
 *     the process dies with SIGSEGV (see vectors.S);
 *   - any other exception in kernel mode: a kernel bug, so panic.
 * Before returning to user mode, the process may be preempted (its time
 * slice is over) and acts on pending signals.
 */
#include "kern/kernel.h"
#include "kern/panic.h"
#include "kern/spinlock.h"
#include "kern/printf.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/trap.h"
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/vmparam.h"
#include "kern/proc.h"
#include "kern/signal.h"
#include "kern/sched.h"
#include "kern/counters.h"
#include "kern/string.h"
#include "vm/vm_fault.h"
#include "vm/vm_map.h"
#include "uapi/signal.h"

struct idt_gate {
	uint16_t off_lo;
	uint16_t sel;
	uint8_t ist;
	uint8_t type;           /* present | dpl | gate type */
	uint16_t off_mid;
	uint32_t off_hi;
	uint32_t reserved;
} __attribute__((packed));

#define RFLAGS_IF      0x200
#define GATE_INTERRUPT 0x8e     /* present, dpl 0, 64-bit interrupt gate (IF cleared) */
#define GATE_USER      0x60     /* dpl 3: may be raised with `int` from user mode */

/* The assembler entry code hard-codes these offsets (frame.h). */
_Static_assert(offsetof(struct trapframe, cs) == 0x90, "frame.h TF_CS");
_Static_assert(offsetof(struct trapframe, trapno) == 0x78, "frame.h TF_REGS, TF_TRAPNO");
_Static_assert(offsetof(struct trapframe, rip) == 0x88, "frame.h TF_RIP");
_Static_assert(offsetof(struct trapframe, rsp) == 0xa0, "frame.h TF_RSP");
_Static_assert(offsetof(struct trapframe, rflags) == 0x98, "frame.h TF_RFLAGS");
_Static_assert(offsetof(struct trapframe, rcx) == 0x60, "frame.h TF_RCX");
_Static_assert(offsetof(struct trapframe, r11) == 0x20, "frame.h TF_R11");

static struct idt_gate idt[256];
static irq_handler_t irq_handlers[256];
static bool irq_level[256];             /* EOI after the handler (a level-triggered line) */
extern const uint64_t trap_vectors[256];
extern char nmi_entry[];                /* vectors.S: the NMI's own entry */

static const char *const exception_names[32] = {
	"divide error", "debug", "NMI", "breakpoint", "overflow", "bound range",
	"invalid opcode", "device not available", "double fault", "coprocessor overrun",
	"invalid TSS", "segment not present", "stack fault", "general protection fault",
	"page fault", "reserved", "x87 FPU error", "alignment check", "machine check",
	"SIMD exception", "virtualization", "control protection",
};

const char *trap_name(uint64_t trapno)
{
	if (trapno < 32)
		return exception_names[trapno] ? exception_names[trapno] : "reserved";
	return "interrupt";
}

static void idt_set(int vec, uint64_t handler, int ist, uint8_t type)
{
	idt[vec].off_lo = handler & 0xffff;
	idt[vec].sel = SEL_KCODE;
	idt[vec].ist = ist;
	idt[vec].type = type;
	idt[vec].off_mid = (handler >> 16) & 0xffff;
	idt[vec].off_hi = handler >> 32;
	idt[vec].reserved = 0;
}

void trap_init(void)
{
	for (int v = 0; v < 256; v++)
		idt_set(v, trap_vectors[v], 0, GATE_INTERRUPT);
	/* A double fault often means the kernel stack is gone: use a known-good one. */
	idt_set(T_DBLFLT, trap_vectors[T_DBLFLT], IST_DOUBLE_FAULT, GATE_INTERRUPT);
	idt_set(T_NMI, (uint64_t)nmi_entry, IST_NMI, GATE_INTERRUPT);
	idt_set(T_BRKPT, trap_vectors[T_BRKPT], 0, GATE_INTERRUPT | GATE_USER);
	trap_init_ap();
}

/* Every CPU shares the one IDT; each must load it into its own IDTR. */
void trap_init_ap(void)
{
	struct { uint16_t limit; uint64_t base; } __attribute__((packed)) ptr = {
		sizeof(idt) - 1, (uint64_t)idt
	};
	__asm__ volatile("lidt %0" :: "m"(ptr));
}

void trap_set_irq_handler(int vector, irq_handler_t fn)
{
	KASSERT(vector >= T_IRQ0 && vector < 256, "trap_set_irq_handler: vector %d", vector);
	irq_handlers[vector] = fn;
	irq_level[vector] = false;
}

void trap_set_level_irq_handler(int vector, irq_handler_t fn)
{
	KASSERT(vector >= T_IRQ0 && vector < 256, "trap_set_level_irq_handler: vector %d", vector);
	irq_handlers[vector] = fn;
	irq_level[vector] = true;
}

void trap_print_frame(const struct trapframe *tf)
{
	kprintf("trap %lu (%s) err %#lx %s mode\n", tf->trapno, trap_name(tf->trapno),
	    tf->err, (tf->cs & 3) ? "user" : "kernel");
	if (tf->trapno == T_PGFLT)
		kprintf("fault address %#lx (%s, %s, %s)\n", read_cr2(),
		    (tf->err & PGFLT_P) ? "protection" : "not present",
		    (tf->err & PGFLT_I) ? "fetch" : (tf->err & PGFLT_W) ? "write" : "read",
		    (tf->err & PGFLT_U) ? "user" : "kernel");
	kprintf("rip %016lx cs %04lx rflags %016lx rsp %016lx ss %04lx\n",
	    tf->rip, tf->cs, tf->rflags, tf->rsp, tf->ss);
	kprintf("rax %016lx rbx %016lx rcx %016lx rdx %016lx\n", tf->rax, tf->rbx, tf->rcx, tf->rdx);
	kprintf("rsi %016lx rdi %016lx rbp %016lx r8  %016lx\n", tf->rsi, tf->rdi, tf->rbp, tf->r8);
	kprintf("r9  %016lx r10 %016lx r11 %016lx r12 %016lx\n", tf->r9, tf->r10, tf->r11, tf->r12);
	kprintf("r13 %016lx r14 %016lx r15 %016lx\n", tf->r13, tf->r14, tf->r15);
}

static void trap_interrupt(struct trapframe *tf)
{
	irq_handler_t fn = irq_handlers[tf->trapno];
	if (tf->trapno == T_SPURIOUS)
		return;                 /* spurious APIC interrupt: no EOI */
	if (tf->trapno >= 0xe0 && tf->trapno < 0xf0)
		return;                 /* a spurious IRQ from the masked 8259 PIC */
	if (irq_level[tf->trapno]) {
		fn(tf);                 /* it lowered the line; now the I/O APIC may look again */
		lapic_eoi();
		return;
	}
	lapic_eoi();                    /* before the handler: it may switch away */
	if (fn != NULL)
		fn(tf);
	else
		kprintf("trap: unexpected interrupt %lu\n", tf->trapno);
}

static int fault_type(uint64_t err)
{
	if (err & PGFLT_I)
		return VM_FAULT_EXEC;
	return (err & PGFLT_W) ? VM_FAULT_WRITE : VM_FAULT_READ;
}

/* A page fault in kernel mode: only copyin/copyout on user addresses may fault. */
static void trap_kernel_page_fault(struct trapframe *tf)
{
	struct cpu *c = this_cpu();
	uint64_t addr = read_cr2();
	struct proc *p = curproc();

	if (c->onfault == 0 || addr >= USER_MAX || p == NULL || p->vmspace == NULL)
		panic_trap(tf, "trap: page fault in kernel mode at %#lx", tf->rip);
	/* The fault may sleep (swap, memory): let interrupts in, as the copy
	 * had them, unless its caller holds a spinlock -- then a sleep is a
	 * bug that the sleep itself reports. */
	if (!intr_pushed())
		intr_enable();
	/* After a sleep this thread may be on another CPU: c is stale, and
	 * this thread's recovery address is in the CPU it is on now. */
	if (vm_fault(p->vmspace, addr, fault_type(tf->err)) != VM_FAULT_OK)
		tf->rip = this_cpu()->onfault;  /* copy_user returns -EFAULT */
}

/* Was the SIGSEGV at addr a refused access to a mapping (SEGV_ACCERR)
 * rather than no mapping at all (SEGV_MAPERR)? */
static bool fault_mapped(struct proc *p, uint64_t addr, uint64_t err)
{
	if (err & PGFLT_P)
		return true;            /* a page was there: the rights said no */
	if (addr >= USER_MAX)
		return false;
	vm_map_lock(&p->vmspace->map);
	bool mapped = vm_map_lookup_entry(&p->vmspace->map, addr) != NULL;
	vm_map_unlock(&p->vmspace->map);
	return mapped;
}

static void trap_user_page_fault(struct trapframe *tf)
{
	uint64_t addr = read_cr2();
	struct proc *p = curproc();
	char why[128];

	intr_enable();
	enum vm_fault_result r = vm_fault(p->vmspace, addr, fault_type(tf->err));
	if (r == VM_FAULT_OK)
		return;
	ksnprintf(why, sizeof(why), "%s %s at %#lx (rip %#lx)",
	    (tf->err & PGFLT_I) ? "fetch" : (tf->err & PGFLT_W) ? "write" : "read",
	    vm_fault_result_name(r), addr, tf->rip);
	/* Past an object's end or an unreadable page: SIGBUS; no mapping or
	 * no right: SIGSEGV; out of memory or swap: SIGKILL, as Linux's OOM killer. */
	p->fault_addr = addr;
	switch (r) {
	case VM_FAULT_SIGBUS:
		signal_fault(SIGBUS, BUS_ADRERR, addr, why);
		break;
	case VM_FAULT_IOERR:
		signal_fault(SIGBUS, BUS_OBJERR, addr, why);
		break;
	case VM_FAULT_SIGSEGV:
		signal_fault(SIGSEGV, fault_mapped(p, addr, tf->err) ? SEGV_ACCERR : SEGV_MAPERR,
		    addr, why);
		break;
	default:
		signal_exit(SIGKILL, why);
	}
}

extern char doreti_iret[];

/*
 * A kernel-mode fault at doreti_iret: the CPU refused the frame iretq was
 * returning to user mode with (vectors.S has already put the kernel's GS
 * back).  That frame is the process's own trap frame, p->tf, which sits
 * where the iretq read it.  Kill the process with SIGSEGV and say which
 * frame; never return to it.  A refused frame going to kernel mode is a
 * kernel bug: false, and the caller panics.
 */
static bool trap_iret_fault(struct trapframe *tf)
{
	struct proc *p = curproc();
	if (tf->rip != (uint64_t)doreti_iret || p == NULL)
		return false;
	const uint64_t *iret = (const uint64_t *)tf->rsp;     /* rip, cs, rflags, rsp, ss */
	if ((iret[1] & 3) == 0)
		return false;
	KASSERT(iret == &p->tf->rip, "trap_iret_fault: frame %p is not pid %d's", iret, p->pid);
	char why[160];
	ksnprintf(why, sizeof(why), "the CPU refused its frame on the return to user mode (%s, "
	    "error code %#lx): rip %#lx cs %#lx rflags %#lx rsp %#lx ss %#lx", trap_name(tf->trapno),
	    tf->err, iret[0], iret[1], iret[2], iret[3], iret[4]);
	intr_enable();
	signal_exit(SIGSEGV, why);
}

static int exception_signal(uint64_t trapno)
{
	switch (trapno) {
	case T_DIVIDE: case T_FPERR: case T_SIMDERR: return SIGFPE;
	case T_ILLOP: return SIGILL;
	case T_BRKPT: case T_DEBUG: return SIGTRAP;
	case T_ALIGN: return SIGBUS;
	default: return SIGSEGV;
	}
}

/* si_code for an exception's signal (si_addr is the rip). */
static int exception_code(uint64_t trapno)
{
	switch (trapno) {
	case T_DIVIDE: return FPE_INTDIV;
	case T_ILLOP: return ILL_ILLOPN;
	case T_BRKPT: case T_DEBUG: return TRAP_BRKPT;
	case T_ALIGN: return BUS_ADRALN;
	default: return SI_KERNEL;      /* #GP and the like: Linux says SI_KERNEL, addr 0 */
	}
}

static void trap_user_exception(struct trapframe *tf)
{
	char why[96];
	int code = exception_code(tf->trapno);
	ksnprintf(why, sizeof(why), "%s at rip %#lx (error code %#lx)",
	    trap_name(tf->trapno), tf->rip, tf->err);
	signal_fault(exception_signal(tf->trapno), code, code == SI_KERNEL ? 0 : tf->rip, why);
}

/* On every return to user mode: time slice and signals. */
void trap_return_to_user(void)
{
	sched_maybe_preempt();
	signal_deliver();
}

void trap(struct trapframe *tf)
{
	bool from_user = (tf->cs & 3) != 0;

	/* The NMI a panicking CPU sends (panic.c).  First, before anything
	 * reads %gs: the NMI may have come where GS is still the user's. */
	if (tf->trapno == T_NMI && panicking)
		panic_stop_cpu(tf->rip, tf->rbp, from_user);
	/* Any other NMI comes from the host: the monitor's `nmi` command, or
	 * the test harness giving up on a boot that stopped making progress
	 * (tests/run.py).  It asks for the panic report -- every CPU's
	 * backtrace, every process and where it waits -- so that a hang can
	 * be read like a crash.  QEMU sends it to every CPU; the first to
	 * take it reports, and stops the others. */
	if (tf->trapno == T_NMI)
		panic_trap(tf, "NMI from the host: a report of where everything is (a hang?)");
	if (tf->trapno >= T_IRQ0)
		trap_interrupt(tf);
	else if (!from_user && tf->trapno == T_PGFLT)
		trap_kernel_page_fault(tf);
	else if (!from_user && !trap_iret_fault(tf))
		panic_trap(tf, "trap: %s in kernel mode at %#lx", trap_name(tf->trapno), tf->rip);
	else if (tf->trapno == T_PGFLT)
		trap_user_page_fault(tf);
	else
		trap_user_exception(tf);
	if (from_user)
		trap_return_to_user();
	else if (tf->trapno >= T_IRQ0 && (tf->rflags & RFLAGS_IF))
		sched_preempt_kernel();         /* see sched.h: a preemptible kernel */
}

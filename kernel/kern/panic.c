/*
 * panic.c - panic(), KASSERT's message, and the symbolized backtrace.
 *
 * The backtrace follows the chain of saved frame pointers: the kernel is
 * built with -fno-omit-frame-pointer, so every function starts with
 * `push %rbp; mov %rsp, %rbp`, and [rbp] holds the caller's rbp and
 * [rbp+8] the return address.  boot.S starts the chain with rbp = 0.  Each
 * return address is named with ksyms_lookup() as function+offset.
 */
#include "kern/kernel.h"
#include "kern/panic.h"
#include "kern/printf.h"
#include "kern/ksyms.h"
#include "kern/proc.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/trap.h"
#include "arch/x86_64/debug_exit.h"
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/mp.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/vmparam.h"
#include "dev/console.h"
#include "uapi/vmos.h"

volatile int panicking;

/*
 * Several CPUs.  The first CPU to panic owns the report: it stops the
 * others with an NMI (which no cli holds off) and waits a moment for
 * them to say they stopped, so that nothing they print or change gets
 * into the report.  A CPU that panics while another's report is under
 * way -- two CPUs hitting the same bug together -- stops quietly, and so
 * does every CPU that takes the NMI (trap.c calls panic_stop_cpu): one
 * report, not two interleaved.  CPUs are told apart by their local APIC
 * id, which needs no per-CPU block: the panic may have come from code
 * whose GS base is not the kernel's.
 */
#define NO_CPU UINT32_MAX
static uint32_t panic_cpu = NO_CPU;    /* (a) APIC id of the CPU reporting */
static int cpus_stopped;                /* (a) CPUs that took the NMI */

/*
 * Where each stopped CPU was (MAXCPU slots, first come), so that the
 * report ends with what the other CPUs were doing: the other half of a
 * deadlock is usually there.  A slot is printed once its CPU has marked
 * it valid; a CPU wedged with NMIs blocked never does.
 */
static struct {
	uint32_t apic_id;
	bool user;                      /* it was running user code */
	uint64_t rip, rbp;
	int valid;                      /* (a) set last: the rest is written */
} stopped_at[MAXCPU];

static char assert_buf[256];

const char *kassert_msg(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	kvsnprintf(assert_buf, sizeof(assert_buf), fmt, ap);
	va_end(ap);
	return assert_buf;
}

static void print_symbol(int depth, uint64_t addr)
{
	uint64_t off;
	const char *name = ksyms_lookup(addr, &off);
	if (name)
		kprintf("  #%-2d 0x%016lx %s+0x%lx\n", depth, addr, name, off);
	else
		kprintf("  #%-2d 0x%016lx ?\n", depth, addr);
}

/* A frame pointer we may follow: in the kernel half and 8-byte aligned. */
static bool frame_pointer_ok(uint64_t rbp)
{
	return rbp >= DMAP_BASE && (rbp & 7) == 0;
}

void backtrace_print(uint64_t rip, uint64_t rbp)
{
	kprintf("backtrace:\n");
	print_symbol(0, rip);
	for (int depth = 1; depth < 32 && frame_pointer_ok(rbp); depth++) {
		const uint64_t *frame = (const uint64_t *)rbp;
		uint64_t ret = frame[1];
		if (ret < KERNEL_BASE)
			break;
		/* ret points after the call; ret-1 is inside the calling function. */
		print_symbol(depth, ret - 1);
		if (frame[0] <= rbp)    /* the stack grows down: frames must go up */
			break;
		rbp = frame[0];
	}
}

/*
 * Fill pcs[0..max) with the return addresses (minus one, so inside the
 * calling function) of the chain of frames above the caller, skipping the
 * first `skip`: pcs[0] is then in the caller's caller's ... caller.  The
 * rest of pcs is zeroed.  Returns how many were found.
 */
int backtrace_capture(uintptr_t *pcs, int max, int skip)
{
	uint64_t rbp = (uint64_t)__builtin_frame_address(0);
	int n = 0;
	for (int depth = 0; depth < 32 && n < max && frame_pointer_ok(rbp); depth++) {
		const uint64_t *frame = (const uint64_t *)rbp;
		uint64_t ret = frame[1];
		if (ret < KERNEL_BASE)
			break;
		if (depth >= skip)
			pcs[n++] = ret - 1;
		if (frame[0] <= rbp)
			break;
		rbp = frame[0];
	}
	for (int i = n; i < max; i++)
		pcs[i] = 0;
	return n;
}

/* Print addresses kept by backtrace_capture (stops at the first 0). */
void backtrace_print_pcs(const uintptr_t *pcs, int n)
{
	for (int i = 0; i < n && pcs[i] != 0; i++)
		print_symbol(i, pcs[i]);
}

static void print_control_registers(void)
{
	kprintf("cr0 %016lx cr2 %016lx cr3 %016lx cr4 %016lx\n",
	    read_cr0(), read_cr2(), read_cr3(), read_cr4());
}

/* The other CPUs' places, after the reporter's own backtrace. */
static void print_stopped_cpus(void)
{
	for (int i = 0; i < MAXCPU; i++) {
		if (!__atomic_load_n(&stopped_at[i].valid, __ATOMIC_ACQUIRE))
			continue;
		kprintf("cpu with APIC id %u stopped %s at:\n", stopped_at[i].apic_id,
		    stopped_at[i].user ? "in user mode" : "in the kernel");
		if (stopped_at[i].user)
			kprintf("  rip %016lx\n", stopped_at[i].rip);
		else
			backtrace_print(stopped_at[i].rip, stopped_at[i].rbp);
	}
}

static void __noreturn panic_finish(void)
{
	print_stopped_cpus();
	proc_dump();
	kprintf("vmos: kernel panic: halting (exit status %d)\n", VMOS_EXIT_PANIC);
	debug_exit(VMOS_EXIT_PANIC);
}

/* This CPU stops for good: another is reporting a panic. */
void __noreturn panic_stop_cpu(uint64_t rip, uint64_t rbp, bool user)
{
	static int slots;
	int i = __atomic_fetch_add(&slots, 1, __ATOMIC_SEQ_CST);
	if (i < MAXCPU) {
		stopped_at[i].apic_id = lapic_ready() ? lapic_id() : 0;
		stopped_at[i].user = user;
		stopped_at[i].rip = rip;
		stopped_at[i].rbp = rbp;
		__atomic_store_n(&stopped_at[i].valid, 1, __ATOMIC_RELEASE);
	}
	__atomic_add_fetch(&cpus_stopped, 1, __ATOMIC_SEQ_CST);
	for (;;)
		__asm__ volatile("cli; hlt");
}

/*
 * Enter panic state; a panic during the panic report stops at once.
 * rip, rbp and user say where the panic came from, for the report of the
 * CPU that wins if this one loses.
 */
static void panic_enter(uint64_t rip, uint64_t rbp, bool user)
{
	intr_disable();
	uint32_t me = lapic_ready() ? lapic_id() : 0, owner = NO_CPU;
	if (!__atomic_compare_exchange_n(&panic_cpu, &owner, me, false, __ATOMIC_SEQ_CST,
	    __ATOMIC_SEQ_CST)) {
		if (owner != me)                /* another CPU reports */
			panic_stop_cpu(rip, rbp, user);
		console_panic_mode();
		kprintf("\npanic: recursive panic\n");
		debug_exit(VMOS_EXIT_PANIC);
	}
	panicking = 1;
	int others = mp_ncpus_up() - 1;
	if (others > 0) {
		lapic_send_nmi_others();
		/* A stopped CPU counts itself; give them a moment (about 10 ms
		 * of spinning) but never wait for ever on one that is wedged. */
		for (long spin = 0; spin < 10000000 &&
		    __atomic_load_n(&cpus_stopped, __ATOMIC_SEQ_CST) < others; spin++)
			cpu_pause();
	}
	console_panic_mode();
}

void panic(const char *fmt, ...)
{
	va_list ap;
	uint64_t rsp, rbp;

	__asm__ volatile("mov %%rsp, %0; mov %%rbp, %1" : "=r"(rsp), "=r"(rbp));
	panic_enter((uint64_t)__builtin_return_address(0),
	    frame_pointer_ok(rbp) ? ((uint64_t *)rbp)[0] : 0, false);
	kprintf("\npanic: ");
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
	kprintf("\nrsp %016lx rbp %016lx rflags %016lx\n", rsp, rbp, read_rflags());
	print_control_registers();
	backtrace_print((uint64_t)__builtin_return_address(0),
	    frame_pointer_ok(rbp) ? ((uint64_t *)rbp)[0] : 0);
	panic_finish();
}

void panic_trap(const struct trapframe *tf, const char *fmt, ...)
{
	va_list ap;

	panic_enter(tf->rip, tf->rbp, (tf->cs & 3) != 0);
	kprintf("\npanic: ");
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
	kprintf("\n");
	trap_print_frame(tf);
	print_control_registers();
	backtrace_print(tf->rip, tf->rbp);
	panic_finish();
}

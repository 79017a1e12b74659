/*
 * lapic.c - local APIC and its timer.
 *
 * The local APIC's registers are memory mapped (at the physical address in
 * MSR 0x1b, normally 0xfee00000), reached through the uncached part of the
 * direct map.  We:
 *   - remap the legacy 8259 PICs out of the way and mask them (they would
 *     otherwise deliver on the exception vectors);
 *   - software-enable the APIC with spurious vector 255;
 *   - measure the timer's count rate against the PIT, then run it periodic.
 *
 * Every CPU has its own local APIC, and every one of them answers at the
 * same physical address: a CPU's access there reaches its own.  So the one
 * pointer `lapic` serves all CPUs, and lapic_id() tells each its own id.
 * The interrupt command register (ICR) sends inter-processor interrupts;
 * mp.c uses it for the INIT and STARTUP messages that wake the other CPUs.
 */
#include "kern/kernel.h"
#include "kern/printf.h"
#include "kern/errno.h"
#include "kern/spinlock.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/pit.h"
#include "arch/x86_64/trap.h"
#include "arch/x86_64/vmparam.h"

#define LAPIC_ID        0x020
#define LAPIC_EOI       0x0b0
#define LAPIC_SVR       0x0f0
#define LAPIC_ICR_LO    0x300   /* writing the low half sends the IPI */
#define LAPIC_ICR_HI    0x310   /* bits 24-31: the destination's APIC id */
#define ICR_PENDING     (1u << 12)      /* delivery status: not yet accepted */
#define ICR_INIT        (5u << 8)
#define ICR_STARTUP     (6u << 8)
#define ICR_LEVEL_ASSERT (1u << 14)
#define ICR_FIXED       (0u << 8)
#define ICR_NMI         (4u << 8)
#define ICR_SELF        (1u << 18)      /* destination shorthand */
#define ICR_ALL_BUT_SELF (3u << 18)
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_CUR 0x390
#define LAPIC_TIMER_DIV 0x3e0
#define SVR_ENABLE      0x100
#define TIMER_PERIODIC  (1u << 17)
#define TIMER_MASKED    (1u << 16)
#define DIV_BY_16       0x3

static volatile uint32_t *lapic;

static uint32_t lapic_read(uint32_t reg) { return lapic[reg / 4]; }
static void lapic_write(uint32_t reg, uint32_t v) { lapic[reg / 4] = v; (void)lapic[LAPIC_ID / 4]; }

/* Move the 8259 PICs to vectors 0xe0-0xef and mask every line. */
static void pic_disable(void)
{
	outb(0x20, 0x11); outb(0xa0, 0x11);         /* ICW1: init, expect ICW4 */
	outb(0x21, 0xe0); outb(0xa1, 0xe8);         /* ICW2: vector bases */
	outb(0x21, 0x04); outb(0xa1, 0x02);         /* ICW3: cascade on IRQ2 */
	outb(0x21, 0x01); outb(0xa1, 0x01);         /* ICW4: 8086 mode */
	outb(0x21, 0xff); outb(0xa1, 0xff);         /* mask all */
}

void lapic_init(void)
{
	pic_disable();
	uint64_t base = rdmsr(MSR_APIC_BASE) & ~0xffful;
	lapic = PHYS_TO_DMAP(base);
	lapic_write(LAPIC_SVR, SVR_ENABLE | T_SPURIOUS);
	lapic_write(LAPIC_LVT_TIMER, TIMER_MASKED);
}

/* An AP's half of lapic_init: its own APIC on, its timer masked.  (The
 * 8259s are shared, and the BSP has already masked them.) */
void lapic_init_ap(void)
{
	lapic_write(LAPIC_SVR, SVR_ENABLE | T_SPURIOUS);
	lapic_write(LAPIC_LVT_TIMER, TIMER_MASKED);
}

/* Send the IPI `low` to the CPU whose APIC id is apic_id; wait until its
 * APIC has accepted it.  Returns 0, or -ETIMEDOUT. */
static int lapic_ipi(uint32_t apic_id, uint32_t low)
{
	lapic_write(LAPIC_ICR_HI, apic_id << 24);
	lapic_write(LAPIC_ICR_LO, low);
	for (int i = 0; i < 1000; i++) {
		if ((lapic_read(LAPIC_ICR_LO) & ICR_PENDING) == 0)
			return 0;
		pit_wait_ms(1);
	}
	return -ETIMEDOUT;
}

int lapic_send_init(uint32_t apic_id)
{
	return lapic_ipi(apic_id, ICR_INIT | ICR_LEVEL_ASSERT);
}

int lapic_send_startup(uint32_t apic_id, uint32_t page)
{
	return lapic_ipi(apic_id, ICR_STARTUP | ICR_LEVEL_ASSERT | (page & 0xff));
}

/*
 * An IPI for the running kernel: wait until the last one has left, then
 * send.  The two ICR writes must not be split by an interrupt handler on
 * this CPU that sends one of its own, hence intr_push.  No timeout: an
 * APIC that never accepts an IPI is a dead machine, and the wait is short.
 */
static void lapic_ipi_now(uint32_t apic_id, uint32_t low)
{
	intr_push();
	while (lapic_read(LAPIC_ICR_LO) & ICR_PENDING)
		cpu_pause();
	lapic_write(LAPIC_ICR_HI, apic_id << 24);
	lapic_write(LAPIC_ICR_LO, low);
	intr_pop();
}

void lapic_send_ipi(uint32_t apic_id, int vector)
{
	lapic_ipi_now(apic_id, ICR_FIXED | ICR_LEVEL_ASSERT | (uint32_t)vector);
}

void lapic_send_nmi_others(void)
{
	if (lapic)
		lapic_ipi_now(0, ICR_NMI | ICR_LEVEL_ASSERT | ICR_ALL_BUT_SELF);
}

/* An NMI to this CPU, for the self-test of the NMI entry (selftest.c).
 * Its caller runs on the user's GS base, so no intr_push (it has turned
 * interrupts off itself) and no wait for an earlier IPI. */
void lapic_send_nmi_self(void)
{
	if (lapic)
		lapic_write(LAPIC_ICR_LO, ICR_NMI | ICR_LEVEL_ASSERT | ICR_SELF);
}

void lapic_eoi(void)
{
	if (lapic)
		lapic_write(LAPIC_EOI, 0);
}

bool lapic_ready(void)
{
	return lapic != NULL;
}

uint32_t lapic_id(void)
{
	return lapic_read(LAPIC_ID) >> 24;
}

static uint32_t timer_per_10ms;        /* timer counts in 10 ms, measured once */

void lapic_timer_start(unsigned hz)
{
	/* Count down from the maximum for 10 ms of PIT time to learn the rate. */
	lapic_write(LAPIC_TIMER_DIV, DIV_BY_16);
	lapic_write(LAPIC_LVT_TIMER, TIMER_MASKED);
	lapic_write(LAPIC_TIMER_INIT, 0xffffffff);
	pit_wait_ms(10);
	timer_per_10ms = 0xffffffff - lapic_read(LAPIC_TIMER_CUR);
	lapic_write(LAPIC_LVT_TIMER, TIMER_PERIODIC | T_TIMER);
	lapic_timer_set_hz(hz);
}

/* Every local APIC's timer runs off the same bus clock, so the AP takes
 * the rate the BSP measured (two CPUs timing the one PIT at once would
 * each spoil the other's count). */
void lapic_timer_start_ap(unsigned hz)
{
	lapic_write(LAPIC_TIMER_DIV, DIV_BY_16);
	lapic_write(LAPIC_LVT_TIMER, TIMER_PERIODIC | T_TIMER);
	lapic_timer_set_hz(hz);
}

void lapic_timer_set_hz(unsigned hz)
{
	uint32_t per_tick = (uint32_t)((uint64_t)timer_per_10ms * 100 / hz);
	lapic_write(LAPIC_TIMER_INIT, per_tick ? per_tick : 1);     /* restarts the count */
}

/*
 * ioapic.c - the I/O APIC, at the address the ACPI MADT gives (acpi.c), or
 * at the PC's usual 0xfec00000 when there is no valid MADT.
 *
 * It has two memory-mapped registers, reached through the uncached part of
 * the direct map: IOREGSEL (offset 0x00) selects an internal register and
 * IOWIN (offset 0x10) reads or writes it.  Internal register 1 holds the
 * number of inputs; from 0x10 on, each input n has a 64-bit redirection
 * entry (low half at 0x10 + 2n, high half at 0x11 + 2n): the vector, the
 * delivery mode, polarity and trigger, a mask bit, and in the top byte of
 * the high half the local APIC id to deliver to.
 *
 * ISA IRQs are edge-triggered and active high, and on a PC (and QEMU)
 * IRQ n arrives on input n, except IRQ 0, which the ACPI MADT overrides to
 * input 2.  We do not read the MADT's overrides: the lines routed here are ones whose
 * override keeps input n (the serial port's IRQ 4 has none; the PCI IRQs
 * 5, 9, 10 and 11, which QEMU's MADT declares level-triggered, stay on
 * their own inputs), and their caller says how they are triggered.
 */
#include "kern/kernel.h"
#include "kern/spinlock.h"
#include "arch/x86_64/ioapic.h"
#include "arch/x86_64/acpi.h"
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/vmparam.h"

#define IOAPIC_PHYS     0xfec00000ul    /* without a MADT */
#define IOREGSEL        0x00
#define IOWIN           0x10
#define IOAPICVER       0x01
#define IOREDTBL(n)     (0x10 + 2 * (n))
#define RED_MASKED      (1u << 16)      /* low half: input masked */
#define RED_LEVEL       (1u << 15)      /* low half: level-triggered (else edge) */
#define RED_ACTIVE_LOW  (1u << 13)      /* low half: active low (else high) */
/* Delivery mode fixed (000), physical destination: both 0. */

static volatile uint32_t *ioapic;
static int ioapic_inputs;
static struct spinlock ioapic_lock = SPINLOCK_INIT("ioapic");

static uint32_t ioapic_read(uint32_t reg)
{
	ioapic[IOREGSEL / 4] = reg;
	return ioapic[IOWIN / 4];
}

static void ioapic_write(uint32_t reg, uint32_t v)
{
	ioapic[IOREGSEL / 4] = reg;
	ioapic[IOWIN / 4] = v;
}

void ioapic_init(void)
{
	spinlock_acquire(&ioapic_lock);
	if (ioapic == NULL) {
		uint64_t pa = acpi_madt.ioapic_phys ? acpi_madt.ioapic_phys : IOAPIC_PHYS;
		ioapic = PHYS_TO_DMAP(pa);
		ioapic_inputs = (int)((ioapic_read(IOAPICVER) >> 16) & 0xff) + 1;
		for (int n = 0; n < ioapic_inputs; n++) {
			ioapic_write(IOREDTBL(n), RED_MASKED);
			ioapic_write(IOREDTBL(n) + 1, 0);
		}
	}
	spinlock_release(&ioapic_lock);
}

static void ioapic_route(int irq, int vector, uint32_t mode)
{
	ioapic_init();
	KASSERT(irq >= 0 && irq < ioapic_inputs, "ioapic_route: irq %d of %d", irq,
	    ioapic_inputs);
	KASSERT(vector > T_IRQ0 && vector < T_SPURIOUS, "ioapic_route: vector %d", vector);
	spinlock_acquire(&ioapic_lock);
	ioapic_write(IOREDTBL(irq) + 1, lapic_id() << 24);
	ioapic_write(IOREDTBL(irq), (uint32_t)vector | mode);
	spinlock_release(&ioapic_lock);
}

void ioapic_enable_irq(int irq, int vector)
{
	ioapic_route(irq, vector, 0);
}

void ioapic_enable_level_irq(int irq, int vector, bool active_low)
{
	ioapic_route(irq, vector, RED_LEVEL | (active_low ? RED_ACTIVE_LOW : 0));
}

void ioapic_disable_irq(int irq)
{
	ioapic_init();
	KASSERT(irq >= 0 && irq < ioapic_inputs, "ioapic_disable_irq: irq %d", irq);
	spinlock_acquire(&ioapic_lock);
	ioapic_write(IOREDTBL(irq), RED_MASKED);
	spinlock_release(&ioapic_lock);
}

/*
 * ioapic.h - the I/O APIC, which turns device interrupt lines (the ISA IRQs
 * of the serial port, the keyboard, ...) into interrupt vectors delivered
 * to a local APIC.  (The legacy 8259 PICs are masked by lapic_init.)
 */
#ifndef ARCH_X86_64_IOAPIC_H
#define ARCH_X86_64_IOAPIC_H

#include <stdbool.h>
#include "arch/x86_64/trap.h"

/*
 * The vector ISA IRQ n is routed to: above T_TIMER (T_IRQ0), so IRQ 0
 * cannot collide with the local APIC timer.  COM1 (IRQ 4) gets 37.
 */
#define IOAPIC_ISA_VECTOR(irq)  (T_IRQ0 + 1 + (irq))
#define IRQ_COM1                4

/* Find the I/O APIC and mask every input.  Idempotent. */
void ioapic_init(void);
/* Deliver ISA IRQ irq (edge-triggered, active high) as `vector` to this
 * CPU's local APIC.  Calls ioapic_init if nobody did. */
void ioapic_enable_irq(int irq, int vector);
/*
 * The same for a level-triggered input (a PCI INTx line routed to an ISA
 * IRQ), active high or low as the platform wires it: the I/O APIC delivers
 * again after the EOI for as long as the line stays asserted, so the
 * handler must make its device drop the line.
 */
void ioapic_enable_level_irq(int irq, int vector, bool active_low);
/* Stop delivering irq. */
void ioapic_disable_irq(int irq);

#endif

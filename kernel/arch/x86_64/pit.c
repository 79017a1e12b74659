/*
 * pit.c - a one-shot delay on PIT channel 2.
 *
 * Channel 2's gate is bit 0 of port 0x61 and its output can be read back
 * as bit 5 of the same port.  In mode 0 ("interrupt on terminal count") the
 * output goes high when the count reaches zero, so: load the count, raise
 * the gate, and poll bit 5.  No interrupt is involved, which makes this safe
 * to use before the IDT is set up and with interrupts off.
 *
 * The poll loop has no `pause`, unlike the kernel's other spin loops.
 * QEMU's TCG emulator leaves its loop of translated code at every `pause`,
 * and when a run is replayed (`make replay`, the README's "Going backwards
 * from a panic") each such exit costs a round trip through QEMU's main
 * loop: the ~30 ms of calibration at boot took 10 s to replay with it and
 * under 0.1 s without.  Nothing else shares the CPU here, so nothing is
 * lost.
 */
#include "kern/kernel.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/pit.h"

#define PIT_CH2     0x42
#define PIT_CMD     0x43
#define PORT_B      0x61

void pit_wait_ms(unsigned ms)
{
	uint32_t count = (uint32_t)((uint64_t)PIT_HZ * MIN(ms, 50u) / 1000);
	uint8_t b = inb(PORT_B);

	outb(PORT_B, (b & ~0x02) & ~0x01);          /* speaker off, gate low */
	outb(PIT_CMD, 0xb0);                        /* channel 2, lo/hi byte, mode 0, binary */
	outb(PIT_CH2, count & 0xff);
	outb(PIT_CH2, count >> 8);
	outb(PORT_B, (inb(PORT_B) & ~0x02) | 0x01); /* gate high: start counting */
	while ((inb(PORT_B) & 0x20) == 0)
		continue;
	outb(PORT_B, b);
}

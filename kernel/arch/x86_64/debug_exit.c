/*
 * debug_exit.c - leave QEMU with a status (see debug_exit.h).
 */
#include "kern/kernel.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/debug_exit.h"

#define DEBUG_EXIT_PORT 0xf4

void debug_exit(int value)
{
	intr_disable();
	outl(DEBUG_EXIT_PORT, (uint32_t)value);
	/* Still here: no exit device.  Stop the CPU for good. */
	for (;;)
		cpu_halt();
}

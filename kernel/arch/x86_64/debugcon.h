/*
 * debugcon.h - QEMU's isa-debugcon device at I/O port 0xe9: a one-way
 * byte pipe to a file on the host.
 *
 * tools/qemu.py adds the device when a run wants something back in bulk:
 * the coverage counters (kern/gcov.c) or the profiler's samples
 * (kern/prof.c).  Reading the port answers 0xe9 only when the device is
 * there, so a kernel booted without it writes nothing and never waits.
 * `rep outsb` sends a whole buffer straight from memory.
 *
 * Header-only on purpose: gcov.c, which must not be instrumented, uses it.
 */
#ifndef ARCH_X86_64_DEBUGCON_H
#define ARCH_X86_64_DEBUGCON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "arch/x86_64/cpu.h"

#define DEBUGCON_PORT 0xe9

static inline bool debugcon_present(void)
{
	return inb(DEBUGCON_PORT) == DEBUGCON_PORT;
}

static inline void debugcon_write(const void *p, size_t n)
{
	__asm__ volatile("rep outsb" : "+S"(p), "+c"(n) : "d"((uint16_t)DEBUGCON_PORT) : "memory");
}

static inline void debugcon_write_u32(uint32_t v)
{
	debugcon_write(&v, sizeof(v));
}

#endif

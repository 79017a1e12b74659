/*
 * pit.h - the 8254 programmable interval timer, used only as a known clock
 * (1.193182 MHz) to measure how fast the TSC and the local APIC timer run.
 */
#ifndef ARCH_X86_64_PIT_H
#define ARCH_X86_64_PIT_H

#include <stdint.h>

#define PIT_HZ 1193182

/* Busy-wait for `ms` milliseconds (at most 50) using PIT channel 2. */
void pit_wait_ms(unsigned ms);

#endif

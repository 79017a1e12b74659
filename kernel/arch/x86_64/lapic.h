/*
 * lapic.h - the local APIC: interrupt acknowledgement and the per-CPU timer.
 */
#ifndef ARCH_X86_64_LAPIC_H
#define ARCH_X86_64_LAPIC_H

#include <stdint.h>

void lapic_init(void);
void lapic_eoi(void);
/* Start the periodic timer at `hz` interrupts a second on vector T_TIMER. */
void lapic_timer_start(unsigned hz);
/* Change the running timer's rate (the profiler samples faster than HZ). */
void lapic_timer_set_hz(unsigned hz);
uint32_t lapic_id(void);

#endif

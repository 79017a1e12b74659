/*
 * lapic.h - the local APIC: interrupt acknowledgement and the per-CPU timer.
 */
#ifndef ARCH_X86_64_LAPIC_H
#define ARCH_X86_64_LAPIC_H

#include <stdint.h>
#include <stdbool.h>

void lapic_init(void);
void lapic_eoi(void);
/* Start the periodic timer at `hz` interrupts a second on vector T_TIMER. */
void lapic_timer_start(unsigned hz);
/* Change the running timer's rate (the profiler samples faster than HZ). */
void lapic_timer_set_hz(unsigned hz);
uint32_t lapic_id(void);
/* Has lapic_init run (may lapic_id be called)? */
bool lapic_ready(void);
/* On an AP: enable its own local APIC, timer masked (mp.c). */
void lapic_init_ap(void);
/* INIT to the CPU with this APIC id: it resets and waits for a STARTUP. */
int lapic_send_init(uint32_t apic_id);
/* STARTUP: the CPU begins in real mode at physical page << 12 (page < 256).
 * Both return 0 once the target's APIC accepted the message, or -ETIMEDOUT. */
int lapic_send_startup(uint32_t apic_id, uint32_t page);
/* Interrupt the CPU whose APIC id is apic_id on `vector`. */
void lapic_send_ipi(uint32_t apic_id, int vector);
/* An NMI to every CPU but this one (panic.c stops them so). */
void lapic_send_nmi_others(void);
/* An NMI to this CPU (the NMI entry's self-test); touches no per-CPU data. */
void lapic_send_nmi_self(void);
/* An AP's timer: periodic at hz, at the rate the BSP measured. */
void lapic_timer_start_ap(unsigned hz);

#endif

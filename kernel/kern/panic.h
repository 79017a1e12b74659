/*
 * panic.h - the end of the line: report and stop.
 *
 * panic() (declared in kernel.h) prints "panic: <message>", the registers,
 * and a backtrace with function names, then ends the QEMU run with the
 * panic status (uapi/vmos.h VMOS_EXIT_PANIC).  panic_trap() does the same
 * for an exception in kernel mode, printing the registers the CPU saved.
 */
#ifndef KERN_PANIC_H
#define KERN_PANIC_H

#include <stdint.h>

struct trapframe;

void panic_trap(const struct trapframe *tf, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 2, 3)));
void backtrace_print(uint64_t rip, uint64_t rbp);
/* Keep a short backtrace now, to print later (the lock-order checker does). */
int backtrace_capture(uintptr_t *pcs, int max, int skip);
void backtrace_print_pcs(const uintptr_t *pcs, int n);
extern volatile int panicking;
/* Stop this CPU for good: another one is reporting a panic (the NMI it
 * sends).  Where it was goes at the end of the report. */
void panic_stop_cpu(uint64_t rip, uint64_t rbp, bool user) __attribute__((noreturn));

#endif

/*
 * debug_exit.h - end a QEMU run with a status through the isa-debug-exit
 * device (I/O port 0xf4).  Writing V makes QEMU exit with status 2*V+1;
 * the values of V are defined in uapi/vmos.h.  Without the device (real
 * hardware, or QEMU started without it) the write does nothing and the CPU
 * halts instead.
 */
#ifndef ARCH_X86_64_DEBUG_EXIT_H
#define ARCH_X86_64_DEBUG_EXIT_H

void debug_exit(int value) __attribute__((noreturn));

#endif

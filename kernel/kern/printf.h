/*
 * printf.h - formatted output for the kernel.
 *
 * kprintf() writes to the console (serial port, mirrored to the VGA text
 * screen).  ksnprintf() formats into a buffer.  Supported conversions:
 * %d %i %u %x %X %o %p %s %c %%, with flags '-', '0', '+', ' ', '#', a width
 * and a precision (either may be '*'), and the length modifiers l, ll, z, j, h, hh.
 */
#ifndef KERN_PRINTF_H
#define KERN_PRINTF_H

#include <stddef.h>
#include <stdarg.h>

int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int kvprintf(const char *fmt, va_list ap);
int ksnprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/* The formatting engine: calls emit(c, arg) for every output character. */
int printf_format(void (*emit)(char c, void *arg), void *arg, const char *fmt, va_list ap);

#endif

/*
 * console.h - the kernel console device: output to the serial port and
 * the VGA screen, and the bytes typed on the serial port.  The terminal
 * on top of it (line editing, /dev/console, job control) is kern/tty.h.
 */
#ifndef DEV_CONSOLE_H
#define DEV_CONSOLE_H

void console_init(void);
void console_putc(char c);
void console_write(const char *s, unsigned long n);
void console_lock(void);
void console_unlock(void);
void console_panic_mode(void);  /* stop taking the lock: panic must always print */

/* Route COM1's receive interrupt (IRQ 4, through the I/O APIC) to rx,
 * called with each byte received, in interrupt context.  Call once, after
 * lapic_init. */
void console_input_init(void (*rx)(char c));

#endif

/*
 * console.h - the kernel console: output to the serial port and the VGA
 * screen, line-edited input from the serial port, and the console file
 * type (what /dev/console and init's descriptors 0, 1 and 2 are).
 */
#ifndef DEV_CONSOLE_H
#define DEV_CONSOLE_H

struct file;

void console_init(void);
void console_putc(char c);
void console_write(const char *s, unsigned long n);
void console_lock(void);
void console_unlock(void);
void console_panic_mode(void);  /* stop taking the lock: panic must always print */

/* Route COM1's receive interrupt (IRQ 4, through the I/O APIC) to the
 * console's line discipline.  Call once, after lapic_init. */
void console_input_init(void);
/* A new console file (open flags: O_RDWR, O_NONBLOCK ...): 0 or -ENOMEM. */
int console_open(int flags, struct file **fpp);
/* Install one console file as descriptors 0, 1 and 2 of curproc (whose
 * table must be empty).  0 or -errno. */
int console_open_stdio(void);

#endif

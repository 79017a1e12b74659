/*
 * console.h - the kernel console: output to the serial port and the VGA
 * screen.  (Input and the console file type arrive with processes.)
 */
#ifndef DEV_CONSOLE_H
#define DEV_CONSOLE_H

void console_init(void);
void console_putc(char c);
void console_write(const char *s, unsigned long n);
void console_lock(void);
void console_unlock(void);
void console_panic_mode(void);  /* stop taking the lock: panic must always print */

#endif

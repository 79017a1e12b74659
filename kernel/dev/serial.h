/*
 * serial.h - the 16550 UART on COM1 (I/O port 0x3f8), 115200 baud, 8N1.
 * All kernel output goes here; QEMU connects it to the terminal.
 */
#ifndef DEV_SERIAL_H
#define DEV_SERIAL_H

#include <stdbool.h>

void serial_init(void);
void serial_putc(char c);
int serial_getc(void);          /* -1 when no byte is waiting */
void serial_enable_rx_interrupt(void);

#endif

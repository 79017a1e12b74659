/*
 * serial.c - polled driver for the COM1 16550 UART.
 *
 * Output busy-waits for the transmit holding register to empty (under QEMU
 * it is always empty, so this costs one port read per byte).  Input can be
 * polled with serial_getc() or raised as IRQ 4 once the console enables it.
 */
#include "kern/kernel.h"
#include "dev/serial.h"
#include "arch/x86_64/cpu.h"

#define COM1        0x3f8
#define REG_DATA    0       /* THR (write) / RBR (read); divisor low with DLAB */
#define REG_IER     1       /* interrupt enable; divisor high with DLAB */
#define REG_FCR     2       /* FIFO control */
#define REG_LCR     3       /* line control */
#define REG_MCR     4       /* modem control */
#define REG_LSR     5       /* line status */
#define LSR_DATA_READY  0x01
#define LSR_THR_EMPTY   0x20

static bool serial_present;

void serial_init(void)
{
	outb(COM1 + REG_IER, 0x00);          /* no interrupts yet */
	outb(COM1 + REG_LCR, 0x80);          /* DLAB on: set the divisor */
	outb(COM1 + REG_DATA, 1);            /* 115200 / 1 */
	outb(COM1 + REG_IER, 0);
	outb(COM1 + REG_LCR, 0x03);          /* 8 bits, no parity, 1 stop, DLAB off */
	outb(COM1 + REG_FCR, 0xc7);          /* FIFOs on and cleared, 14-byte threshold */
	outb(COM1 + REG_MCR, 0x0b);          /* DTR, RTS, OUT2 (OUT2 gates the IRQ line) */
	/* A missing UART reads back 0xff from every register. */
	serial_present = inb(COM1 + REG_LSR) != 0xff;
}

void serial_putc(char c)
{
	if (!serial_present)
		return;
	for (int spins = 0; spins < 100000; spins++)
		if (inb(COM1 + REG_LSR) & LSR_THR_EMPTY)
			break;
	outb(COM1 + REG_DATA, (uint8_t)c);
}

int serial_getc(void)
{
	if (!serial_present || !(inb(COM1 + REG_LSR) & LSR_DATA_READY))
		return -1;
	return inb(COM1 + REG_DATA);
}

void serial_enable_rx_interrupt(void)
{
	outb(COM1 + REG_IER, 0x01);          /* interrupt when a byte arrives */
}

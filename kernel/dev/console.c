/*
 * console.c - the console device: where kprintf() output goes, and where
 * typed bytes come from.  It knows only its hardware (COM1 and the VGA
 * text screen); what the bytes mean -- line editing, ^C, the console file
 * and job control -- is the terminal layer's (kern/tty.c).
 *
 * Output.  Each character goes to COM1 (with '\n' sent as "\r\n", which
 * terminals expect) and to the VGA text screen.  A spinlock keeps lines from
 * two writers from interleaving character by character.  After a panic the
 * lock is ignored: the panic report must get out even if the panicking code
 * held it.
 *
 * Input: the COM1 receive interrupt hands each byte to the handler the
 * terminal layer registered (console_input_init), in interrupt context.
 */
#include "kern/kernel.h"
#include "kern/spinlock.h"
#include "dev/console.h"
#include "dev/serial.h"
#include "dev/vga.h"
#include "arch/x86_64/ioapic.h"
#include "arch/x86_64/trap.h"

static struct spinlock console_spin = SPINLOCK_INIT("console");
static bool panicking;

void console_init(void)
{
	serial_init();
	vga_init();
}

void console_putc(char c)
{
	if (c == '\n')
		serial_putc('\r');
	serial_putc(c);
	vga_putc(c);
}

void console_write(const char *s, unsigned long n)
{
	console_lock();
	for (unsigned long i = 0; i < n; i++)
		console_putc(s[i]);
	console_unlock();
}

void console_lock(void)
{
	if (!panicking)
		spinlock_acquire(&console_spin);
}

void console_unlock(void)
{
	if (!panicking)
		spinlock_release(&console_spin);
}

void console_panic_mode(void)
{
	panicking = true;
}

/* ------------------------------------------------------------------ input */

static void (*console_rx)(char c);      /* the terminal's; set once at boot */

/* COM1 interrupt: take every byte the UART holds (the IRQ is edge-triggered). */
static void console_intr(struct trapframe *tf __unused)
{
	int c;
	while ((c = serial_getc()) >= 0)
		console_rx((char)c);
}

void console_input_init(void (*rx)(char c))
{
	int vector = IOAPIC_ISA_VECTOR(IRQ_COM1);
	console_rx = rx;
	trap_set_irq_handler(vector, console_intr);
	ioapic_enable_irq(IRQ_COM1, vector);
	serial_enable_rx_interrupt();
	console_intr(NULL);             /* bytes that came before: no edge for them */
}

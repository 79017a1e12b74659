/*
 * console.c - where kprintf() output goes.
 *
 * Each character goes to COM1 (with '\n' sent as "\r\n", which terminals
 * expect) and to the VGA text screen.  A spinlock keeps lines from two
 * writers from interleaving character by character.  After a panic the lock
 * is ignored: the panic report must get out even if the panicking code held it.
 */
#include "kern/kernel.h"
#include "kern/spinlock.h"
#include "dev/console.h"
#include "dev/serial.h"
#include "dev/vga.h"

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

/*
 * console.c - the console: where kprintf() output goes, where typed lines
 * come from, and the console file type.
 *
 * Output.  Each character goes to COM1 (with '\n' sent as "\r\n", which
 * terminals expect) and to the VGA text screen.  A spinlock keeps lines from
 * two writers from interleaving character by character.  After a panic the
 * lock is ignored: the panic report must get out even if the panicking code
 * held it.
 *
 * Input: a tiny canonical-mode line discipline, run in the serial interrupt
 * (like a tty's).  Typed bytes are echoed and collected in an edit buffer;
 * backspace or DEL erases the last one ("\b \b"), ^U the whole line; Enter
 * ('\r' or '\n') appends '\n' and moves the line to the cooked queue, where
 * read() finds it.  ^D completes the line without a newline, so ^D at the
 * start of a line is a line of length 0: read returns 0, end of file.  A
 * read blocks until a complete line is queued and returns at most one line
 * (a short buffer gets the line's beginning; the rest comes next time).
 *
 * Locking: cons_in_lock (a spinlock, so the interrupt handler can take it)
 * guards the edit buffer and the cooked queue.  Echo takes the output lock
 * inside it, never the other way round.
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/spinlock.h"
#include "kern/sched.h"
#include "kern/copyio.h"
#include "kern/file.h"
#include "kern/fdtable.h"
#include "kern/poll.h"
#include "kern/proc.h"
#include "kern/signal.h"
#include "dev/console.h"
#include "dev/serial.h"
#include "dev/vga.h"
#include "arch/x86_64/ioapic.h"
#include "arch/x86_64/trap.h"
#include "uapi/fcntl.h"
#include "uapi/ioctl.h"
#include "uapi/poll.h"
#include "uapi/stat.h"

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

/* ------------------------------------------------------- line discipline */

#define EDIT_MAX    255             /* longest line that can be typed */
#define COOKED_MAX  1024            /* queued bytes of completed lines */
#define LINE_EOF    0x100           /* in the cooked queue: a line end that is not data (^D) */

#define CTRL(c)     ((c) & 0x1f)

static struct spinlock cons_in_lock = SPINLOCK_INIT("console input");
static char edit_buf[EDIT_MAX];             /* the line being typed */
static size_t edit_len;
static uint16_t cooked[COOKED_MAX];         /* ring of bytes and LINE_EOF marks */
static size_t cooked_head, cooked_count;
static size_t cooked_lines;                 /* complete lines queued: the read condition */

static void echo(const char *s, size_t n)
{
	console_write(s, n);
}

static void cooked_push(uint16_t c)
{
	cooked[(cooked_head + cooked_count) % COOKED_MAX] = c;
	cooked_count++;
}

static uint16_t cooked_pop(void)
{
	uint16_t c = cooked[cooked_head];
	cooked_head = (cooked_head + 1) % COOKED_MAX;
	cooked_count--;
	return c;
}

/* Move the edited line plus its end (a '\n' or LINE_EOF) to the queue. */
static void line_complete(uint16_t end)
{
	if (COOKED_MAX - cooked_count < edit_len + 1) {
		edit_len = 0;           /* nobody is reading: drop the line */
		return;
	}
	for (size_t i = 0; i < edit_len; i++)
		cooked_push((uint8_t)edit_buf[i]);
	cooked_push(end);
	edit_len = 0;
	cooked_lines++;
	wakeup(&cooked_lines);
	poll_wakeup();
}

static void line_erase(size_t n)
{
	for (; n > 0 && edit_len > 0; n--) {
		edit_len--;
		echo("\b \b", 3);
	}
}

/* One received byte.  cons_in_lock held (interrupt context or not). */
static void console_input_byte(char c)
{
	KASSERT(spinlock_held(&cons_in_lock), "console_input_byte: lock not held");
	switch (c) {
	case '\r':
	case '\n':
		echo("\n", 1);
		line_complete('\n');
		break;
	case '\b':
	case 0x7f:
		line_erase(1);
		break;
	case CTRL('U'):
		line_erase(edit_len);
		break;
	case CTRL('D'):
		line_complete(LINE_EOF);
		break;
	case CTRL('C'):
		echo("^C\n", 3);
		edit_len = 0;           /* the line being typed is thrown away */
		signal_interactive(SIGINT);
		break;
	default:
		if (((uint8_t)c < 0x20 && c != '\t') || edit_len == EDIT_MAX)
			break;  /* other control characters, or the line is full */
		edit_buf[edit_len++] = c;
		echo(&c, 1);
	}
}

/* COM1 interrupt: take every byte the UART holds (the IRQ is edge-triggered). */
static void console_intr(struct trapframe *tf __unused)
{
	int c;
	spinlock_acquire(&cons_in_lock);
	while ((c = serial_getc()) >= 0)
		console_input_byte((char)c);
	spinlock_release(&cons_in_lock);
}

void console_input_init(void)
{
	int vector = IOAPIC_ISA_VECTOR(IRQ_COM1);
	trap_set_irq_handler(vector, console_intr);
	ioapic_enable_irq(IRQ_COM1, vector);
	serial_enable_rx_interrupt();
	console_intr(NULL);             /* bytes that came before: no edge for them */
}

/*
 * Take the start of the first queued line, up to max bytes, into buf.  A
 * line's end ('\n', kept; LINE_EOF, dropped) counts the line as read.
 * cons_in_lock held; cooked_lines > 0.
 */
static size_t line_take(char *buf, size_t max)
{
	size_t len = 0;
	while (len < max && cooked_count > 0) {
		uint16_t c = cooked_pop();
		if (c == LINE_EOF) {
			cooked_lines--;
			return len;
		}
		buf[len++] = (char)c;
		if (c == '\n') {
			cooked_lines--;
			return len;
		}
	}
	/* The buffer filled up just before a ^D end: consume the end too, so
	 * it does not read as an extra end of file. */
	if (cooked_count > 0 && cooked[cooked_head] == LINE_EOF) {
		cooked_pop();
		cooked_lines--;
	}
	return len;
}

/* ------------------------------------------------------ the console file */

/* Blocks (interruptibly) until a line is typed; see the top of the file. */
static long console_read(struct file *fp, void __user *buf, size_t n)
{
	char line[EDIT_MAX + 1];
	long ret = 0;
	if (n == 0)
		return 0;
	spinlock_acquire(&cons_in_lock);
	while (cooked_lines == 0 && ret == 0) {
		if (file_nonblocking(fp))
			ret = -EAGAIN;
		else
			ret = sleep_on(&cooked_lines, &cons_in_lock, true);
	}
	size_t len = ret == 0 ? line_take(line, MIN(n, sizeof(line))) : 0;
	spinlock_release(&cons_in_lock);
	if (ret < 0)
		return ret;
	if (copyout(line, buf, len) < 0)
		return -EFAULT;
	return (long)len;
}

/* Through a small bounce buffer: copyin may sleep, console_write spins. */
static long console_file_write(struct file *fp __unused, const void __user *buf, size_t n)
{
	char chunk[256];
	size_t done = 0;
	while (done < n) {
		size_t len = MIN(n - done, sizeof(chunk));
		int err = sched_checkpoint();  /* a huge write must not hold the CPU */
		if (err == 0)
			err = copyin((const char __user *)buf + done, chunk, len);
		if (err < 0)
			return done > 0 ? (long)done : err;
		console_write(chunk, len);
		done += len;
	}
	return (long)done;
}

static int console_stat(struct file *fp __unused, struct stat *st)
{
	file_stat_init(st);
	st->st_mode = S_IFCHR | 0620;
	st->st_rdev = 0x501;            /* major 5, minor 1: Linux's /dev/console */
	return 0;
}

/* TCGETS answers (so isatty() is true) with canonical mode and echo on. */
static int console_ioctl(struct file *fp __unused, unsigned long cmd, void __user *arg)
{
	struct termios t = { 0 };
	if (cmd != TCGETS)
		return -ENOTTY;
	t.c_lflag = ICANON | ECHO;
	t.c_cc[4] = CTRL('D');          /* VEOF */
	t.c_cc[2] = 0x7f;               /* VERASE */
	return copyout(&t, arg, sizeof(t));
}

static int console_poll(struct file *fp __unused, int events)
{
	int revents = POLLOUT | POLLWRNORM;
	spinlock_acquire(&cons_in_lock);
	if (cooked_lines > 0)
		revents |= POLLIN | POLLRDNORM;
	spinlock_release(&cons_in_lock);
	return revents & events;
}

static const struct file_ops console_ops = {
	.name = "console",
	.read = console_read,
	.write = console_file_write,
	.lseek = file_lseek_notsupp,
	.stat = console_stat,
	.ioctl = console_ioctl,
	.poll = console_poll,
	.mmap = file_mmap_notsupp,
	.truncate = file_truncate_notsupp,
	.chmod = file_chmod_notsupp,
	.chown = file_chown_notsupp,
	.close = file_close_nop,
};

int console_open(int flags, struct file **fpp)
{
	*fpp = file_alloc(&console_ops, NULL, flags);
	return *fpp ? 0 : -ENOMEM;
}

/* One file, three descriptors: like init opening /dev/console and dup'ing. */
int console_open_stdio(void)
{
	struct file *fp;
	int r = console_open(O_RDWR, &fp);
	for (int i = 0; i < 3 && r >= 0; i++) {
		file_hold(fp);
		r = fd_install(fp, 0);
		if (r < 0)
			file_release(fp);
	}
	if (fp != NULL)
		file_release(fp);       /* our own reference; the table keeps its three */
	return r < 0 ? r : 0;
}

/*
 * tty.c - the terminal: line discipline, controlling terminal, and the
 * signals a terminal sends.  The console (dev/console.c) is the only
 * terminal; its driver only moves bytes, this file gives them meaning.
 *
 * Input: a tiny canonical-mode line discipline, run in the serial
 * interrupt (like a tty's).  Typed bytes are echoed and collected in an
 * edit buffer; backspace or DEL erases the last one ("\b \b"), ^U the
 * whole line; Enter ('\r' or '\n') appends '\n' and moves the line to
 * the cooked queue, where read() finds it.  ^D completes the line without
 * a newline, so ^D at the start of a line is a line of length 0: read
 * returns 0, end of file.  A read blocks until a complete line is queued
 * and returns at most one line (a short buffer gets the line's beginning;
 * the rest comes next time).
 *
 * Job control (POSIX "General Terminal Interface"; FreeBSD's tty.c):
 *   - the terminal controls at most one session, and then has a
 *     foreground process group in it (tcsetpgrp: TIOCSPGRP);
 *   - a session leader gets it by opening it while neither has one
 *     (init does, at boot: the console is session 1's), or by TIOCSCTTY
 *     (init's child does, for the interactive shell's session);
 *     it loses it when the leader exits (the foreground group gets
 *     SIGHUP and SIGCONT, kern/pgrp.c calls tty_session_leader_exit_locked);
 *   - ^C, ^\ and ^Z send SIGINT, SIGQUIT and SIGTSTP to the foreground
 *     group only, and throw away the line being typed;
 *   - a process of the session that is not in the foreground group and
 *     reads gets SIGTTIN, sent to its whole group, which stops it; its
 *     read starts again once it is continued (kern/jobctl.c).  If it
 *     ignores or blocks SIGTTIN, or its group is orphaned, the read fails
 *     with EIO.  tcsetpgrp from the background is the same with SIGTTOU.
 *     Processes of other sessions (and everyone when there is no
 *     foreground group) read as before: they are not under job control.
 *
 * Locking: tty_in_lock (a spinlock, so the interrupt handler can take
 * it) guards the edit buffer and the cooked queue.  The job-control
 * fields (session, pgrp) are under proc_table_lock, which may be taken
 * inside tty_in_lock (the interrupt sends signals), never the other way.
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
#include "kern/pgrp.h"
#include "kern/signal.h"
#include "kern/tty.h"
#include "dev/console.h"
#include "uapi/fcntl.h"
#include "uapi/ioctl.h"
#include "uapi/poll.h"
#include "uapi/stat.h"

#define EDIT_MAX    255             /* longest line that can be typed */
#define COOKED_MAX  1024            /* queued bytes of completed lines */
#define LINE_EOF    0x100           /* in the cooked queue: a line end that is not data (^D) */

#define CTRL(c)     ((c) & 0x1f)
#define SIGBIT(sig) (1ul << ((sig) - 1))

struct tty {
	struct spinlock in_lock;
	char edit_buf[EDIT_MAX];        /* the line being typed */
	size_t edit_len;
	uint16_t cooked[COOKED_MAX];    /* ring of bytes and LINE_EOF marks */
	size_t cooked_head, cooked_count;
	size_t cooked_lines;            /* complete lines queued: the read condition */

	struct session *session;        /* (t) the session it controls, or NULL */
	struct pgrp *pgrp;              /* (t) its foreground group, or NULL */
};

static struct tty console_tty = { .in_lock = SPINLOCK_INIT("tty input") };

/* ------------------------------------------------------- line discipline */

static void echo(const char *s, size_t n)
{
	console_write(s, n);
}

static void cooked_push(struct tty *tp, uint16_t c)
{
	tp->cooked[(tp->cooked_head + tp->cooked_count) % COOKED_MAX] = c;
	tp->cooked_count++;
}

static uint16_t cooked_pop(struct tty *tp)
{
	uint16_t c = tp->cooked[tp->cooked_head];
	tp->cooked_head = (tp->cooked_head + 1) % COOKED_MAX;
	tp->cooked_count--;
	return c;
}

/* Move the edited line plus its end (a '\n' or LINE_EOF) to the queue. */
static void line_complete(struct tty *tp, uint16_t end)
{
	if (COOKED_MAX - tp->cooked_count < tp->edit_len + 1) {
		tp->edit_len = 0;       /* nobody is reading: drop the line */
		return;
	}
	for (size_t i = 0; i < tp->edit_len; i++)
		cooked_push(tp, (uint8_t)tp->edit_buf[i]);
	cooked_push(tp, end);
	tp->edit_len = 0;
	tp->cooked_lines++;
	wakeup(&tp->cooked_lines);
	poll_wakeup();
}

static void line_erase(struct tty *tp, size_t n)
{
	for (; n > 0 && tp->edit_len > 0; n--) {
		tp->edit_len--;
		echo("\b \b", 3);
	}
}

/* ^C, ^\ or ^Z: say so, drop the line, signal the foreground group. */
static void tty_signal_key(struct tty *tp, const char *shown, int sig)
{
	echo(shown, 3);
	tp->edit_len = 0;
	spinlock_acquire(&proc_table_lock);
	pgrp_signal_locked(tp->pgrp, sig);
	spinlock_release(&proc_table_lock);
}

/* One received byte.  in_lock held (interrupt context or not). */
static void tty_input_byte(struct tty *tp, char c)
{
	switch (c) {
	case '\r':
	case '\n':
		echo("\n", 1);
		line_complete(tp, '\n');
		break;
	case '\b':
	case 0x7f:
		line_erase(tp, 1);
		break;
	case CTRL('U'):
		line_erase(tp, tp->edit_len);
		break;
	case CTRL('D'):
		line_complete(tp, LINE_EOF);
		break;
	case CTRL('C'):
		tty_signal_key(tp, "^C\n", SIGINT);
		break;
	case CTRL('\\'):
		tty_signal_key(tp, "^\\\n", SIGQUIT);
		break;
	case CTRL('Z'):
		tty_signal_key(tp, "^Z\n", SIGTSTP);
		break;
	default:
		if (((uint8_t)c < 0x20 && c != '\t') || tp->edit_len == EDIT_MAX)
			break;  /* other control characters, or the line is full */
		tp->edit_buf[tp->edit_len++] = c;
		echo(&c, 1);
	}
}

/* The console driver hands us each byte it receives (interrupt context). */
static void tty_console_rx(char c)
{
	struct tty *tp = &console_tty;
	spinlock_acquire(&tp->in_lock);
	tty_input_byte(tp, c);
	spinlock_release(&tp->in_lock);
}

void tty_init(void)
{
	console_input_init(tty_console_rx);
}

/*
 * Take the start of the first queued line, up to max bytes, into buf.  A
 * line's end ('\n', kept; LINE_EOF, dropped) counts the line as read.
 * in_lock held; cooked_lines > 0.
 */
static size_t line_take(struct tty *tp, char *buf, size_t max)
{
	size_t len = 0;
	while (len < max && tp->cooked_count > 0) {
		uint16_t c = cooked_pop(tp);
		if (c == LINE_EOF) {
			tp->cooked_lines--;
			return len;
		}
		buf[len++] = (char)c;
		if (c == '\n') {
			tp->cooked_lines--;
			return len;
		}
	}
	/* The buffer filled up just before a ^D end: consume the end too, so
	 * it does not read as an extra end of file. */
	if (tp->cooked_count > 0 && tp->cooked[tp->cooked_head] == LINE_EOF) {
		cooked_pop(tp);
		tp->cooked_lines--;
	}
	return len;
}

/* ---------------------------------------------------------- job control */

/* Is p in the background of tp's session?  Lock held. */
static bool tty_is_background(struct tty *tp, struct proc *p)
{
	return tp->session != NULL && p->pgrp != NULL && p->pgrp->session == tp->session &&
	    tp->pgrp != NULL && p->pgrp != tp->pgrp;
}

/*
 * A background process wants to read (SIGTTIN) or take the terminal
 * (SIGTTOU): 0 if it may go on, else -EINTR after signalling its group
 * (the call restarts when the group is continued) or -EIO when the
 * signal could not stop it.
 */
static int tty_check_background_locked(struct tty *tp, int sig)
{
	struct proc *p = curproc();
	spinlock_assert_held(&proc_table_lock);
	if (!tty_is_background(tp, p))
		return 0;
	bool ignored = signal_ignored_or_blocked(p, sig);
	if (sig == SIGTTOU && ignored)
		return 0;       /* a shell ignores SIGTTOU to hand the terminal over */
	if (ignored || pgrp_is_orphaned_locked(p->pgrp))
		return -EIO;
	pgrp_signal_locked(p->pgrp, sig);
	return -EINTR;
}

static int tty_check_background(struct tty *tp, int sig)
{
	spinlock_acquire(&proc_table_lock);
	int err = tty_check_background_locked(tp, sig);
	spinlock_release(&proc_table_lock);
	return err;
}

/* Is tp the controlling terminal of the caller?  Lock held. */
static bool tty_is_ctty(struct tty *tp, struct proc *p)
{
	return tp->session != NULL && p->pgrp != NULL && p->pgrp->session == tp->session;
}

/* Make tp the controlling terminal of p's session, p's group in front. */
static void tty_attach_locked(struct tty *tp, struct proc *p)
{
	spinlock_assert_held(&proc_table_lock);
	tp->session = p->pgrp->session;
	tp->pgrp = p->pgrp;
	tp->session->tty = tp;
}

/* open() without O_NOCTTY by a session leader with no terminal. */
static void tty_maybe_attach(struct tty *tp, int flags)
{
	struct proc *p = curproc();
	if (flags & O_NOCTTY)
		return;
	spinlock_acquire(&proc_table_lock);
	if (tp->session == NULL && pgrp_is_session_leader(p) && p->pgrp->session->tty == NULL)
		tty_attach_locked(tp, p);
	spinlock_release(&proc_table_lock);
}

void tty_pgrp_gone_locked(struct pgrp *pg)
{
	spinlock_assert_held(&proc_table_lock);
	struct session *s = pg->session;
	if (s->tty != NULL && s->tty->pgrp == pg)
		s->tty->pgrp = NULL;
}

void tty_session_gone_locked(struct session *s)
{
	spinlock_assert_held(&proc_table_lock);
	if (s->tty != NULL) {
		s->tty->session = NULL;
		s->tty->pgrp = NULL;
		s->tty = NULL;
	}
}

void tty_session_leader_exit_locked(struct session *s)
{
	spinlock_assert_held(&proc_table_lock);
	struct tty *tp = s->tty;
	if (tp == NULL)
		return;
	pgrp_signal_locked(tp->pgrp, SIGHUP);   /* the line "hangs up" */
	pgrp_signal_locked(tp->pgrp, SIGCONT);
	tty_session_gone_locked(s);
}

/* TIOCSPGRP: tcsetpgrp(fd, *arg). */
static int tty_set_pgrp(struct tty *tp, const void __user *arg)
{
	pid_t pgid;
	if (copyin(arg, &pgid, sizeof(pgid)) != 0)
		return -EFAULT;
	if (pgid < 0)
		return -EINVAL;
	/* One hold of the lock for the check and the change: with two, another
	 * CPU could put us in the background between them, and we would take
	 * the terminal from the new foreground group without a SIGTTOU. */
	struct proc *p = curproc();
	spinlock_acquire(&proc_table_lock);
	struct pgrp *pg = pgrp_find_locked(pgid);
	int err = tty_check_background_locked(tp, SIGTTOU);
	if (err == 0 && !tty_is_ctty(tp, p))
		err = -ENOTTY;
	if (err == 0 && (pg == NULL || pg->session != tp->session))
		err = -EPERM;
	if (err == 0)
		tp->pgrp = pg;
	spinlock_release(&proc_table_lock);
	return err;
}

/* TIOCGPGRP: tcgetpgrp(fd).  With no foreground group, POSIX wants a
 * value above 1 that is no group's id: PID_MAX + 1 is never a pid. */
static int tty_get_pgrp(struct tty *tp, void __user *arg)
{
	pid_t pgid = 0;
	int err = 0;
	spinlock_acquire(&proc_table_lock);
	if (!tty_is_ctty(tp, curproc()))
		err = -ENOTTY;
	else
		pgid = tp->pgrp != NULL ? tp->pgrp->pgid : PID_MAX + 1;
	spinlock_release(&proc_table_lock);
	if (err)
		return err;
	return copyout(&pgid, arg, sizeof(pgid));
}

/* TIOCSCTTY: a session leader with no terminal takes this one, if it is
 * nobody's (or, with arg 1, the superuser takes it from its session). */
static int tty_set_ctty(struct tty *tp, unsigned long steal)
{
	struct proc *p = curproc();
	int err = 0;
	spinlock_acquire(&proc_table_lock);
	if (tty_is_ctty(tp, p))
		err = 0;                        /* already ours */
	else if (!pgrp_is_session_leader(p) || p->pgrp->session->tty != NULL)
		err = -EPERM;
	else if (tp->session != NULL && !(steal == 1 && p->euid == 0))
		err = -EPERM;
	else {
		if (tp->session != NULL)
			tty_session_gone_locked(tp->session);
		tty_attach_locked(tp, p);
	}
	spinlock_release(&proc_table_lock);
	return err;
}

/* ------------------------------------------------------ the console file */

/* Blocks (interruptibly) until a line is typed; see the top of the file. */
static long tty_read(struct file *fp, void __user *buf, size_t n)
{
	struct tty *tp = &console_tty;
	char line[EDIT_MAX + 1];
	long ret = tty_check_background(tp, SIGTTIN);
	if (ret < 0)
		return ret;
	if (n == 0)
		return 0;
	spinlock_acquire(&tp->in_lock);
	while (tp->cooked_lines == 0 && ret == 0) {
		if (file_nonblocking(fp))
			ret = -EAGAIN;
		else
			ret = sleep_on(&tp->cooked_lines, &tp->in_lock, true);
	}
	size_t len = ret == 0 ? line_take(tp, line, MIN(n, sizeof(line))) : 0;
	spinlock_release(&tp->in_lock);
	if (ret < 0)
		return ret;
	if (copyout(line, buf, len) < 0)
		return -EFAULT;
	return (long)len;
}

/* Through a small bounce buffer: copyin may sleep, console_write spins. */
static long tty_write(struct file *fp __unused, const void __user *buf, size_t n)
{
	char chunk[256];
	size_t done = 0;
	while (done < n) {
		size_t len = MIN(n - done, sizeof(chunk));
		int err = sched_checkpoint();  /* a SIGKILL ends a huge write */
		if (err == 0)
			err = copyin((const char __user *)buf + done, chunk, len);
		if (err < 0)
			return done > 0 ? (long)done : err;
		console_write(chunk, len);
		done += len;
	}
	return (long)done;
}

static int tty_stat(struct file *fp __unused, struct stat *st)
{
	file_stat_init(st);
	st->st_mode = S_IFCHR | 0620;
	st->st_rdev = 0x501;            /* major 5, minor 1: Linux's /dev/console */
	return 0;
}

/* TCGETS answers (so isatty() is true) with canonical mode, echo and
 * signals on; the job-control requests are above. */
static int tty_ioctl(struct file *fp __unused, unsigned long cmd, void __user *arg)
{
	struct tty *tp = &console_tty;
	struct termios t = { 0 };
	switch (cmd) {
	case TCGETS:
		t.c_lflag = ICANON | ECHO | ISIG;
		t.c_cc[VINTR] = CTRL('C');
		t.c_cc[VQUIT] = CTRL('\\');
		t.c_cc[VERASE] = 0x7f;
		t.c_cc[VKILL] = CTRL('U');
		t.c_cc[VEOF] = CTRL('D');
		t.c_cc[VSUSP] = CTRL('Z');
		return copyout(&t, arg, sizeof(t));
	case TIOCSPGRP:
		return tty_set_pgrp(tp, arg);
	case TIOCGPGRP:
		return tty_get_pgrp(tp, arg);
	case TIOCSCTTY:
		return tty_set_ctty(tp, (unsigned long)arg);
	default:
		return -ENOTTY;
	}
}

static int tty_poll(struct file *fp __unused, int events)
{
	struct tty *tp = &console_tty;
	int revents = POLLOUT | POLLWRNORM;
	spinlock_acquire(&tp->in_lock);
	if (tp->cooked_lines > 0)
		revents |= POLLIN | POLLRDNORM;
	spinlock_release(&tp->in_lock);
	return revents & events;
}

static const struct file_ops tty_ops = {
	.name = "console",
	.read = tty_read,
	.write = tty_write,
	.lseek = file_lseek_notsupp,
	.stat = tty_stat,
	.ioctl = tty_ioctl,
	.poll = tty_poll,
	.mmap = file_mmap_notsupp,
	.truncate = file_truncate_notsupp,
	.chmod = file_chmod_notsupp,
	.chown = file_chown_notsupp,
	.close = file_close_nop,
};

int tty_console_open(int flags, struct file **fpp)
{
	*fpp = file_alloc(&tty_ops, NULL, flags);
	if (*fpp == NULL)
		return -ENOMEM;
	tty_maybe_attach(&console_tty, flags);
	return 0;
}

/* One file, three descriptors: like init opening /dev/console and dup'ing. */
int tty_console_open_stdio(void)
{
	struct file *fp;
	int r = tty_console_open(O_RDWR, &fp);
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

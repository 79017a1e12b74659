/*
 * pipe.c - pipes, and how a reader and a writer wait for each other.
 *
 * A pipe is a ring buffer (ring.h) of PIPE_SIZE bytes with two ends, each
 * a struct file: the read end (O_RDONLY, pipe_reader_ops) and the write end
 * (O_WRONLY, pipe_writer_ops).  dup and
 * fork share those files, so "is there a writer?" is simply "is the write
 * end's file still open?" (writer_open), which its close op clears.  The
 * pipe is freed when both ends are closed.
 *
 * Copying without the lock.  The pipe's spinlock guards head, count and the
 * flags, but user memory cannot be touched under a spinlock: copyin and
 * copyout may fault and sleep while a page comes in.  So each side takes a
 * token instead (`reading`, `writing`): a reader holding `reading` is the
 * only one allowed to take bytes out, a writer holding `writing` the only
 * one allowed to put bytes in.  With the token, the reader copies straight
 * out of the filled part of the ring, and the writer straight into the free
 * part, with the spinlock released; then each retakes the lock and
 * publishes (head += n, count -= n; or count += n).  The two parts never
 * overlap: a reader only shrinks the filled part, a writer only grows it
 * at the other end, so head + count -- where the writer writes -- is the
 * same number before and after a reader consumes.
 *
 * Blocking, as POSIX says:
 *   - read waits until there is at least one byte, then returns what is
 *     there (up to n) without waiting for more; with no writer left and
 *     nothing in the buffer it returns 0 (end of file).
 *   - write of n <= PIPE_BUF bytes is atomic: it waits until all n fit and
 *     puts them in under one `writing` token, so no other writer's bytes
 *     land in between.  A larger write puts in what fits, wakes readers and
 *     waits for more room; other writers may interleave between pieces.
 *   - write with no reader left: SIGPIPE to the writer and EPIPE (or the
 *     count already written, as Linux does).
 *   - O_NONBLOCK: EAGAIN instead of waiting (for a small write, when it does
 *     not fit whole; for a big one, when nothing fits).
 *   - a signal ends the wait: EINTR, or the count already written/read.
 *
 * Who sleeps where: readers sleep on CHAN_READ (waiting for data, for the
 * last writer to go away, or for the `reading` token); writers on
 * CHAN_WRITE (waiting for room, for the reader to go away, or for the
 * `writing` token).  Whoever changes one of those conditions wakes the
 * channel; every sleeper re-checks its condition in a loop.
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/string.h"
#include "kern/spinlock.h"
#include "kern/sched.h"
#include "kern/proc.h"
#include "kern/signal.h"
#include "kern/copyio.h"
#include "kern/counters.h"
#include "kern/file.h"
#include "kern/pipe.h"
#include "kern/poll.h"
#include "vm/kmem.h"
#include "uapi/fcntl.h"
#include "uapi/poll.h"
#include "uapi/signal.h"


#define CHAN_READ(p)  ((void *)&(p)->reading)
#define CHAN_WRITE(p) ((void *)&(p)->writing)

static uint64_t pipe_next_ino = 1;

/* ------------------------------------------------------------------- read */

/*
 * Wait until there is data and the `reading` token is free, then take the
 * token.  Returns 1 with the token, 0 at end of file, or -EAGAIN/-EINTR.
 * Called and returns with p->lock held; may sleep.
 */
static int pipe_wait_readable(struct pipe *p, bool nonblock)
{
	for (;;) {
		if (p->ring.count > 0 && !p->reading) {
			p->reading = true;
			return 1;
		}
		if (p->ring.count == 0 && !p->writer_open)
			return 0;
		if (p->ring.count == 0 && nonblock)
			return -EAGAIN;
		int r = sleep_on(CHAN_READ(p), &p->lock, true);
		if (r < 0)
			return r;
	}
}

/*
 * With the `reading` token: copy out up to n bytes (both segments of the
 * ring if need be).  Returns bytes copied or -EFAULT if none.  p->lock held
 * on entry and exit, dropped around each copyout.
 */
static long pipe_copy_out(struct pipe *p, char __user *buf, size_t n)
{
	size_t done = 0;
	while (done < n && p->ring.count > 0) {
		size_t len, start = ring_data_seg(&p->ring, &len);
		len = MIN(len, n - done);
		spinlock_release(&p->lock);
		int r = copyout(p->ring.buf + start, buf + done, len);
		spinlock_acquire(&p->lock);
		if (r < 0)
			return done > 0 ? (long)done : r;
		ring_consume(&p->ring, len);
		done += len;
	}
	return (long)done;
}

static long pipe_read(struct file *fp, void __user *buf, size_t n)
{
	struct pipe *p = fp->data;
	long ret;
	if (n == 0)
		return 0;
	spinlock_acquire(&p->lock);
	ret = pipe_wait_readable(p, file_nonblocking(fp));
	if (ret == 1) {
		ret = pipe_copy_out(p, buf, n);
		p->reading = false;
		wakeup(CHAN_READ(p));           /* the token is free */
		wakeup(CHAN_WRITE(p));          /* there is room */
		poll_wakeup();
	}
	spinlock_release(&p->lock);
	return ret;
}

/* ------------------------------------------------------------------ write */

/*
 * With the `writing` token: copy in as much of buf[0..n) as fits.  Returns
 * bytes copied or -EFAULT if none.  p->lock held on entry and exit, dropped
 * around each copyin.
 */
static long pipe_copy_in(struct pipe *p, const char __user *buf, size_t n)
{
	size_t done = 0;
	while (done < n && ring_free(&p->ring) > 0 && p->reader_open) {
		size_t len, start = ring_space_seg(&p->ring, &len);
		len = MIN(len, n - done);
		spinlock_release(&p->lock);
		int r = copyin(buf + done, p->ring.buf + start, len);
		spinlock_acquire(&p->lock);
		if (r < 0)
			return done > 0 ? (long)done : r;
		ring_produce(&p->ring, len);
		done += len;
		wakeup(CHAN_READ(p));
		poll_wakeup();
	}
	return (long)done;
}

/* Room to go on now?  An atomic write (total <= PIPE_BUF) needs all of it. */
static bool pipe_can_write(struct pipe *p, size_t total, size_t left)
{
	if (p->writing)
		return false;
	return total <= PIPE_BUF ? ring_free(&p->ring) >= left : ring_free(&p->ring) > 0;
}

/*
 * The write loop: wait for room and the token, copy in, repeat until all is
 * written.  Returns bytes written, or -errno when nothing was; *broken is
 * set when the reader went away (the caller sends SIGPIPE).  p->lock held.
 */
static long pipe_write_locked(struct pipe *p, const char __user *buf, size_t n,
    bool nonblock, bool *broken)
{
	spinlock_assert_held(&p->lock);
	size_t written = 0;
	long r = 0;
	while (written < n) {
		if (!p->reader_open) {
			*broken = true;
			r = -EPIPE;
			break;
		}
		if (pipe_can_write(p, n, n - written)) {
			p->writing = true;
			r = pipe_copy_in(p, buf + written, n - written);
			p->writing = false;
			wakeup(CHAN_WRITE(p));
			if (r < 0)
				break;
			written += (size_t)r;
			continue;
		}
		if (nonblock) {
			r = -EAGAIN;
			break;
		}
		r = sleep_on(CHAN_WRITE(p), &p->lock, true);
		if (r < 0)
			break;
	}
	return written > 0 ? (long)written : r;
}

static long pipe_write(struct file *fp, const void __user *buf, size_t n)
{
	struct pipe *p = fp->data;
	bool broken = false;
	long ret;
	if (n == 0)
		return 0;               /* as Linux: even with no reader left */
	spinlock_acquire(&p->lock);
	ret = pipe_write_locked(p, buf, n, file_nonblocking(fp), &broken);
	spinlock_release(&p->lock);
	if (broken)
		signal_send(curproc(), SIGPIPE);
	return ret;
}

/* ------------------------------------------------------ stat, poll, close */

static int pipe_stat(struct file *fp, struct stat *st)
{
	struct pipe *p = fp->data;
	file_stat_init(st);
	st->st_mode = S_IFIFO | 0600;
	st->st_ino = p->ino;
	st->st_uid = curproc() ? curproc()->euid : 0;
	st->st_gid = curproc() ? curproc()->egid : 0;
	return 0;
}

static int pipe_reader_poll(struct file *fp, int events)
{
	struct pipe *p = fp->data;
	int revents = 0;
	spinlock_acquire(&p->lock);
	if (p->ring.count > 0)
		revents |= POLLIN | POLLRDNORM;
	if (!p->writer_open)
		revents |= POLLHUP;
	spinlock_release(&p->lock);
	return revents & (events | POLLHUP | POLLERR);
}

/* Writable means a PIPE_BUF-byte (atomic) write would not block. */
static int pipe_writer_poll(struct file *fp, int events)
{
	struct pipe *p = fp->data;
	int revents = 0;
	spinlock_acquire(&p->lock);
	if (!p->reader_open)
		revents |= POLLERR;
	else if (ring_free(&p->ring) >= PIPE_BUF)
		revents |= POLLOUT | POLLWRNORM;
	spinlock_release(&p->lock);
	return revents & (events | POLLHUP | POLLERR);
}

/* One end is gone: wake the other side so it sees EOF or EPIPE. */
static void pipe_close_end(struct file *fp, bool reader)
{
	struct pipe *p = fp->data;
	spinlock_acquire(&p->lock);
	if (reader) {
		p->reader_open = false;
		wakeup(CHAN_WRITE(p));
	} else {
		p->writer_open = false;
		wakeup(CHAN_READ(p));
	}
	bool dead = !p->reader_open && !p->writer_open;
	spinlock_release(&p->lock);
	poll_wakeup();
	if (dead) {
		kfree(p->ring.buf);
		kfree(p);
	}
}

static void pipe_reader_close(struct file *fp)
{
	pipe_close_end(fp, true);
}

static void pipe_writer_close(struct file *fp)
{
	pipe_close_end(fp, false);
}

static const struct file_ops pipe_reader_ops = {
	.name = "pipe (read end)",
	.read = pipe_read,
	.write = file_write_notsupp,
	.lseek = file_lseek_notsupp,
	.stat = pipe_stat,
	.ioctl = file_ioctl_notsupp,
	.poll = pipe_reader_poll,
	.mmap = file_mmap_notsupp,
	.truncate = file_truncate_notsupp,
	.chmod = file_chmod_notsupp,
	.chown = file_chown_notsupp,
	.close = pipe_reader_close,
};

static const struct file_ops pipe_writer_ops = {
	.name = "pipe (write end)",
	.read = file_read_notsupp,
	.write = pipe_write,
	.lseek = file_lseek_notsupp,
	.stat = pipe_stat,
	.ioctl = file_ioctl_notsupp,
	.poll = pipe_writer_poll,
	.mmap = file_mmap_notsupp,
	.truncate = file_truncate_notsupp,
	.chmod = file_chmod_notsupp,
	.chown = file_chown_notsupp,
	.close = pipe_writer_close,
};

/* --------------------------------------------------------------- creation */

static struct pipe *pipe_alloc(void)
{
	struct pipe *p = kmalloc(sizeof(*p), KM_ZERO);
	if (p == NULL)
		return NULL;
	p->ring.size = PIPE_SIZE;
	p->ring.buf = kmalloc(PIPE_SIZE, 0);
	if (p->ring.buf == NULL) {
		kfree(p);
		return NULL;
	}
	spinlock_init(&p->lock, "pipe");
	p->reader_open = p->writer_open = true;
	p->ino = __atomic_fetch_add(&pipe_next_ino, 1, __ATOMIC_RELAXED);
	return p;
}

/*
 * If the second file cannot be made, the first one's close marks its end
 * closed; the pipe is then freed by hand (its other end never existed).
 */
int pipe_create(int flags, struct file **rfp, struct file **wfp)
{
	struct pipe *p = pipe_alloc();
	if (p == NULL)
		return -ENOMEM;
	int status = flags & O_NONBLOCK;
	struct file *r = file_alloc(&pipe_reader_ops, p, O_RDONLY | status);
	if (r == NULL)
		goto free_pipe;
	struct file *w = file_alloc(&pipe_writer_ops, p, O_WRONLY | status);
	if (w == NULL)
		goto free_reader;
	*rfp = r;
	*wfp = w;
	return 0;

free_reader:
	p->writer_open = false;         /* so the reader's close frees the pipe */
	file_release(r);
	return -ENOMEM;
free_pipe:
	kfree(p->ring.buf);
	kfree(p);
	return -ENOMEM;
}

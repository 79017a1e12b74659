/*
 * uipc_socket.c - sending and receiving on UNIX sockets: where a send
 * goes, waiting for room, queueing records (whole for datagrams and
 * seqpacket, in pieces for streams), and taking them out again with the
 * receive token, handing over SCM_RIGHTS descriptors on the way.  FreeBSD
 * keeps the generic halves of this (sosend, soreceive) in its file of this
 * name; the locking rules are in the essay at the top of uipc_usrreq.c.
 *
 * Symbols use FreeBSD's unp_ prefix, as the rest of the socket layer.
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/string.h"
#include "kern/sched.h"
#include "kern/proc.h"
#include "kern/signal.h"
#include "kern/file.h"
#include "kern/fdtable.h"
#include "kern/poll.h"
#include "ipc/uipc_usrreq.h"
#include "vm/kmem.h"
#include "uapi/fcntl.h"
#include "uapi/signal.h"

static void unp_enqueue_locked(struct unpcb *dst, struct unp_msg *m)
{
	spinlock_assert_held(&unp_lock);
	list_push_back(&dst->rcvq, &m->link);
	dst->rcv_cc += m->len;
	dst->rcv_msgs++;
	wakeup(UNP_CHAN_RCV(dst));
}

/* --------------------------------------------------------------- send */

/*
 * Where a send goes: the peer, or the datagram socket bound to `to`.
 * 0 with *dstp, or the errno the send fails with.  unp_lock held.
 */
/* The destination of a send without an address: the peer. */
static const struct unp_sendargs unp_to_peer;

static int unp_dest_locked(struct unpcb *unp, const struct unp_sendargs *sa,
    struct unpcb **dstp)
{
	spinlock_assert_held(&unp_lock);
	bool conn = unp_connection_oriented(unp);
	if (sa->to != NULL && conn)
		return (unp->flags & UNP_CONNECTED) ? -EISCONN : -EOPNOTSUPP;
	if (unp->flags & UNP_CANTSEND)
		return -EPIPE;
	if (sa->to != NULL)
		return sa->to_name ? unp_lookup_locked(sa->to_name, unp->type, dstp) : sa->to_err;
	if (unp->peer == NULL) {
		if (!(unp->flags & UNP_WASCONNECTED))
			return -ENOTCONN;
		return conn ? -EPIPE : -ECONNREFUSED;
	}
	if (unp->peer->flags & UNP_CANTRCV)
		return -EPIPE;
	*dstp = unp->peer;
	return 0;
}

/* Free bytes in dst's queue (0 when over its bound or out of records). */
size_t unp_room_locked(const struct unpcb *dst)
{
	spinlock_assert_held(&unp_lock);
	if (dst->rcv_msgs >= UNP_MSGS_MAX || dst->rcv_cc >= dst->rcv_hiwat)
		return 0;
	return dst->rcv_hiwat - dst->rcv_cc;
}

/* Does a record of `need` bytes fit?  An empty queue takes any one record. */
bool unp_fits_locked(const struct unpcb *dst, size_t need)
{
	spinlock_assert_held(&unp_lock);
	if (dst->rcv_msgs >= UNP_MSGS_MAX)
		return false;
	return dst->rcv_cc == 0 || unp_room_locked(dst) >= need;
}

/*
 * Wait until the destination has room for need bytes.  0 with *dstp, or
 * -errno (-EAGAIN when nonblock).  unp_lock held; may sleep.
 */
static int unp_wait_room_locked(struct unpcb *unp, const struct unp_sendargs *sa, size_t need,
    bool nonblock, struct unpcb **dstp)
{
	spinlock_assert_held(&unp_lock);
	for (;;) {
		int r = unp_dest_locked(unp, sa, dstp);
		if (r < 0 || unp_fits_locked(*dstp, need))
			return r;
		if (nonblock)
			return -EAGAIN;
		r = sleep_on(UNP_CHAN_SPACE(*dstp), &unp_lock, true);
		if (r < 0)
			return r;
	}
}

/* A datagram or seqpacket record: all of it, at once, or nothing. */
static long unp_send_record(struct unpcb *unp, struct unp_sendargs *sa, bool nonblock)
{
	size_t len = sa->uio->resid;
	struct unpcb *dst;
	if (len > unp->snd_hiwat)
		return -EMSGSIZE;
	struct unp_msg *m = unp_msg_alloc(len, false);
	if (m == NULL)
		return -ENOMEM;
	m->files = sa->files;           /* the record owns the rights now */
	m->nfiles = sa->nfiles;
	sa->files = NULL;
	int r = unp_msg_copyin(m, sa->uio);
	if (r == 0 && unp->type == SOCK_DGRAM && unp->path != NULL &&
	    (m->from = unp_strdup(unp->path)) == NULL)
		r = -ENOMEM;
	if (r == 0) {
		spinlock_acquire(&unp_lock);
		r = unp_wait_room_locked(unp, sa, len, nonblock, &dst);
		if (r == 0)
			r = unp_rights_enter_locked(m, curproc()->uid);
		if (r == 0)
			unp_enqueue_locked(dst, m);
		spinlock_release(&unp_lock);
	}
	if (r < 0) {
		unp_rights_release(m);
		unp_msg_free(m);
		return r;
	}
	poll_wakeup();
	return (long)len;
}

/*
 * Queue record m (n bytes copied in) on a stream's peer: as much as there
 * is room for, at least one byte.  Answers the bytes queued or -errno; m
 * is consumed when the answer is positive (queued or appended).
 */
static long unp_stream_put(struct unpcb *unp, struct unp_msg *m, bool nonblock, bool *freeit)
{
	struct unpcb *dst;
	size_t n = m->len;
	spinlock_acquire(&unp_lock);
	long r = unp_wait_room_locked(unp, &unp_to_peer, MIN(n, UNP_LOWAT), nonblock, &dst);
	if (r == 0) {
		size_t k = MAX(MIN(n, unp_room_locked(dst)), MIN(n, (size_t)1));
		unp_msg_trim(m, k);
		r = unp_rights_enter_locked(m, curproc()->uid);
		if (r == 0) {
			struct list_node *last = list_last(&dst->rcvq);
			*freeit = last != NULL &&
			    unp_msg_append_locked(list_entry(last, struct unp_msg, link), m);
			if (*freeit) {
				dst->rcv_cc += k;
				wakeup(UNP_CHAN_RCV(dst));
			} else {
				unp_enqueue_locked(dst, m);
			}
			r = (long)k;
		}
	}
	spinlock_release(&unp_lock);
	return r;
}

/*
 * A stream: in records of up to UNP_CHUNK bytes, each copied in before
 * the lock is taken; the rights ride on the first.  Blocking sends go on
 * until everything is queued; the answer is the bytes queued, or -errno
 * if none were.
 */
static long unp_send_stream(struct unpcb *unp, struct unp_sendargs *sa, bool nonblock)
{
	size_t total = sa->uio->resid, done = 0;
	long r = 0;
	if (total == 0) {               /* nothing to send, but say why not */
		struct unpcb *dst;
		spinlock_acquire(&unp_lock);
		r = unp_dest_locked(unp, &unp_to_peer, &dst);
		spinlock_release(&unp_lock);
		return r;
	}
	while (done < total) {
		struct unp_msg *m = unp_msg_alloc(MIN(total - done, UNP_CHUNK), true);
		bool freeit = false;
		if (m == NULL) {
			r = -ENOMEM;
			break;
		}
		m->files = sa->files;
		m->nfiles = sa->nfiles;
		r = unp_msg_copyin(m, sa->uio);
		if (r == 0)
			r = unp_stream_put(unp, m, nonblock, &freeit);
		if (r <= 0) {
			m->files = NULL;        /* not sent: still sa's, which unp_send frees */
			m->nfiles = 0;
			unp_msg_free(m);
			break;
		}
		if (freeit)
			unp_msg_free(m);        /* appended to the tail (never one with rights) */
		sa->files = NULL;       /* sent with the first record */
		sa->nfiles = 0;
		done += (size_t)r;
		unp_uio_rewind(sa->uio, done);
		poll_wakeup();
	}
	return done > 0 ? (long)done : r;
}

/*
 * send(2) and write(2) on a socket.  The rights in sa (if any) are
 * consumed either way.  EPIPE raises SIGPIPE unless MSG_NOSIGNAL.  May sleep.
 */
long unp_send(struct file *fp, struct unp_sendargs *sa)
{
	struct unpcb *unp = fp->data;
	bool nonblock = file_nonblocking(fp) || (sa->flags & MSG_DONTWAIT);
	long r;
	/* A datagram's destination is found in the file tree first, with no
	 * lock held; what went wrong is answered where a send checks it. */
	sa->to_name = NULL;
	if (sa->to != NULL && !unp_connection_oriented(unp)) {
		char *abspath = NULL;
		sa->to_err = unp_normalize(sa->to, &abspath);
		if (sa->to_err == 0)
			sa->to_err = unp_name_find(abspath, &sa->to_name);
		kfree(abspath);
	}
	if (unp->type == SOCK_STREAM)
		r = unp_send_stream(unp, sa, nonblock);
	else
		r = unp_send_record(unp, sa, nonblock);
	if (sa->files != NULL)
		unp_rights_free(sa->files, sa->nfiles);
	sa->files = NULL;
	if (sa->to_name != NULL)
		unp_name_put(sa->to_name);
	if (r == -EPIPE && !(sa->flags & MSG_NOSIGNAL))
		signal_send(curproc(), SIGPIPE);
	return r;
}

/* ------------------------------------------------------------ receive */

/* One recv in progress: what to free once the lock is dropped. */
struct unp_rcv {
	struct unpcb *unp;
	struct unp_recvargs *ra;
	struct list reap;               /* records fully read */
	struct file **files;            /* rights taken out of flight */
	int nfiles;
};

/* The queue is empty: 0 (end of file), -errno, or 1 (wait). */
static int unp_recv_empty_locked(struct unpcb *unp, bool nonblock)
{
	spinlock_assert_held(&unp_lock);
	if (unp->so_error != 0) {
		int e = unp->so_error;
		unp->so_error = 0;
		return -e;
	}
	if (unp->flags & UNP_LISTENING)
		return -EINVAL;
	if (unp->flags & UNP_CANTRCV)
		return 0;
	if (unp_connection_oriented(unp) && !(unp->flags & UNP_CONNECTED))
		return (unp->flags & UNP_WASCONNECTED) ? 0 : -ENOTCONN;
	return nonblock ? -EAGAIN : 1;
}

/* Wait for a record and take the receive token: 1, or 0 (EOF), or -errno. */
static int unp_recv_wait_locked(struct unpcb *unp, bool nonblock)
{
	spinlock_assert_held(&unp_lock);
	for (;;) {
		bool empty = list_empty(&unp->rcvq);
		if (!empty && !unp->reading) {
			unp->reading = true;
			return 1;
		}
		if (empty) {
			int r = unp_recv_empty_locked(unp, nonblock);
			if (r <= 0)
				return r;
		}
		int r = sleep_on(UNP_CHAN_RCV(unp), &unp_lock, true);
		if (r < 0)
			return r;
	}
}

#if 1 /* LAB passfd: BEGIN */
static void unp_fds_close(const int *fds, int n)
{
	for (int i = 0; i < n; i++)
		fd_close(fds[i]);
}

static int unp_cmsg_copyout(void __user *control, const int *fds, int n)
{
	struct cmsghdr h = {
		.cmsg_len = CMSG_LEN((size_t)n * sizeof(int)),
		.cmsg_level = SOL_SOCKET,
		.cmsg_type = SCM_RIGHTS,
	};
	int r = copyout(&h, control, sizeof(h));
	if (r == 0)
		r = copyout(fds, (char __user *)control + CMSG_LEN(0), (size_t)n * sizeof(int));
	return r;
}

/*
 * Install the record's descriptors that fit in the control buffer (lowest
 * free slots first) and copy the SCM_RIGHTS record out.  0, or -EMFILE /
 * -EFAULT with nothing installed (the record stays queued).  The record's
 * own references are untouched: the table takes new ones.  No lock held
 * (the receive token keeps the record).
 */
static int unp_externalize(struct unp_msg *m, struct unp_recvargs *ra)
{
	int fds[UNP_RIGHTS_MAX];
	size_t room = ra->controllen >= CMSG_LEN(0) ?
	    (ra->controllen - CMSG_LEN(0)) / sizeof(int) : 0;
	int nfit = (int)MIN(room, (size_t)m->nfiles);
	int cloexec = (ra->flags & MSG_CMSG_CLOEXEC) ? FD_CLOEXEC : 0;
	for (int i = 0; i < nfit; i++) {
		file_hold(m->files[i]);
		int fd = fd_install(m->files[i], cloexec);
		if (fd < 0) {
			file_release(m->files[i]);
			unp_fds_close(fds, i);
			return fd;
		}
		fds[i] = fd;
	}
	int r = nfit > 0 ? unp_cmsg_copyout(ra->control, fds, nfit) : 0;
	if (r < 0) {
		unp_fds_close(fds, nfit);
		return r;
	}
	ra->control_used = nfit > 0 ? MIN(CMSG_SPACE((size_t)nfit * sizeof(int)), ra->controllen) : 0;
	if (nfit < m->nfiles)
		ra->msg_flags |= MSG_CTRUNC;    /* the rest are closed with the record's references */
	return 0;
}
#else /* LAB passfd: STUB */
/*
 * LAB passfd: install the record's descriptors in the receiver's table and
 * copy one SCM_RIGHTS record out to ra->control.  As many as fit in
 * ra->controllen (after the record's header) are installed, lowest free
 * slots first (fd_install with FD_CLOEXEC under MSG_CMSG_CLOEXEC; the
 * table takes a reference of its own: file_hold first), and the rest are
 * left out with MSG_CTRUNC in ra->msg_flags.  Set ra->control_used to the
 * bytes of control data written.  On an error (EMFILE from fd_install,
 * EFAULT from the copyout) close what you installed and answer it: the
 * record stays queued for a later receive.  The record's own references
 * are untouched; the caller takes them out of flight and releases them.
 * No lock held (the receive token keeps the record).
 *
 * The stub is never called: no record carries rights without your
 * unp_internalize.
 */
static int unp_externalize(struct unp_msg *m, struct unp_recvargs *ra)
{
	(void)m;
	(void)ra;
	return -ENOSYS;
}
#endif /* LAB passfd: END */

/* The record's rights were delivered: out of flight; their references
 * are released after the lock is dropped. */
static void unp_take_rights_locked(struct unp_rcv *rc, struct unp_msg *m)
{
	spinlock_assert_held(&unp_lock);
	unp_rights_leave_locked(m);
	rc->files = m->files;
	rc->nfiles = m->nfiles;
	m->files = NULL;
	m->nfiles = 0;
}

/* Copy out n bytes at off (and the rights if `rights`) with the lock dropped. */
static int unp_recv_copy(struct unp_msg *m, size_t off, size_t n, bool rights,
    struct unp_recvargs *ra)
{
	spinlock_release(&unp_lock);
	int r = unp_msg_copyout(m, off, n, ra->uio);
	if (r == 0 && rights)
		r = unp_externalize(m, ra);
	spinlock_acquire(&unp_lock);
	return r;
}

/* A datagram or seqpacket record: one per call; MSG_TRUNC if it is cut. */
static long unp_recv_record_locked(struct unp_rcv *rc)
{
	spinlock_assert_held(&unp_lock);
	struct unpcb *unp = rc->unp;
	struct unp_recvargs *ra = rc->ra;
	struct unp_msg *m = list_entry(list_first(&unp->rcvq), struct unp_msg, link);
	bool peek = (ra->flags & MSG_PEEK) != 0;
	bool rights = m->nfiles > 0 && !peek;
	size_t len = m->len, n = MIN(len, ra->uio->resid);
	int r = unp_recv_copy(m, 0, n, rights, ra);
	if (r < 0)
		return r;
	if (unp->type == SOCK_DGRAM) {
		strlcpy(ra->from, m->from ? m->from : "", sizeof(ra->from));
		ra->have_from = true;
	}
	if (!peek) {
		if (rights)
			unp_take_rights_locked(rc, m);
		list_remove(&m->link);
		unp->rcv_cc -= len;
		unp->rcv_msgs--;
		list_push_back(&rc->reap, &m->link);
		wakeup(UNP_CHAN_SPACE(unp));
	}
	if (len > n)
		ra->msg_flags |= MSG_TRUNC;
	return (ra->flags & MSG_TRUNC) ? (long)len : (long)n;
}

/* Take k bytes of stream record m (the head of the queue). */
static void unp_stream_consume_locked(struct unp_rcv *rc, struct unp_msg *m, size_t k)
{
	spinlock_assert_held(&unp_lock);
	struct unpcb *unp = rc->unp;
	m->off += k;
	unp->rcv_cc -= k;
	if (m->off == m->len) {
		list_remove(&m->link);
		unp->rcv_msgs--;
		list_push_back(&rc->reap, &m->link);
	}
	wakeup(UNP_CHAN_SPACE(unp));
}

/*
 * A stream: bytes from as many records as the buffer takes.  A record
 * with rights is read alone: a read stops before it when it already has
 * bytes, and after it, so the descriptors arrive with their own bytes.
 */
static long unp_recv_stream_locked(struct unp_rcv *rc)
{
	spinlock_assert_held(&unp_lock);
	struct unpcb *unp = rc->unp;
	struct unp_recvargs *ra = rc->ra;
	bool peek = (ra->flags & MSG_PEEK) != 0;
	size_t done = 0;
	struct list_node *node = list_first(&unp->rcvq);
	while (node != NULL && ra->uio->resid > 0) {
		struct unp_msg *m = list_entry(node, struct unp_msg, link);
		bool has_rights = m->nfiles > 0, rights = has_rights && !peek;
		if (has_rights && done > 0)
			break;
		size_t k = MIN(m->len - m->off, ra->uio->resid);
		int r = unp_recv_copy(m, m->off, k, rights, ra);
		if (r < 0)
			return done > 0 ? (long)done : r;
		node = node->next == &unp->rcvq.head ? NULL : node->next;
		if (!peek) {
			if (rights)
				unp_take_rights_locked(rc, m);
			unp_stream_consume_locked(rc, m, k);
		}
		done += k;
		if (has_rights)
			break;
	}
	return (long)done;
}

/*
 * recv(2) and read(2) on a socket: waits for data (unless non-blocking),
 * answers the bytes read, 0 at end of file, or -errno; fills ra's out
 * fields.  May sleep.
 */
long unp_recv(struct file *fp, struct unp_recvargs *ra)
{
	struct unp_rcv rc = { .unp = fp->data, .ra = ra };
	struct unpcb *unp = rc.unp;
	bool nonblock = file_nonblocking(fp) || (ra->flags & MSG_DONTWAIT);
	list_init(&rc.reap);
	ra->msg_flags = 0;
	ra->control_used = 0;
	ra->have_from = false;
	if (unp->type == SOCK_STREAM && ra->uio->resid == 0)
		return 0;
	spinlock_acquire(&unp_lock);
	long r = unp_recv_wait_locked(unp, nonblock);
	if (r == 1) {
		if (unp->type == SOCK_STREAM)
			r = unp_recv_stream_locked(&rc);
		else
			r = unp_recv_record_locked(&rc);
		unp->reading = false;
		wakeup(UNP_CHAN_RCV(unp));
	}
	spinlock_release(&unp_lock);
	if (rc.files != NULL)
		unp_rights_free(rc.files, rc.nfiles);
	unp_reap(&rc.reap);
	return r;
}


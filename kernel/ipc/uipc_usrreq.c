/*
 * uipc_usrreq.c - UNIX-domain sockets: stream, datagram and seqpacket,
 * the socket name space, connections, sending and receiving.
 *
 * Names follow FreeBSD's file of the same name: a socket's protocol
 * control block is a struct unpcb and the functions are unp_*.  The
 * socket system calls are in uipc_syscalls.c, sending and receiving in
 * uipc_socket.c, message records in uipc_msg.c, descriptor passing and
 * the garbage collector in uipc_gc.c.
 *
 * The shape.  A socket is a struct file (type unp_fileops) whose data is
 * its unpcb.  Each unpcb has a receive queue of records (struct unp_msg):
 * a sender appends to its *peer's* queue, a receiver takes from its own --
 * there is no separate send buffer, as in FreeBSD, where a UNIX socket's
 * send puts data straight into the peer's receive buffer.  A stream
 * record is just a run of bytes (a read may span several and may take part
 * of one); a datagram or seqpacket record is one message with its
 * boundaries.  Records may carry SCM_RIGHTS references (uipc_gc.c).
 * The receive queue is bounded by the receiver's SO_RCVBUF in data bytes
 * (and by UNP_MSGS_MAX records); a sender waits for room.  SO_SNDBUF
 * bounds the largest datagram one may send (EMSGSIZE).
 *
 * Connections.  socketpair connects two new sockets.  A stream or
 * seqpacket connect() to a listening socket makes the server's end at
 * once -- a new unpcb with no file, connected to the client and waiting
 * in the listener's accept queue (pendq) -- so the client can send before
 * the server accepts; accept() gives that unpcb a file.  A datagram
 * connect() only records the destination; the destination keeps a list of
 * who points at it (refs) so its close can clear those pointers.
 *
 * Names.  bind() enters a normalised absolute path in the socket name
 * space (uipc_names.c), where it outlives the socket until unlink(2), and
 * belongs to the user who bound it: only they (or root) may unlink it,
 * and connecting to it needs write permission.
 *
 * Locking.  One spinlock, unp_lock, guards everything the sockets share:
 * the name space, the list of all sockets, every connection pointer, every
 * queue and its counts, the in-flight accounting and the collector's
 * marks.  One lock makes every cross-socket operation (connect, close
 * against a sender, the collector walking every queue) trivially atomic,
 * which per-socket locks (FreeBSD's unp_mtx per pcb plus unp_link_lock
 * for the graph) would make a lock-ordering exercise; on a kernel that
 * runs on one CPU it costs nothing.  Being a spinlock it is never held
 * across anything that sleeps, so:
 *   - user memory is copied with the lock dropped: a sender copies into a
 *     fresh record first and then takes the lock to queue it; a receiver
 *     takes its socket's receive token (`reading`, like the pipe's) so
 *     that it alone may take records out, and copies with the lock
 *     dropped -- senders only ever append, so the records it reads stay;
 *   - nothing is freed under it that could close a file: records taken off
 *     queues are moved to a `reap` list and freed, and their files
 *     released, after the lock is dropped (unp_reap);
 *   - nobody keeps a pointer to another socket's unpcb across a sleep: a
 *     sender finds its destination again every time it takes the lock.
 *     A socket's own unpcb is safe while the caller holds its file.
 *
 * Waiting: readers on UNP_CHAN_RCV(their socket), senders on
 * UNP_CHAN_SPACE(the destination), accept on UNP_CHAN_ACCEPT(listener);
 * every change also calls poll_wakeup() (kern/poll.c).
 *
 * Descriptors in flight, their limits and the collector: see uipc_gc.c.
 * A receiver whose descriptor table cannot hold every descriptor of a
 * record it is about to take gets EMFILE and the record stays queued,
 * data and descriptors, for a later try (after it closes something, or
 * with a smaller control buffer -- then MSG_CTRUNC and the descriptors
 * that did not fit are closed).  MSG_PEEK shows data but never passes
 * descriptors.
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/string.h"
#include "kern/sched.h"
#include "kern/proc.h"
#include "kern/counters.h"
#include "kern/file.h"
#include "kern/fdtable.h"
#include "kern/poll.h"
#include "ipc/uipc_usrreq.h"
#include "fs/bootfs.h"
#include "vm/kmem.h"
#include "uapi/fcntl.h"
#include "uapi/limits.h"
#include "uapi/poll.h"
#include "uapi/signal.h"
#include "uapi/stat.h"

struct spinlock unp_lock = SPINLOCK_INIT("unp");
struct list unp_all = LIST_INIT(unp_all);

static const struct file_ops unp_fileops;

bool unp_is_socket(const struct file *fp)
{
	return unp_is_socket_ops(fp->ops);
}

bool unp_is_socket_ops(const struct file_ops *ops)
{
	return ops == &unp_fileops;
}

static void unp_creds(struct ucred *c)
{
	struct proc *p = curproc();
	c->pid = p->pid;
	c->uid = p->euid;
	c->gid = p->egid;
}

/* Called by kmain once the file systems are mounted: the tree's socket
 * nodes hold our names, and the file layer asks the collector about
 * descriptors in flight. */
void unp_init(void)
{
	unp_names_init();
	unp_gc_init();
}

/* ---------------------------------------------------- control blocks */

/* A new unpcb of type with our credentials, on no list yet.  NULL if out
 * of memory.  May not sleep. */
static struct unpcb *unp_alloc(int type)
{
	struct unpcb *unp = kmalloc(sizeof(*unp), KM_ZERO);
	if (unp == NULL)
		return NULL;
	unp->type = type;
	list_init(&unp->refs);
	list_init(&unp->rcvq);
	list_init(&unp->pendq);
	unp->rcv_hiwat = unp->snd_hiwat = UNP_BUF_DEFAULT;
	unp_creds(&unp->cred);
	COUNTER_INC(sockets);
	return unp;
}

static void unp_free(struct unpcb *unp)
{
	kfree(unp->path);
	kfree(unp);
	COUNTER_DEC(sockets);
}

void unp_flush_locked(struct unpcb *unp, struct list *reap)
{
	spinlock_assert_held(&unp_lock);
	KASSERT(spinlock_held(&unp_lock), "unp_flush_locked: unp_lock not held");
	while (!list_empty(&unp->rcvq)) {
		struct unp_msg *m = list_entry(list_pop_front(&unp->rcvq), struct unp_msg, link);
		unp_rights_leave_locked(m);
		list_push_back(reap, &m->link);
	}
	unp->rcv_cc = 0;
	unp->rcv_msgs = 0;
	wakeup(UNP_CHAN_SPACE(unp));
}

void unp_reap(struct list *reap)
{
	while (!list_empty(reap)) {
		struct unp_msg *m = list_entry(list_pop_front(reap), struct unp_msg, link);
		unp_rights_release(m);
		unp_msg_free(m);
	}
	poll_wakeup();
}

/* Both ends of a connection, with each other's credentials. */
static void unp_connect_pair_locked(struct unpcb *a, struct unpcb *b)
{
	spinlock_assert_held(&unp_lock);
	a->peer = b;
	b->peer = a;
	a->flags |= UNP_CONNECTED | UNP_WASCONNECTED | UNP_HAVEPEERCRED;
	b->flags |= UNP_CONNECTED | UNP_WASCONNECTED | UNP_HAVEPEERCRED;
	a->peercred = b->cred;
	b->peercred = a->cred;
	if (!unp_connection_oriented(a)) {
		list_push_back(&b->refs, &a->reflink);
		list_push_back(&a->refs, &b->reflink);
	}
}

/* A datagram socket that pointed at a socket now gone. */
static void unp_dgram_orphan_locked(struct unpcb *r, bool mutual)
{
	spinlock_assert_held(&unp_lock);
	list_remove(&r->reflink);
	r->peer = NULL;
	r->flags &= ~UNP_CONNECTED;
	if (mutual)
		r->flags |= UNP_CANTRCV;        /* a socketpair: the other end reads EOF */
	wakeup(UNP_CHAN_RCV(r));
}

/* Break unp's own connection (unp is going away). */
static void unp_disconnect_locked(struct unpcb *unp)
{
	spinlock_assert_held(&unp_lock);
	struct unpcb *peer = unp->peer;
	if (peer == NULL)
		return;
	unp->peer = NULL;
	unp->flags &= ~UNP_CONNECTED;
	if (!unp_connection_oriented(unp)) {
		list_remove(&unp->reflink);
		return;
	}
	peer->peer = NULL;
	peer->flags &= ~UNP_CONNECTED;
	peer->flags |= UNP_CANTRCV | UNP_CANTSEND;
	if (unp->rcv_cc > 0)
		peer->so_error = ECONNRESET;    /* what it sent was never read (Linux) */
	wakeup(UNP_CHAN_RCV(peer));
	wakeup(UNP_CHAN_SPACE(peer));
}

void unp_drop_locked(struct unpcb *unp, struct list *reap)
{
	spinlock_assert_held(&unp_lock);
	KASSERT(spinlock_held(&unp_lock), "unp_drop_locked: unp_lock not held");
	list_remove(&unp->all);
	unp_name_detach_locked(unp);
	if (unp->head != NULL) {
		list_remove(&unp->pendlink);
		unp->head->qlen--;
		unp->head = NULL;
	}
	while (!list_empty(&unp->pendq))
		unp_drop_locked(list_entry(list_first(&unp->pendq), struct unpcb, pendlink), reap);
	while (!list_empty(&unp->refs)) {
		struct unpcb *r = list_entry(list_first(&unp->refs), struct unpcb, reflink);
		unp_dgram_orphan_locked(r, unp->peer == r);
	}
	unp_disconnect_locked(unp);
	unp_flush_locked(unp, reap);
	wakeup(UNP_CHAN_SPACE(unp));            /* senders waiting for room here: it is gone */
	unp_free(unp);
}

/* --------------------------------------------------------- creating */

int unp_create(int type, int flags, struct file **fpp)
{
	struct unpcb *unp = unp_alloc(type);
	if (unp == NULL)
		return -ENOMEM;
	struct file *fp = file_alloc(&unp_fileops, unp, O_RDWR | (flags & O_NONBLOCK));
	if (fp == NULL) {
		unp_free(unp);
		return -ENOMEM;
	}
	spinlock_acquire(&unp_lock);
	unp->file = fp;
	list_push_back(&unp_all, &unp->all);
	spinlock_release(&unp_lock);
	*fpp = fp;
	return 0;
}

int unp_socketpair(int type, int flags, struct file **fpa, struct file **fpb)
{
	int r = unp_create(type, flags, fpa);
	if (r < 0)
		return r;
	r = unp_create(type, flags, fpb);
	if (r < 0) {
		file_release(*fpa);
		return r;
	}
	spinlock_acquire(&unp_lock);
	unp_connect_pair_locked((*fpa)->data, (*fpb)->data);
	spinlock_release(&unp_lock);
	return 0;
}

/* ------------------------------------------------- listen, connect, accept */

int unp_listen(struct unpcb *unp, int backlog)
{
	int r = 0;
	spinlock_acquire(&unp_lock);
	if (!unp_connection_oriented(unp))
		r = -EOPNOTSUPP;
	else if (unp->path == NULL || (unp->flags & UNP_CONNECTED))
		r = -EINVAL;
	if (r == 0) {
		unp->flags |= UNP_LISTENING;
		unp->qlimit = MIN(MAX(backlog, 0), SOMAXCONN);
		unp_creds(&unp->cred);          /* what connecting clients see */
	}
	spinlock_release(&unp_lock);
	return r;
}

/* Can unp connect to the listener bound to name?  0 with *lsnp, or -errno. */
static int unp_connect_check_locked(struct unpcb *unp, struct unp_name *name,
    struct unpcb **lsnp)
{
	spinlock_assert_held(&unp_lock);
	if (unp->flags & UNP_LISTENING)
		return -EINVAL;
	if (unp->flags & UNP_CONNECTED)
		return -EISCONN;
	int r = unp_lookup_locked(name, unp->type, lsnp);
	if (r < 0)
		return r;
	if (!((*lsnp)->flags & UNP_LISTENING) || (*lsnp)->qlen > (*lsnp)->qlimit)
		return -ECONNREFUSED;           /* not listening, or the backlog is full */
	return 0;
}

/* The server's end srv waits in lsn's accept queue, connected to unp. */
static void unp_connect_pending_locked(struct unpcb *unp, struct unpcb *lsn, struct unpcb *srv)
{
	spinlock_assert_held(&unp_lock);
	srv->cred = lsn->cred;
	srv->rcv_hiwat = lsn->rcv_hiwat;
	srv->snd_hiwat = lsn->snd_hiwat;
	srv->head = lsn;
	list_push_back(&lsn->pendq, &srv->pendlink);
	lsn->qlen++;
	list_push_back(&unp_all, &srv->all);
	unp_creds(&unp->cred);
	unp_connect_pair_locked(unp, srv);
	wakeup(UNP_CHAN_ACCEPT(lsn));
}

static int unp_connect_stream(struct unpcb *unp, struct unp_name *name)
{
	struct unpcb *lsn, *srv = unp_alloc(unp->type);
	if (srv == NULL)
		return -ENOMEM;
	spinlock_acquire(&unp_lock);
	int r = unp_connect_check_locked(unp, name, &lsn);
	if (r == 0)
		unp_connect_pending_locked(unp, lsn, srv);
	spinlock_release(&unp_lock);
	if (r < 0)
		unp_free(srv);
	else
		poll_wakeup();                  /* the listener is readable now */
	return r;
}

/* A datagram connect: only the default destination (and its refs list). */
static int unp_connect_dgram(struct unpcb *unp, struct unp_name *name)
{
	struct unpcb *dst;
	spinlock_acquire(&unp_lock);
	int r = unp_lookup_locked(name, unp->type, &dst);
	if (r == 0) {
		if (unp->peer != NULL)
			list_remove(&unp->reflink);
		unp->peer = dst;
		list_push_back(&dst->refs, &unp->reflink);
		unp->flags |= UNP_CONNECTED | UNP_WASCONNECTED | UNP_HAVEPEERCRED;
		unp->peercred = dst->cred;
	}
	spinlock_release(&unp_lock);
	return r;
}

/* Connections complete at once, so nonblock changes nothing. */
int unp_connect(struct unpcb *unp, const char *path, bool nonblock __unused)
{
	char *abspath = NULL;
	struct unp_name *name;
	int r = unp_normalize(path, &abspath);
	if (r < 0)
		return r;
	r = unp_name_find(abspath, &name);
	kfree(abspath);
	if (r < 0)
		return r;
	if (unp_connection_oriented(unp))
		r = unp_connect_stream(unp, name);
	else
		r = unp_connect_dgram(unp, name);
	unp_name_put(name);
	return r;
}

/* Wait for a pending connection; returns it taken off the queue. */
static int unp_accept_wait_locked(struct unpcb *lsn, bool nonblock, struct unpcb **srvp)
{
	spinlock_assert_held(&unp_lock);
	for (;;) {
		if (!(lsn->flags & UNP_LISTENING))
			return -EINVAL;
		if (!list_empty(&lsn->pendq))
			break;
		if (nonblock)
			return -EAGAIN;
		int r = sleep_on(UNP_CHAN_ACCEPT(lsn), &unp_lock, true);
		if (r < 0)
			return r;
	}
	struct unpcb *srv = list_entry(list_pop_front(&lsn->pendq), struct unpcb, pendlink);
	lsn->qlen--;
	srv->head = NULL;
	*srvp = srv;
	return 0;
}

/*
 * accept(2): the file is made first (it cannot fail under the lock), then
 * the oldest pending connection gets it.  peerpath receives the client's
 * bound path ("" if none).  The new file is the caller's.
 */
int unp_accept(struct unpcb *unp, bool nonblock, int flags, struct file **fpp,
    char *peerpath, size_t peerpath_size)
{
	struct unpcb *srv;
	struct file *fp = file_alloc(&unp_fileops, NULL, O_RDWR | (flags & O_NONBLOCK));
	if (fp == NULL)
		return -ENOMEM;
	spinlock_acquire(&unp_lock);
	int r = unp_accept_wait_locked(unp, nonblock, &srv);
	if (r == 0) {
		srv->file = fp;
		fp->data = srv;
		peerpath[0] = '\0';
		if (srv->peer != NULL && srv->peer->path != NULL)
			strlcpy(peerpath, srv->peer->path, peerpath_size);
	}
	spinlock_release(&unp_lock);
	if (r < 0) {
		file_release(fp);
		return r;
	}
	*fpp = fp;
	return 0;
}

int unp_shutdown(struct unpcb *unp, int how)
{
	if (how != SHUT_RD && how != SHUT_WR && how != SHUT_RDWR)
		return -EINVAL;
	spinlock_acquire(&unp_lock);
	struct unpcb *peer = unp->peer;
	if (unp_connection_oriented(unp) && !(unp->flags & UNP_CONNECTED)) {
		spinlock_release(&unp_lock);
		return -ENOTCONN;
	}
	bool mutual = peer != NULL && peer->peer == unp;
	if (how != SHUT_WR) {
		unp->flags |= UNP_CANTRCV;
		if (mutual)
			peer->flags |= UNP_CANTSEND;
	}
	if (how != SHUT_RD) {
		unp->flags |= UNP_CANTSEND;
		if (mutual)
			peer->flags |= UNP_CANTRCV;
	}
	wakeup(UNP_CHAN_RCV(unp));
	wakeup(UNP_CHAN_SPACE(unp));
	if (mutual) {
		wakeup(UNP_CHAN_RCV(peer));
		wakeup(UNP_CHAN_SPACE(peer));
	}
	spinlock_release(&unp_lock);
	poll_wakeup();
	return 0;
}

/* ------------------------------------------------- addresses and options */

int unp_getaddr(struct unpcb *unp, bool peer, char *out, size_t size)
{
	int r = 0;
	spinlock_acquire(&unp_lock);
	struct unpcb *u = peer ? unp->peer : unp;
	if (u == NULL)
		r = -ENOTCONN;
	else
		strlcpy(out, u->path ? u->path : "", size);
	spinlock_release(&unp_lock);
	return r;
}

/* An int-valued option: -ENOPROTOOPT if name is not one. */
static int unp_getsockopt_int(struct unpcb *unp, int name, int *v)
{
	switch (name) {
	case SO_TYPE:           *v = unp->type; return 0;
	case SO_SNDBUF:         *v = (int)unp->snd_hiwat; return 0;
	case SO_RCVBUF:         *v = (int)unp->rcv_hiwat; return 0;
	case SO_ACCEPTCONN:     *v = (unp->flags & UNP_LISTENING) != 0; return 0;
	case SO_DOMAIN:         *v = AF_UNIX; return 0;
	case SO_RCVLOWAT:       *v = 1; return 0;
	case SO_SNDLOWAT:       *v = UNP_LOWAT; return 0;
	case SO_ERROR:
		*v = unp->so_error;
		unp->so_error = 0;
		return 0;
	case SO_PROTOCOL: case SO_PASSCRED: case SO_REUSEADDR: case SO_KEEPALIVE:
	case SO_DEBUG: case SO_DONTROUTE: case SO_BROADCAST:
		*v = 0;
		return 0;
	default:
		return -ENOPROTOOPT;
	}
}

/* getsockopt(SOL_SOCKET): val has room for any option; *len in/out. */
int unp_getsockopt(struct unpcb *unp, int name, void *val, size_t *len)
{
	int v, r = 0;
	spinlock_acquire(&unp_lock);
	if (name == SO_PEERCRED) {
		if (unp->flags & UNP_HAVEPEERCRED) {
			memcpy(val, &unp->peercred, sizeof(struct ucred));
			*len = MIN(*len, sizeof(struct ucred));
		} else {
			r = -ENOTCONN;
		}
	} else if (name == SO_LINGER) {
		memset(val, 0, 8);              /* struct linger: off */
		*len = MIN(*len, (size_t)8);
	} else if ((r = unp_getsockopt_int(unp, name, &v)) == 0) {
		memcpy(val, &v, sizeof(v));
		*len = MIN(*len, sizeof(v));
	}
	spinlock_release(&unp_lock);
	return r;
}

/* setsockopt(SOL_SOCKET): the buffer sizes count; the common others are
 * accepted and change nothing. */
int unp_setsockopt(struct unpcb *unp, int name, const void *val, size_t len)
{
	int v;
	if (len < sizeof(int))
		return -EINVAL;
	memcpy(&v, val, sizeof(v));
	size_t size = (size_t)MIN(MAX(v, UNP_BUF_MIN), UNP_BUF_MAX);
	switch (name) {
	case SO_SNDBUF:
	case SO_RCVBUF:
		spinlock_acquire(&unp_lock);
		if (name == SO_SNDBUF)
			unp->snd_hiwat = size;
		else
			unp->rcv_hiwat = size;
		wakeup(UNP_CHAN_SPACE(unp));
		spinlock_release(&unp_lock);
		poll_wakeup();                  /* a peer may be writable now */
		return 0;
	case SO_LINGER:
		return len < 8 ? -EINVAL : 0;
	case SO_PASSCRED: case SO_REUSEADDR: case SO_KEEPALIVE: case SO_DEBUG:
	case SO_DONTROUTE: case SO_BROADCAST: case SO_RCVLOWAT: case SO_SNDLOWAT:
		return 0;
	default:
		return -ENOPROTOOPT;
	}
}

/* ----------------------------------------------------------- file ops */

static long unp_read(struct file *fp, void __user *buf, size_t n)
{
	struct unp_uio uio;
	struct unp_recvargs ra = { .uio = &uio };
	unp_uio_single(&uio, buf, n);
	return unp_recv(fp, &ra);
}

static long unp_write(struct file *fp, const void __user *buf, size_t n)
{
	struct unp_uio uio;
	struct unp_sendargs sa = { .uio = &uio };
	unp_uio_single(&uio, (void __user *)buf, n);
	return unp_send(fp, &sa);
}

static int unp_stat(struct file *fp, struct stat *st)
{
	struct unpcb *unp = fp->data;
	file_stat_init(st);
	st->st_mode = S_IFSOCK | 0777;
	st->st_ino = (uint64_t)(uintptr_t)unp >> 4;
	spinlock_acquire(&unp_lock);            /* listen() may be changing cred */
	st->st_uid = unp->cred.uid;
	st->st_gid = unp->cred.gid;
	spinlock_release(&unp_lock);
	return 0;
}

/* Would a send of at least one byte go ahead without waiting? */
static bool unp_writable_locked(struct unpcb *unp)
{
	spinlock_assert_held(&unp_lock);
	if (unp->flags & UNP_CANTSEND)
		return true;                    /* it fails at once */
	struct unpcb *dst = unp->peer;
	if (dst == NULL)
		return !unp_connection_oriented(unp) || (unp->flags & UNP_WASCONNECTED);
	return (dst->flags & UNP_CANTRCV) ||
	    unp_fits_locked(dst, MIN((size_t)UNP_LOWAT, dst->rcv_hiwat));
}

static int unp_poll(struct file *fp, int events)
{
	struct unpcb *unp = fp->data;
	int revents = 0;
	spinlock_acquire(&unp_lock);
	if (unp->flags & UNP_LISTENING) {
		if (!list_empty(&unp->pendq))
			revents |= POLLIN | POLLRDNORM;
	} else {
		if (!list_empty(&unp->rcvq) || (unp->flags & UNP_CANTRCV))
			revents |= POLLIN | POLLRDNORM;
		if (unp_writable_locked(unp))
			revents |= POLLOUT | POLLWRNORM;
		if (unp->so_error != 0)
			revents |= POLLERR;
		if (unp_connection_oriented(unp) && (unp->flags & UNP_WASCONNECTED) &&
		    (!(unp->flags & UNP_CONNECTED) ||
		     (unp->flags & (UNP_CANTRCV | UNP_CANTSEND)) == (UNP_CANTRCV | UNP_CANTSEND)))
			revents |= POLLHUP;
	}
	spinlock_release(&unp_lock);
	return revents & (events | POLLERR | POLLHUP);
}

/* The last reference to the file is gone: the socket goes with it. */
static void unp_close(struct file *fp)
{
	struct unpcb *unp = fp->data;
	struct list reap = LIST_INIT(reap);
	if (unp == NULL)
		return;                         /* an accept() that found nothing */
	spinlock_acquire(&unp_lock);
	unp->file = NULL;
	unp_drop_locked(unp, &reap);
	spinlock_release(&unp_lock);
	unp_reap(&reap);
}

static const struct file_ops unp_fileops = {
	.name = "unix socket",
	.read = unp_read,
	.write = unp_write,
	.lseek = file_lseek_notsupp,
	.stat = unp_stat,
	.ioctl = file_ioctl_notsupp,
	.poll = unp_poll,
	.mmap = file_mmap_notsupp,
	.truncate = file_truncate_notsupp,
	.chmod = file_chmod_notsupp,
	.chown = file_chown_notsupp,
	.close = unp_close,
};

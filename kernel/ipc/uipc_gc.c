/*
 * uipc_gc.c - SCM_RIGHTS: descriptors in flight, what they cost, and the
 * garbage collector that frees cycles of them.
 *
 * In flight.  sendmsg() with an SCM_RIGHTS record turns each descriptor
 * into a reference on its struct file (unp_internalize, fd_get's
 * reference) and queues them with the data on the receiver.  From the
 * moment the record is queued (unp_rights_enter_locked) until it is
 * received or thrown away (unp_rights_leave_locked), each reference is
 * counted three ways, all under unp_lock:
 *
 *   fp->msgcount                per file (FreeBSD's f_msgcount): how many
 *                               of fp's references are inside messages;
 *   UI_FDS_IN_FLIGHT            per user (kern/uidinfo.h), charged to the
 *                               sender: past UNP_INFLIGHT_USER_MAX,
 *                               ETOOMANYREFS, so
 *                               no one can pin all memory by stuffing
 *                               descriptors (sockets with full buffers,
 *                               shm objects) into queues nobody reads;
 *   COUNTER(fds_in_flight)      the total, for the leak checks.
 *
 * Why cycles need collecting.  A file lives while it has references, and a
 * message's references live while the message is queued.  Send socket A
 * over A itself, close A's descriptor, and the only reference left to A is
 * in A's own receive queue -- which only A's owner could ever read.
 * Nothing will ever free it: reference counting cannot see cycles.  The
 * same happens with two sockets each sent over the other, and with a
 * listening socket sent over a connection still waiting in its own accept
 * queue.  Only a tracing collector can tell such files apart from files
 * that are in flight on their way to someone.
 *
 * The collector is a mark and sweep over every socket, as FreeBSD's
 * unp_gc.  The roots are the sockets someone can still reach from
 * outside the queues: those whose file has more references than
 * messages hold (refcount > msgcount: a descriptor, a system call in
 * progress, a receiver installing it).  Marking follows two kinds of
 * edges: from a socket to every socket whose file sits in a record of its
 * receive queue, and from a listener to the connections waiting in its
 * accept queue (they have no file of their own yet).  Every socket left
 * unmarked that has a file is garbage: all its references are in queues
 * that no root can reach.  The sweep empties the queues of every garbage
 * socket at once (and drops the connections waiting on garbage
 * listeners): the references in the queues were what kept the cycles
 * alive, so everything in them dies when those references are released.
 * All of them at once matters: a garbage socket held only by a message
 * in another garbage socket's queue dies only when that queue is emptied,
 * so a sweep of part of the garbage could find the same part again and
 * again, for ever (the stateful fuzzer found a collector that swept 32 at
 * a time doing exactly that).
 *
 * When it runs: when a release leaves a socket file with nothing but
 * in-flight references (the file layer's in-flight hook, kern/file.h) --
 * that is the one moment a socket can become garbage.  Closing a socket
 * with records queued releases their files, which may fire the hook for
 * them in turn.  A collection that causes such releases is not re-entered;
 * it notes the request (unp_gc_again) and makes another pass.
 *
 * Correctness under concurrency: everything the marking reads (queues,
 * msgcount, the socket list) changes only under unp_lock, which the mark
 * phase holds throughout.  refcount changes without it, but an in-flight-
 * only file has no descriptor, so nobody can raise its refcount except
 * a receiver -- and a receiver installs descriptors *before* it takes the
 * record off its queue (unp_rights_leave_locked), so for that whole time
 * refcount > msgcount and the file is a root.
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/string.h"
#include "kern/counters.h"
#include "kern/file.h"
#include "kern/fdtable.h"
#include "kern/uidinfo.h"
#include "ipc/uipc_usrreq.h"
#include "vm/kmem.h"

/* ------------------------------------------------------- internalizing */

#if 1 /* LAB passfd: BEGIN */
/* Count the descriptors of every SCM_RIGHTS record; -EINVAL if malformed. */
static int rights_count(const char *control, size_t len, int *np)
{
	size_t off = 0;
	int n = 0;
	while (off + sizeof(struct cmsghdr) <= len) {
		const struct cmsghdr *c = (const void *)(control + off);
		if (c->cmsg_len < CMSG_LEN(0) || c->cmsg_len > len - off)
			return -EINVAL;
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			return -EINVAL;
		n += (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
		if (n > UNP_RIGHTS_MAX)
			return -EINVAL;
		off += CMSG_ALIGN(c->cmsg_len);
	}
	*np = n;
	return 0;
}

/* Take a reference for each descriptor, in order, into files[]. */
static int rights_get(const char *control, size_t len, struct file **files)
{
	size_t off = 0;
	int n = 0;
	while (off + sizeof(struct cmsghdr) <= len) {
		const struct cmsghdr *c = (const void *)(control + off);
		const int *fds = (const int *)CMSG_DATA(c);
		size_t k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < k; i++) {
			int r = fd_get(fds[i], &files[n]);
			if (r < 0) {
				unp_rights_free(files, n);
				return r;
			}
			n++;
		}
		off += CMSG_ALIGN(c->cmsg_len);
	}
	return 0;
}

int unp_internalize(const void *control, size_t len, struct file ***filesp, int *np)
{
	int n = 0;
	*filesp = NULL;
	*np = 0;
	int r = rights_count(control, len, &n);
	if (r < 0 || n == 0)
		return r;
	struct file **files = kmalloc((size_t)n * sizeof(*files), 0);
	if (files == NULL)
		return -ENOMEM;
	r = rights_get(control, len, files);       /* frees files on failure */
	if (r < 0)
		return r;
	*filesp = files;
	*np = n;
	return 0;
}
#else /* LAB passfd: STUB */
/*
 * LAB passfd: turn the SCM_RIGHTS records of a sendmsg's control buffer
 * (in kernel memory already: control_copyin) into file references,
 * *filesp (kmalloc'd) and *np, as uipc_usrreq.h says.  Walk the records
 * with CMSG_LEN/CMSG_ALIGN/CMSG_DATA (uapi/socket.h): each must fit in
 * what is left of the buffer, be SOL_SOCKET/SCM_RIGHTS, and all of them
 * together carry at most UNP_RIGHTS_MAX descriptors (EINVAL otherwise).
 * Check everything before taking any reference; then take one per
 * descriptor, in order (fd_get: EBADF, and release what you took).  No
 * records at all: 0 with *filesp NULL and *np 0.
 *
 * The stub refuses every control buffer.
 */
int unp_internalize(const void *control, size_t len, struct file ***filesp, int *np)
{
	(void)control;
	(void)len;
	*filesp = NULL;
	*np = 0;
	return -ENOSYS;
}
#endif /* LAB passfd: END */

void unp_rights_free(struct file **files, int n)
{
	for (int i = 0; i < n; i++)
		file_release(files[i]);
	kfree(files);
}

/* ------------------------------------------------------- the accounting */

static int unp_rights_total;            /* (g) all descriptors in flight */

#if 1 /* LAB passfd: BEGIN */
static void msgcount_add(struct file *fp, int n)
{
	__atomic_add_fetch(&fp->msgcount, n, __ATOMIC_RELAXED);
}

int unp_rights_enter_locked(struct unp_msg *m, uid_t uid)
{
	spinlock_assert_held(&unp_lock);
	KASSERT(spinlock_held(&unp_lock), "unp_rights_enter_locked: unp_lock not held");
	KASSERT(!m->inflight, "unp_rights_enter_locked: already in flight");
	if (m->nfiles == 0)
		return 0;
	int err = uidinfo_charge(uid, UI_FDS_IN_FLIGHT, m->nfiles, UNP_INFLIGHT_USER_MAX);
	if (err)
		return err == -EDQUOT ? -ETOOMANYREFS : err;
	m->charged = uid;
	m->inflight = true;
	for (int i = 0; i < m->nfiles; i++)
		msgcount_add(m->files[i], 1);
	unp_rights_total += m->nfiles;
	COUNTER_ADD(fds_in_flight, m->nfiles);
	return 0;
}

void unp_rights_leave_locked(struct unp_msg *m)
{
	spinlock_assert_held(&unp_lock);
	KASSERT(spinlock_held(&unp_lock), "unp_rights_leave_locked: unp_lock not held");
	if (!m->inflight)
		return;
	uidinfo_charge(m->charged, UI_FDS_IN_FLIGHT, -m->nfiles, UIDINFO_NO_LIMIT);
	for (int i = 0; i < m->nfiles; i++)
		msgcount_add(m->files[i], -1);
	unp_rights_total -= m->nfiles;
	COUNTER_ADD(fds_in_flight, -m->nfiles);
	m->inflight = false;    /* the references stay in m->files for the caller */
}
#else /* LAB passfd: STUB */
/*
 * LAB passfd: the three counts of the essay above, all under unp_lock.
 *
 * unp_rights_enter_locked(m, uid): m's m->nfiles references go in flight
 * (nothing to do without any).  Charge them to uid first
 * (uidinfo_charge with UI_FDS_IN_FLIGHT, bounded by
 * UNP_INFLIGHT_USER_MAX; -EDQUOT from it is ETOOMANYREFS to the sender),
 * remember the charge in m->charged, set m->inflight, add one to each
 * file's msgcount (atomically: it is read without the lock), and add
 * them to unp_rights_total and to the fds_in_flight counter.
 *
 * unp_rights_leave_locked(m): the exact reverse, for a message that is
 * in flight (else nothing); the references themselves stay in m->files.
 *
 * The collector (below) finds its roots by comparing each file's
 * refcount with its msgcount: without these counts it sees nothing in
 * flight.  The stubs never have anything to count: the stub of
 * unp_internalize lets no descriptor in.
 */
int unp_rights_enter_locked(struct unp_msg *m, uid_t uid)
{
	spinlock_assert_held(&unp_lock);
	(void)uid;
	return m->nfiles == 0 ? 0 : -ENOSYS;
}

void unp_rights_leave_locked(struct unp_msg *m)
{
	spinlock_assert_held(&unp_lock);
	(void)m;
}
#endif /* LAB passfd: END */

void unp_rights_release(struct unp_msg *m)
{
	KASSERT(!m->inflight, "unp_rights_release: still in flight");
	if (m->files == NULL)
		return;
	unp_rights_free(m->files, m->nfiles);
	m->files = NULL;
	m->nfiles = 0;
}

/* ------------------------------------------------------------ the collector */

static bool unp_gc_running;             /* (g) a collection is in progress */
static bool unp_gc_again;               /* (g) someone asked meanwhile */


static bool gc_is_root(struct unpcb *unp)
{
	struct file *fp = unp->file;
	return fp != NULL && __atomic_load_n(&fp->refcount, __ATOMIC_RELAXED) >
	    __atomic_load_n(&fp->msgcount, __ATOMIC_RELAXED);
}

static void gc_mark(struct unpcb *unp)
{
	unp->gc_marked = true;
}

/* Mark what unp's queues reach. */
static void gc_scan(struct unpcb *unp)
{
	list_foreach(&unp->rcvq, n) {
		struct unp_msg *m = list_entry(n, struct unp_msg, link);
		for (int i = 0; m->inflight && i < m->nfiles; i++)
			if (unp_is_socket(m->files[i]) && m->files[i]->data != NULL)
				gc_mark(m->files[i]->data);
	}
	list_foreach(&unp->pendq, n)
		gc_mark(list_entry(n, struct unpcb, pendlink));
	unp->gc_scanned = true;
}

/* Mark every socket reachable from a root.  unp_lock held.  A scan may
 * mark sockets earlier in the list, so repeat until a pass scans nothing. */
static void gc_mark_all(void)
{
	list_foreach(&unp_all, n) {
		struct unpcb *unp = list_entry(n, struct unpcb, all);
		unp->gc_marked = gc_is_root(unp);
		unp->gc_scanned = false;
	}
	for (bool more = true; more;) {
		more = false;
		list_foreach(&unp_all, n) {
			struct unpcb *unp = list_entry(n, struct unpcb, all);
			if (unp->gc_marked && !unp->gc_scanned) {
				gc_scan(unp);
				more = true;
			}
		}
	}
}

/* Unmarked, with a file whose references are all in flight: garbage. */
static bool gc_is_garbage(struct unpcb *unp)
{
	return !unp->gc_marked && unp->file != NULL &&
	    __atomic_load_n(&unp->file->msgcount, __ATOMIC_RELAXED) > 0;
}

/*
 * Empty the receive queue of every garbage socket onto reap.  No reference
 * on the sockets is needed: nothing can free them while unp_lock is held,
 * and once it is dropped they are nobody's business here -- reap holds the
 * messages, and releasing those is what frees the sockets.  (g) held.
 * Answers how many garbage sockets there were.
 */
static int gc_flush_garbage(struct list *reap)
{
	int n = 0;
	list_foreach(&unp_all, node) {
		struct unpcb *unp = list_entry(node, struct unpcb, all);
		if (gc_is_garbage(unp)) {
			unp_flush_locked(unp, reap);
			n++;
		}
	}
	return n;
}

/*
 * Drop the connections waiting in garbage listeners' accept queues.  They
 * are on unp_all themselves, so the walk starts over after each.  (g) held.
 */
static void gc_drop_pending(struct list *reap)
{
	for (bool more = true; more;) {
		more = false;
		list_foreach(&unp_all, node) {
			struct unpcb *unp = list_entry(node, struct unpcb, all);
			if (gc_is_garbage(unp) && !list_empty(&unp->pendq)) {
				unp_drop_locked(list_entry(list_first(&unp->pendq), struct unpcb,
				    pendlink), reap);
				more = true;
				break;
			}
		}
	}
}

/* One mark and sweep. */
static void gc_pass(void)
{
	struct list reap = LIST_INIT(reap);
	spinlock_acquire(&unp_lock);
	gc_mark_all();
	gc_flush_garbage(&reap);
	gc_drop_pending(&reap);
	spinlock_release(&unp_lock);
	unp_reap(&reap);                /* the queues' references: the cycles break */
}

void unp_gc(void)
{
	spinlock_acquire(&unp_lock);
	if (unp_gc_running) {
		unp_gc_again = true;    /* the running collection makes another pass */
		spinlock_release(&unp_lock);
		return;
	}
	unp_gc_running = true;
	bool again = unp_rights_total > 0;
	while (again) {
		unp_gc_again = false;
		spinlock_release(&unp_lock);
		gc_pass();
		spinlock_acquire(&unp_lock);
		again = unp_gc_again && unp_rights_total > 0;
	}
	unp_gc_running = false;
	spinlock_release(&unp_lock);
}

/* The file layer's in-flight hook: only a socket can hold others in a cycle. */
static void unp_gc_inflight_hook(const struct file_ops *ops)
{
	if (unp_is_socket_ops(ops))
		unp_gc();
}

void unp_gc_init(void)
{
	file_register_inflight_hook(unp_gc_inflight_hook);
}

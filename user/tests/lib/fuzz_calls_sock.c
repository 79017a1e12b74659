/*
 * fuzz_calls_sock.c - UNIX sockets: making them, naming them, connecting
 * them, and passing descriptors over them.
 *
 * SCM_RIGHTS is where descriptor lifetimes get interesting, so sendmsg
 * carries descriptors about half the time: one to sixteen of them (now
 * and then the limit, 253, or one past it), drawn from everything the
 * process holds, with a preference for sockets -- the socket itself (a
 * socket in its own queue: a cycle only the collector can free), its
 * peer, sockets already sitting in other queues, shm objects, pipes.
 * recvmsg takes them back out and adds whatever arrives to the table,
 * after asking fstat what it is; so a descriptor can travel, be received
 * by a child, be sent on again.
 *
 * Addresses come in every form the kernel must accept -- with and without
 * the NUL, sun_path filled to the last byte, "/tmp/./x", "/bin/../tmp/x", a
 * relative path -- and all of them name one of the round's names
 * (fuzz_names.c), because the supervisor can only clean up names it
 * knows.  Forms that must fail (no path, the wrong family, a boot fs
 * path, an unterminated path too long) name nothing.
 */
#include "fuzz_impl.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include "uapi/syscall.h"

#define SUN_OFF   offsetof(struct sockaddr_un, sun_path)
#define SUN_LEN_  sizeof(((struct sockaddr_un *)0)->sun_path)

/* A bound stream or seqpacket socket: one that could listen. */
static bool is_bound(const struct fz_fd *f)
{
	return f->type == FZ_FD_SOCK && (f->state & FZ_SO_BOUND) && f->sotype != SOCK_DGRAM;
}

static bool is_unbound(const struct fz_fd *f)
{
	return f->type == FZ_FD_SOCK && !(f->state & (FZ_SO_BOUND | FZ_SO_CONN));
}

/* The socket type connect() wants (a predicate has no other argument). */
static int wanted_type;

static bool is_unbound_of_wanted_type(const struct fz_fd *f)
{
	return is_unbound(f) && f->sotype == wanted_type;
}

/* The type of the socket this process bound to name n (a listener if any), or 0. */
static int bound_type(int n)
{
	int type = 0;

	for (int fd = 0; fd < FZ_FDS; fd++) {
		const struct fz_fd *f = &fz.fds[fd];

		if (f->type == FZ_FD_SOCK && (f->state & FZ_SO_BOUND) && f->name == n) {
			type = f->sotype;
			if (f->state & FZ_SO_LISTEN)
				break;
		}
	}
	return type;
}

static bool is_connected(const struct fz_fd *f)
{
	return f->type == FZ_FD_SOCK && (f->state & FZ_SO_CONN);
}

static int sock_type(struct fz_rng *r)
{
	static const int types[] = {
		SOCK_STREAM, SOCK_STREAM, SOCK_STREAM, SOCK_DGRAM, SOCK_DGRAM,
		SOCK_SEQPACKET, SOCK_SEQPACKET,
	};
	return FZ_PICK(r, types);
}

static int sock_flags(struct fz_rng *r)
{
	return (fz_percent(r, 30) ? SOCK_NONBLOCK : 0) | (fz_percent(r, 10) ? SOCK_CLOEXEC : 0);
}

static void add_socket(int fd, int type, int flags, int state)
{
	struct fz_fd *f = fz_fd_add(fd, FZ_FD_SOCK);

	if (f == NULL)
		return;
	f->sotype = (uint8_t)type;
	f->state = (uint8_t)state;
	if (flags & SOCK_NONBLOCK)
		f->state |= FZ_SO_NONBLOCK;
}

/* Would a blocking socket call wait?  (Only for blocking sockets, mostly.) */
static bool sock_would_block(struct fz_call *c, int fd, short events, int flags)
{
	struct fz_fd *f = fz_fd_get(fd);
	struct pollfd p = { fd, events, 0 };

	if ((flags & MSG_DONTWAIT) || f == NULL || (f->state & FZ_SO_NONBLOCK) ||
	    !fz_percent(&c->r, 97))
		return false;
	return fz_sys3(SYS_poll, &p, 1, 0) == 0;
}

/* ------------------------------------------------------------ addresses */

static int sock_name_pick(struct fz_call *c)
{
	return fz_percent(&c->r, 5) ? FZ_NAMES : fz_names_pick(c);
}

/*
 * A name to reach: mostly one this process bound (and listens on); else
 * often one that, the shared record says, someone else bound (which makes
 * the choice depend on other processes' timing, but processes of a round
 * should talk to each other).
 */
static int peer_name_pick(struct fz_call *c)
{
	unsigned mask = fz.sock_listening ? fz.sock_listening : fz.sock_bound;

	if (mask != 0 && fz_percent(&c->r, 70))
		return fz_names_pick_known(c, mask, 100);
	if (fz_percent(&c->r, 60))
		return fz_names_pick_known(c, fz_names_sock_existing(), 100);
	return sock_name_pick(c);
}

/*
 * Fill sun with one of the ways to write name n; answers the address
 * length.  The long name (n == FZ_NAMES) fills sun_path without a NUL.
 */
static unsigned name_addr(struct fz_call *c, int n, struct sockaddr_un *sun)
{
	char path[SUN_LEN_ + 64], mine[SUN_LEN_ + 1];
	const char *base;
	size_t len;

	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	fz_sock_name(n, path, sizeof(path));
	if (n == FZ_NAMES) {
		memcpy(sun->sun_path, path, SUN_LEN_);
		return sizeof(*sun);
	}
	base = strrchr(fz_sock_name(n, mine, sizeof(mine)), '/');
	switch (fz_below(&c->r, 10)) {
	case 0:                                 /* "/bin/../tmp/fzS_n" */
		/* ".." after a directory that exists (and in another file
		 * system): after a socket's name, or a missing one, ".." is
		 * ENOTDIR or ENOENT, as on Linux, since the VFS resolves it in
		 * the tree rather than by erasing the name before it. */
		snprintf(path, sizeof(path), "/bin/../tmp%s", base);
		break;
	case 1:                                 /* "/tmp/./fzS_n" */
		snprintf(path, sizeof(path), "/tmp/.%s", base);
		break;
	case 2:                                 /* "tmp/fzS_n", relative to / */
		memmove(path, path + 1, strlen(path));
		break;
	default:
		break;
	}
	len = strlen(path);
	if (len >= SUN_LEN_)
		len = SUN_LEN_ - 1;
	memcpy(sun->sun_path, path, len);
	switch (fz_below(&c->r, 4)) {
	case 0:
		return (unsigned)(SUN_OFF + len);       /* no NUL */
	case 1:
		return sizeof(*sun);
	default:
		return (unsigned)(SUN_OFF + len + 1);
	}
}

/* An address that names nothing the round could own: it must fail. */
static unsigned bad_addr(struct fz_call *c, struct sockaddr_un *sun)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	switch (fz_below(&c->r, 6)) {
	case 0:
		return 1;                               /* shorter than the family */
	case 1:
		sun->sun_family = 2;                    /* AF_INET */
		strcpy(sun->sun_path, "/tmp/x");
		return sizeof(*sun);
	case 2:
		strcpy(sun->sun_path, "/bin/sh");       /* the boot fs has it */
		return sizeof(*sun);
	case 3:
		return (unsigned)SUN_OFF + 1;           /* empty path */
	case 4:
		memset(sun->sun_path, 'x', SUN_LEN_);   /* no NUL, length says more */
		return sizeof(*sun) + 8;
	default:
		return sizeof(*sun) + 0x20000;          /* absurd length */
	}
}

/* --------------------------------------------------------- making them */

long fz_call_socket(struct fz_call *c)
{
	int type = sock_type(&c->r), flags = sock_flags(&c->r), domain = AF_UNIX;
	long r;

	if (fz_percent(&c->r, 4))
		type = 3;                               /* SOCK_RAW: refused */
	if (fz_percent(&c->r, 3))
		domain = 2;                             /* AF_INET: refused */
	r = fz_sys3(SYS_socket, domain, type | flags, 0);
	fz_note(c, "(%d, %d|%#x)", domain, type, flags);
	if (r >= 0)
		add_socket((int)r, type, flags, 0);
	return r;
}

long fz_call_socketpair(struct fz_call *c)
{
	int type = sock_type(&c->r), flags = sock_flags(&c->r), sv[2];
	long r = fz_sys4(SYS_socketpair, AF_UNIX, type | flags, 0, sv);

	fz_note(c, "(%d|%#x)", type, flags);
	if (r == 0) {
		add_socket(sv[0], type, flags, FZ_SO_CONN);
		add_socket(sv[1], type, flags, FZ_SO_CONN);
		fz_note(c, " = [%d %d]", sv[0], sv[1]);
	}
	return r;
}

/* --------------------------------------------------------------- names */

long fz_call_bind(struct fz_call *c)
{
	struct sockaddr_un sun;
	int fd = fz_fd_pick(c, fz_percent(&c->r, 80) ? is_unbound : fz_is_sock);
	int n = sock_name_pick(c);
	unsigned len;
	long r;

	if (fz_percent(&c->r, 8)) {
		len = bad_addr(c, &sun);
		fz_note(c, "(%d, bad address, %u)", fd, len);
		return fz_sys3(SYS_bind, fd, &sun, len);
	}
	len = name_addr(c, n, &sun);
	fz_note(c, "(%d, %.*s, %u)", fd, (int)SUN_LEN_, sun.sun_path, len);
	r = fz_names_bind(fd, n, &sun, len);
	if (r == 0) {
		struct fz_fd *f = fz_fd_get(fd);

		if (f != NULL) {
			f->state |= FZ_SO_BOUND;
			f->name = (int8_t)n;
		}
		fz.sock_bound |= 1u << n;
	}
	return r;
}

long fz_call_unlink(struct fz_call *c)
{
	struct sockaddr_un sun;
	char path[SUN_LEN_ + 1];
	int n = fz_percent(&c->r, 5) ? FZ_NAMES : fz_names_pick_known(c, fz.sock_bound, 50);
	long r;

	if (fz_percent(&c->r, 5)) {
		static const char *const bad[] = { "/bin/sh", "", "/tmp", "/" };
		const char *p = FZ_PICK(&c->r, bad);

		fz_note(c, "(\"%s\")", p);
		return fz_sys1(SYS_unlink, p);
	}
	name_addr(c, n, &sun);
	memcpy(path, sun.sun_path, SUN_LEN_);
	path[SUN_LEN_] = '\0';
	fz_note(c, "(%s)", path);
	r = fz_names_unlink(n, path);
	if (r == 0 || r == -ENOENT) {
		fz.sock_bound &= ~(1u << n);
		fz.sock_listening &= ~(1u << n);
	}
	return r;
}

long fz_call_listen(struct fz_call *c)
{
	static const int backlogs[] = { 0, 1, 2, 5, 128, -1, 100000 };
	int fd = fz_fd_pick(c, is_bound), backlog = FZ_PICK(&c->r, backlogs);
	long r = fz_sys2(SYS_listen, fd, backlog);

	struct fz_fd *f = fz_fd_get(fd);

	fz_note(c, "(%d, %d)", fd, backlog);
	if (r == 0 && f != NULL) {
		f->state |= FZ_SO_LISTEN;
		if (f->name >= 0)
			fz.sock_listening |= 1u << f->name;
	}
	return r;
}

long fz_call_connect(struct fz_call *c)
{
	struct sockaddr_un sun;
	int n = peer_name_pick(c), fd;
	unsigned len;
	long r;

	wanted_type = bound_type(n);            /* a type the other end accepts */
	if (wanted_type != 0 && fz_percent(&c->r, 80)) {
		fd = fz_fd_pick_live(c, is_unbound_of_wanted_type);
		if (fd < 0) {                   /* none: make one, as a client would */
			fd = (int)fz_sys3(SYS_socket, AF_UNIX, wanted_type, 0);
			if (fd >= 0)
				add_socket(fd, wanted_type, 0, 0);
			fz_note(c, " (new socket %d)", fd);
		}
	} else {
		fd = fz_percent(&c->r, 70) ? fz_fd_pick_live(c, is_unbound) : -1;
		if (fd < 0)
			fd = fz_fd_pick(c, fz_is_sock);
	}
	if (fz_percent(&c->r, 6)) {
		len = bad_addr(c, &sun);
		fz_note(c, "(%d, bad address, %u)", fd, len);
		return fz_sys3(SYS_connect, fd, &sun, len);
	}
	len = name_addr(c, n, &sun);
	r = fz_sys3(SYS_connect, fd, &sun, len);
	fz_note(c, "(%d, %.*s, %u)", fd, (int)SUN_LEN_, sun.sun_path, len);
	if (r == 0 && fz_fd_get(fd) != NULL)
		fz_fd_get(fd)->state |= FZ_SO_CONN;
	return r;
}

long fz_call_accept(struct fz_call *c)
{
	struct sockaddr_un sun;
	unsigned len = sizeof(sun);
	int fd = fz_fd_pick(c, fz_is_listener), flags = sock_flags(&c->r);
	struct fz_fd *l = fz_fd_get(fd);
	void *addr = NULL;
	unsigned *lenp = NULL;
	long r;

	if (fz_percent(&c->r, 55)) {
		addr = &sun;
		lenp = &len;
		if (fz_percent(&c->r, 10))
			len = 3;                        /* too short: truncated */
	}
	if (sock_would_block(c, fd, POLLIN, 0))
		return FZ_SKIP;
	if (fz_percent(&c->r, 50)) {
		r = fz_sys3(SYS_accept, fd, addr, lenp);
		flags = 0;
	} else {
		r = fz_sys4(SYS_accept4, fd, addr, lenp, flags);
	}
	fz_note(c, "(%d, %#x)", fd, flags);
	if (r >= 0)
		add_socket((int)r, l != NULL && l->sotype ? l->sotype : SOCK_STREAM, flags,
			   FZ_SO_CONN);
	return r;
}

long fz_call_shutdown(struct fz_call *c)
{
	static const int hows[] = { SHUT_RD, SHUT_WR, SHUT_RDWR, SHUT_RDWR, 7 };
	int fd = fz_fd_pick(c, fz_is_sock), how = FZ_PICK(&c->r, hows);

	fz_note(c, "(%d, %d)", fd, how);
	return fz_sys2(SYS_shutdown, fd, how);
}

long fz_call_sockopt(struct fz_call *c)
{
	static const int gets[] = {
		SO_TYPE, SO_ERROR, SO_PEERCRED, SO_RCVBUF, SO_SNDBUF, SO_ACCEPTCONN,
		SO_LINGER, SO_DOMAIN, 999,
	};
	static const int sizes[] = { 0, 2048, 4096, 65536, -1 };
	int fd = fz_fd_pick(c, fz_is_sock);
	unsigned char val[64];
	unsigned len = sizeof(val);
	int v;

	switch (fz_below(&c->r, 5)) {
	case 0:
	case 1: {
		int name = FZ_PICK(&c->r, gets);

		if (fz_percent(&c->r, 10))
			len = 2;
		fz_note(c, " get(%d, %d)", fd, name);
		return fz_sys6(SYS_getsockopt, fd, SOL_SOCKET, name, val, &len, 0);
	}
	case 2:
		v = FZ_PICK(&c->r, sizes);
		fz_note(c, " set(%d, %d)", fd, v);
		return fz_sys6(SYS_setsockopt, fd, fz_percent(&c->r, 95) ? SOL_SOCKET : 6,
			       fz_percent(&c->r, 50) ? SO_RCVBUF : SO_SNDBUF, &v, sizeof(v), 0);
	case 3:
		fz_note(c, " getsockname(%d)", fd);
		return fz_sys3(SYS_getsockname, fd, val, &len);
	default:
		fz_note(c, " getpeername(%d)", fd);
		return fz_sys3(SYS_getpeername, fd, val, &len);
	}
}

/* ------------------------------------------------------ sending, receiving */

static union {
	struct cmsghdr align;
	unsigned char buf[CMSG_SPACE(256 * sizeof(int)) * 2];
} control;

static bool is_sent(const struct fz_fd *f)
{
	return f->type == FZ_FD_SOCK && (f->state & FZ_SO_SENT);
}

/*
 * One descriptor to pass: the socket itself; one of the newest sockets
 * (in a loop: the one the previous iteration made, which links the
 * iterations into a chain); a socket already in some queue; anything we
 * hold; now and then garbage.
 */
static int right_pick(struct fz_call *c, int self)
{
	unsigned roll = fz_below(&c->r, 100);
	int fd = -1;

	if (roll < 20)
		return self;
	if (roll < 45)
		fd = fz_fd_pick_newest(c, fz_is_sock);
	else if (roll < 55)
		fd = fz_fd_pick_live(c, is_sent);
	else if (roll < 70)
		fd = fz_fd_pick_live(c, fz_is_sock);
	if (fd < 0 && roll < 97)
		fd = fz_fd_pick_live(c, fz_is_any);
	if (fd < 0)
		fd = fz_fd_pick(c, fz_is_any);        /* and now and then: garbage */
	return fd;
}

/* Append an SCM_RIGHTS record of n descriptors at off; answers the new length. */
static size_t add_rights(struct fz_call *c, size_t off, unsigned n, int self)
{
	struct cmsghdr *h = (struct cmsghdr *)(control.buf + off);
	int *fds = (int *)CMSG_DATA(h);

	h->cmsg_len = CMSG_LEN(n * sizeof(int));
	h->cmsg_level = SOL_SOCKET;
	h->cmsg_type = SCM_RIGHTS;
	for (unsigned i = 0; i < n; i++)
		fds[i] = i > 0 && fz_percent(&c->r, 20) ? fds[i - 1] : right_pick(c, self);
	fz_note(c, " rights[%d", n ? fds[0] : -1);
	for (unsigned i = 1; i < n && i < 6; i++)
		fz_note(c, " %d", fds[i]);
	fz_note(c, "%s]", n > 6 ? " ..." : "");
	return off + CMSG_SPACE(n * sizeof(int));
}

/* The control data of one sendmsg: none, rights, or something malformed. */
static size_t make_control(struct fz_call *c, int self)
{
	static const unsigned counts[] = { 1, 1, 1, 1, 2, 2, 2, 3, 4, 6, 8, 16 };
	unsigned roll = fz_below(&c->r, 100);
	struct cmsghdr *h = (struct cmsghdr *)control.buf;

	if (roll < 45)
		return 0;
	if (roll < 86)
		return add_rights(c, 0, FZ_PICK(&c->r, counts), self);
	if (roll < 92)
		return add_rights(c, add_rights(c, 0, FZ_PICK(&c->r, counts), self),
				  FZ_PICK(&c->r, counts), self);
	if (roll < 95)                          /* the limit, or one past it */
		return add_rights(c, 0, fz_percent(&c->r, 50) ? 253 : 254, self);
	add_rights(c, 0, 1, self);
	switch (fz_below(&c->r, 3)) {           /* malformed: EINVAL */
	case 0:
		h->cmsg_level = 0;
		break;
	case 1:
		h->cmsg_len = 4;
		break;
	default:
		h->cmsg_type = SCM_CREDENTIALS;
		break;
	}
	fz_note(c, " (malformed)");
	return CMSG_SPACE(sizeof(int));
}

/* The sockets of a message that went: they are in a queue now. */
static void mark_sent(struct msghdr *m)
{
	for (struct cmsghdr *h = CMSG_FIRSTHDR(m); h != NULL; h = CMSG_NXTHDR(m, h)) {
		if (h->cmsg_level != SOL_SOCKET || h->cmsg_type != SCM_RIGHTS)
			continue;
		size_t n = (h->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		const int *fds = (const int *)CMSG_DATA(h);
		for (size_t i = 0; i < n; i++) {
			struct fz_fd *f = fz_fd_get(fds[i]);

			if (f != NULL && f->type == FZ_FD_SOCK)
				f->state |= FZ_SO_SENT;
		}
	}
}

long fz_call_sendmsg(struct fz_call *c)
{
	static const size_t lens[] = {
		0, 1, 1, 1, 16, 16, 100, 100, 1000, 4096, 4096, 16384, 65536, 70000,
	};
	int fd = fz_fd_pick(c, fz_percent(&c->r, 60) ? is_connected : fz_is_sock);
	struct fz_fd *f = fz_fd_get(fd);
	size_t len = FZ_PICK(&c->r, lens);
	struct iovec iov[2] = { { fz_buf, len / 2 }, { fz_buf + len / 2, len - len / 2 } };
	struct sockaddr_un sun;
	struct msghdr m = { .msg_iov = iov, .msg_iovlen = fz_percent(&c->r, 70) ? 1 : 2 };
	int flags = (fz_percent(&c->r, 80) ? MSG_DONTWAIT : 0) |
		    (fz_percent(&c->r, 95) ? MSG_NOSIGNAL : 0);

	if (m.msg_iovlen == 1)
		iov[0].iov_len = len;
	if ((f != NULL && f->sotype == SOCK_DGRAM && !(f->state & FZ_SO_CONN)) ||
	    fz_percent(&c->r, 10)) {
		m.msg_name = &sun;
		m.msg_namelen = name_addr(c, peer_name_pick(c), &sun);
	}
	fz_note(c, "(%d, %zu bytes%s", fd, len, m.msg_name ? ", to a name" : "");
	m.msg_controllen = make_control(c, fd);
	m.msg_control = m.msg_controllen ? control.buf : NULL;
	fz_note(c, ")");
	if (fz_percent(&c->r, 3))
		iov[0].iov_base = (void *)0xffffffff80100000ul;   /* EFAULT */
	if (sock_would_block(c, fd, POLLOUT, flags))
		return FZ_SKIP;
	if (!(flags & MSG_DONTWAIT) && f != NULL && !(f->state & FZ_SO_NONBLOCK) && len > 1024)
		iov[0].iov_len = iov[1].iov_len = 512;  /* within what POLLOUT promises */
	long r = fz_sys3(SYS_sendmsg, fd, &m, flags);
	if (r >= 0 && m.msg_control != NULL)
		mark_sent(&m);
	return r;
}

/* Add every descriptor that arrived in m's control data to the table. */
static unsigned take_rights(struct msghdr *m)
{
	unsigned got = 0;

	for (struct cmsghdr *h = CMSG_FIRSTHDR(m); h != NULL; h = CMSG_NXTHDR(m, h)) {
		if (h->cmsg_level != SOL_SOCKET || h->cmsg_type != SCM_RIGHTS ||
		    h->cmsg_len < CMSG_LEN(0) || h->cmsg_len > m->msg_controllen)
			continue;
		size_t n = (h->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		const int *fds = (const int *)CMSG_DATA(h);
		for (size_t i = 0; i < n; i++, got++)
			fz_fd_identify(fds[i]);
	}
	return got;
}

long fz_call_recvmsg(struct fz_call *c)
{
	static const size_t lens[] = { 0, 1, 16, 512, 4096, 65536 };
	static const size_t controls[] = {
		0, CMSG_SPACE(sizeof(int)), CMSG_SPACE(4 * sizeof(int)),
		CMSG_SPACE(16 * sizeof(int)), sizeof(control.buf), sizeof(control.buf),
	};
	int fd = fz_fd_pick(c, fz_is_sock);
	size_t len = FZ_PICK(&c->r, lens);
	struct iovec iov = { fz_buf, len };
	struct sockaddr_un sun;
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	int flags = (fz_percent(&c->r, 85) ? MSG_DONTWAIT : 0) |
		    (fz_percent(&c->r, 10) ? MSG_PEEK : 0) |
		    (fz_percent(&c->r, 20) ? MSG_CMSG_CLOEXEC : 0) |
		    (fz_percent(&c->r, 5) ? MSG_WAITALL : 0);
	long r;

	m.msg_controllen = FZ_PICK(&c->r, controls);
	m.msg_control = m.msg_controllen ? control.buf : NULL;
	if (fz_percent(&c->r, 30)) {
		m.msg_name = &sun;
		m.msg_namelen = sizeof(sun);
	}
	fz_note(c, "(%d, %zu, control %zu, %#x)", fd, len, m.msg_controllen, flags);
	if (sock_would_block(c, fd, POLLIN, flags))
		return FZ_SKIP;
	r = fz_sys3(SYS_recvmsg, fd, &m, flags);
	if (r >= 0 && m.msg_control != NULL) {
		unsigned got = take_rights(&m);

		if (got)
			fz_note(c, " got %u fds", got);
	}
	return r;
}

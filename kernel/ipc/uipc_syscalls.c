/*
 * uipc_syscalls.c - the socket system calls (FreeBSD's file of the same
 * name): each copies its arguments in -- addresses, iovecs, msghdrs,
 * control data -- checks that the descriptor is a socket (ENOTSOCK), hands
 * over to the protocol in uipc_usrreq.c, and copies the results out.
 * Descriptors are made last (fd_reserve_check first, install at the end).
 *
 * Addresses.  A struct sockaddr_un carries a path in sun_path, which need
 * not end in a NUL when the path fills it (Linux).  A length that claims
 * more than sun_path holds, with no NUL inside sun_path, is ENAMETOOLONG.
 * Abstract names (a leading NUL) and autobind are not supported: EINVAL.
 * A returned address is the family plus the bound path and its NUL, or
 * just the family for a socket with no name; its full length is reported
 * even when the caller's buffer was shorter.
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/string.h"
#include "kern/copyio.h"
#include "kern/file.h"
#include "kern/fdtable.h"
#include "ipc/uipc_usrreq.h"
#include "vm/kmem.h"
#include "uapi/fcntl.h"

#define SUN_PATH_MAX   sizeof(((struct sockaddr_un *)0)->sun_path)
#define SUN_PATH_OFF   offsetof(struct sockaddr_un, sun_path)

/* The socket at fd, with a reference the caller releases: -EBADF, -ENOTSOCK. */
static int sock_get(int fd, struct file **fpp)
{
	int r = fd_get(fd, fpp);
	if (r < 0)
		return r;
	if (!unp_is_socket(*fpp)) {
		file_release(*fpp);
		return -ENOTSOCK;
	}
	return 0;
}

static long install_or_release(struct file *fp, int fdflags)
{
	int fd = fd_install(fp, fdflags);
	if (fd < 0)
		file_release(fp);
	return fd;
}

/* Copy a sockaddr_un in; path (SUN_PATH_MAX + 1 bytes) gets its path. */
static int addr_copyin(const void __user *uaddr, socklen_t len, char *path)
{
	struct sockaddr_un sun;
	if (len <= SUN_PATH_OFF || len > 0x10000)
		return -EINVAL;
	memset(&sun, 0, sizeof(sun));
	if (copyin(uaddr, &sun, MIN((size_t)len, sizeof(sun))) < 0)
		return -EFAULT;
	if (sun.sun_family != AF_UNIX)
		return -EINVAL;
	size_t plen = MIN((size_t)len - SUN_PATH_OFF, SUN_PATH_MAX);
	size_t n = strnlen(sun.sun_path, plen);
	if (n == plen && len - SUN_PATH_OFF > SUN_PATH_MAX)
		return -ENAMETOOLONG;           /* no NUL inside sun_path */
	if (n == 0)
		return -EINVAL;                 /* abstract or empty name */
	memcpy(path, sun.sun_path, n);
	path[n] = '\0';
	return 0;
}

/* Copy the address of path ("" for none) out to uaddr/ulen (both may be NULL). */
static int addr_copyout(const char *path, void __user *uaddr, socklen_t __user *ulen)
{
	struct sockaddr_un sun;
	socklen_t room;
	if (ulen == NULL)
		return 0;
	if (copyin(ulen, &room, sizeof(room)) < 0)
		return -EFAULT;
	if ((int)room < 0)
		return -EINVAL;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	size_t n = strlen(path);
	memcpy(sun.sun_path, path, MIN(n, SUN_PATH_MAX));
	socklen_t alen = (socklen_t)(SUN_PATH_OFF + (n ? MIN(n + 1, SUN_PATH_MAX) : 0));
	if (uaddr != NULL && copyout(&sun, uaddr, MIN(room, alen)) < 0)
		return -EFAULT;
	return copyout(&alen, ulen, sizeof(alen));
}

/* ---------------------------------------------------------- making them */

/* Split type into the type proper and the SOCK_* flags: 0 or -errno. */
static int sock_type(int domain, int type, int protocol, int *kind)
{
	if (domain != AF_UNIX)
		return -EAFNOSUPPORT;
	if (type & ~(0xf | SOCK_NONBLOCK | SOCK_CLOEXEC))
		return -EINVAL;
	*kind = type & 0xf;
	if (*kind != SOCK_STREAM && *kind != SOCK_DGRAM && *kind != SOCK_SEQPACKET)
		return -ESOCKTNOSUPPORT;
	if (protocol != 0 && protocol != PF_UNIX)
		return -EPROTONOSUPPORT;
	return 0;
}

static int sock_fdflags(int type)
{
	return (type & SOCK_CLOEXEC) ? FD_CLOEXEC : 0;
}

long sys_socket(int domain, int type, int protocol)
{
	struct file *fp;
	int kind;
	long r = sock_type(domain, type, protocol, &kind);
	if (r == 0)
		r = fd_reserve_check();
	if (r == 0)
		r = unp_create(kind, type & SOCK_NONBLOCK, &fp);
	if (r < 0)
		return r;
	return install_or_release(fp, sock_fdflags(type));
}

long sys_socketpair(int domain, int type, int protocol, int __user *usv)
{
	struct file *a, *b;
	int kind, sv[2];
	long r = sock_type(domain, type, protocol, &kind);
	if (r == 0)
		r = unp_socketpair(kind, type & SOCK_NONBLOCK, &a, &b);
	if (r < 0)
		return r;
	sv[0] = fd_install(a, sock_fdflags(type));
	if (sv[0] < 0) {
		file_release(a);
		file_release(b);
		return sv[0];
	}
	sv[1] = (int)install_or_release(b, sock_fdflags(type));
	if (sv[1] < 0) {
		fd_close(sv[0]);
		return sv[1];
	}
	r = copyout(sv, usv, sizeof(sv));
	if (r < 0) {
		fd_close(sv[0]);
		fd_close(sv[1]);
	}
	return r;
}

/* ------------------------------------------------------------ names */

long sys_bind(int fd, const void __user *uaddr, socklen_t len)
{
	char path[SUN_PATH_MAX + 1];
	struct file *fp;
	long r = addr_copyin(uaddr, len, path);
	if (r == 0)
		r = sock_get(fd, &fp);
	if (r < 0)
		return r;
	r = unp_bind(fp->data, path);
	file_release(fp);
	return r;
}

long sys_listen(int fd, int backlog)
{
	struct file *fp;
	long r = sock_get(fd, &fp);
	if (r < 0)
		return r;
	r = unp_listen(fp->data, backlog);
	file_release(fp);
	return r;
}

long sys_connect(int fd, const void __user *uaddr, socklen_t len)
{
	char path[SUN_PATH_MAX + 1];
	struct file *fp;
	long r = addr_copyin(uaddr, len, path);
	if (r == 0)
		r = sock_get(fd, &fp);
	if (r < 0)
		return r;
	r = unp_connect(fp->data, path, file_nonblocking(fp));
	file_release(fp);
	return r;
}

long sys_accept4(int fd, void __user *uaddr, socklen_t __user *ulen, int flags)
{
	char peer[SUN_PATH_MAX + 1];
	struct file *fp, *nfp;
	if (flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC))
		return -EINVAL;
	long r = sock_get(fd, &fp);
	if (r < 0)
		return r;
	r = fd_reserve_check();
	if (r == 0)
		r = unp_accept(fp->data, file_nonblocking(fp), flags & SOCK_NONBLOCK, &nfp,
		    peer, sizeof(peer));
	file_release(fp);
	if (r < 0)
		return r;
	r = addr_copyout(peer, uaddr, ulen);
	if (r < 0) {
		file_release(nfp);
		return r;
	}
	return install_or_release(nfp, sock_fdflags(flags));
}

long sys_accept(int fd, void __user *uaddr, socklen_t __user *ulen)
{
	return sys_accept4(fd, uaddr, ulen, 0);
}

static long sock_name(int fd, bool peer, void __user *uaddr, socklen_t __user *ulen)
{
	char path[SUN_PATH_MAX + 1];
	struct file *fp;
	long r = sock_get(fd, &fp);
	if (r < 0)
		return r;
	r = unp_getaddr(fp->data, peer, path, sizeof(path));
	file_release(fp);
	if (r == 0)
		r = addr_copyout(path, uaddr, ulen);
	return r;
}

long sys_getsockname(int fd, void __user *uaddr, socklen_t __user *ulen)
{
	return sock_name(fd, false, uaddr, ulen);
}

long sys_getpeername(int fd, void __user *uaddr, socklen_t __user *ulen)
{
	return sock_name(fd, true, uaddr, ulen);
}

long sys_shutdown(int fd, int how)
{
	struct file *fp;
	long r = sock_get(fd, &fp);
	if (r < 0)
		return r;
	r = unp_shutdown(fp->data, how);
	file_release(fp);
	return r;
}

/* ---------------------------------------------------------- options */

long sys_setsockopt(int fd, int level, int name, const void __user *uval, socklen_t len)
{
	char val[16];
	struct file *fp;
	if (level != SOL_SOCKET)
		return -ENOPROTOOPT;
	if (uval == NULL && len > 0)
		return -EFAULT;
	len = MIN(len, (socklen_t)sizeof(val));
	if (copyin(uval, val, len) < 0)
		return -EFAULT;
	long r = sock_get(fd, &fp);
	if (r < 0)
		return r;
	r = unp_setsockopt(fp->data, name, val, len);
	file_release(fp);
	return r;
}

long sys_getsockopt(int fd, int level, int name, void __user *uval, socklen_t __user *ulen)
{
	char val[16];
	socklen_t len;
	struct file *fp;
	if (level != SOL_SOCKET)
		return -ENOPROTOOPT;
	if (copyin(ulen, &len, sizeof(len)) < 0)
		return -EFAULT;
	if ((int)len < 0)
		return -EINVAL;
	long r = sock_get(fd, &fp);
	if (r < 0)
		return r;
	size_t n = len;
	r = unp_getsockopt(fp->data, name, val, &n);
	file_release(fp);
	if (r < 0)
		return r;
	len = (socklen_t)n;
	if (copyout(val, uval, n) < 0 || copyout(&len, ulen, sizeof(len)) < 0)
		return -EFAULT;
	return 0;
}

/* ------------------------------------------------------- sending */

/* Read the control data of a sendmsg and turn its rights into references. */
static int control_copyin(const void __user *ucontrol, size_t len, struct unp_sendargs *sa)
{
	if (len == 0)
		return 0;
	char small[128] __attribute__((aligned(8)));
	if (len > UNP_CONTROL_MAX)
		return -ENOBUFS;
	void *control = len <= sizeof(small) ? small : kmalloc(len, 0);
	if (control == NULL)
		return -ENOMEM;
	int r = copyin(ucontrol, control, len);
	if (r == 0)
		r = unp_internalize(control, len, &sa->files, &sa->nfiles);
	if (control != small)
		kfree(control);
	return r;
}

/* Everything is copied in before the descriptor is looked at. */
static long sock_send(int fd, struct unp_sendargs *sa)
{
	struct file *fp;
	long r = sock_get(fd, &fp);
	if (r < 0) {
		if (sa->files != NULL)
			unp_rights_free(sa->files, sa->nfiles);
		return r;
	}
	r = unp_send(fp, sa);           /* consumes the rights */
	file_release(fp);
	return r;
}

long sys_sendto(int fd, const void __user *buf, size_t len, int flags,
    const void __user *uto, socklen_t tolen)
{
	char to[SUN_PATH_MAX + 1];
	struct unp_uio uio;
	struct unp_sendargs sa = { .uio = &uio, .flags = flags };
	if (uto != NULL) {
		long r = addr_copyin(uto, tolen, to);
		if (r < 0)
			return r;
		sa.to = to;
	}
	unp_uio_single(&uio, (void __user *)buf, len);
	return sock_send(fd, &sa);
}

long sys_sendmsg(int fd, const struct msghdr __user *umsg, int flags)
{
	char to[SUN_PATH_MAX + 1];
	struct msghdr msg;
	struct unp_uio uio;
	struct unp_sendargs sa = { .uio = &uio, .flags = flags };
	if (copyin(umsg, &msg, sizeof(msg)) < 0)
		return -EFAULT;
	long r = 0;
	if (msg.msg_name != NULL && msg.msg_namelen > 0) {
		r = addr_copyin(msg.msg_name, msg.msg_namelen, to);
		sa.to = to;
	}
	if (r == 0)
		r = unp_uio_copyin(&uio, msg.msg_iov, msg.msg_iovlen);
	if (r < 0)
		return r;
	r = control_copyin(msg.msg_control, msg.msg_controllen, &sa);
	if (r == 0)
		r = sock_send(fd, &sa);
	unp_uio_free(&uio);
	return r;
}

/* ------------------------------------------------------- receiving */

static long sock_recv(int fd, struct unp_recvargs *ra)
{
	struct file *fp;
	long r = sock_get(fd, &fp);
	if (r < 0)
		return r;
	r = unp_recv(fp, ra);
	file_release(fp);
	return r;
}

long sys_recvfrom(int fd, void __user *buf, size_t len, int flags,
    void __user *ufrom, socklen_t __user *ufromlen)
{
	struct unp_uio uio;
	struct unp_recvargs ra = { .uio = &uio, .flags = flags };
	unp_uio_single(&uio, buf, len);
	long r = sock_recv(fd, &ra);
	if (r >= 0 && ufrom != NULL && ra.have_from) {
		int c = addr_copyout(ra.from, ufrom, ufromlen);
		if (c < 0)
			return c;
	} else if (r >= 0 && ufrom != NULL && ufromlen != NULL) {
		socklen_t zero = 0;             /* a stream has no sender address */
		if (copyout(&zero, ufromlen, sizeof(zero)) < 0)
			return -EFAULT;
	}
	return r;
}

/* Write back what recvmsg changes in the user's msghdr. */
static int msghdr_copyout(struct msghdr __user *umsg, const struct msghdr *msg,
    const struct unp_recvargs *ra)
{
	size_t used = ra->control_used;
	socklen_t namelen = 0;
	if (msg->msg_name != NULL && ra->have_from) {
		if (addr_copyout(ra->from, msg->msg_name, &umsg->msg_namelen) < 0)
			return -EFAULT;
	} else if (copyout(&namelen, &umsg->msg_namelen, sizeof(namelen)) < 0) {
		return -EFAULT;
	}
	if (copyout(&used, &umsg->msg_controllen, sizeof(used)) < 0 ||
	    copyout(&ra->msg_flags, &umsg->msg_flags, sizeof(ra->msg_flags)) < 0)
		return -EFAULT;
	return 0;
}

long sys_recvmsg(int fd, struct msghdr __user *umsg, int flags)
{
	struct msghdr msg;
	struct unp_uio uio;
	struct unp_recvargs ra = { .uio = &uio, .flags = flags };
	if (copyin(umsg, &msg, sizeof(msg)) < 0)
		return -EFAULT;
	long r = unp_uio_copyin(&uio, msg.msg_iov, msg.msg_iovlen);
	if (r < 0)
		return r;
	ra.control = msg.msg_control;
	ra.controllen = msg.msg_control != NULL ? msg.msg_controllen : 0;
	r = sock_recv(fd, &ra);
	if (r >= 0) {
		int c = msghdr_copyout(umsg, &msg, &ra);
		if (c < 0)
			r = c;
	}
	unp_uio_free(&uio);
	return r;
}

/*
 * socket.c - wrappers for the UNIX-domain socket system calls.
 *
 * send() and recv() are sendto() and recvfrom() without an address, as
 * on Linux; everything else goes to the kernel unchanged.
 */
#include <stddef.h>
#include <sys/socket.h>
#include "raw_syscall.h"

int socket(int domain, int type, int protocol)
{
	return syscall_result(raw_syscall3(SYS_socket, domain, type, protocol));
}

int socketpair(int domain, int type, int protocol, int sv[2])
{
	return syscall_result(raw_syscall4(SYS_socketpair, domain, type, protocol, sv));
}

int bind(int fd, const struct sockaddr *addr, socklen_t len)
{
	return syscall_result(raw_syscall3(SYS_bind, fd, addr, len));
}

int listen(int fd, int backlog)
{
	return syscall_result(raw_syscall2(SYS_listen, fd, backlog));
}

int accept(int fd, struct sockaddr *addr, socklen_t *len)
{
	return syscall_result(raw_syscall3(SYS_accept, fd, addr, len));
}

int accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags)
{
	return syscall_result(raw_syscall4(SYS_accept4, fd, addr, len, flags));
}

int connect(int fd, const struct sockaddr *addr, socklen_t len)
{
	return syscall_result(raw_syscall3(SYS_connect, fd, addr, len));
}

int getsockname(int fd, struct sockaddr *addr, socklen_t *len)
{
	return syscall_result(raw_syscall3(SYS_getsockname, fd, addr, len));
}

int getpeername(int fd, struct sockaddr *addr, socklen_t *len)
{
	return syscall_result(raw_syscall3(SYS_getpeername, fd, addr, len));
}

int shutdown(int fd, int how)
{
	return syscall_result(raw_syscall2(SYS_shutdown, fd, how));
}

ssize_t sendto(int fd, const void *buf, size_t len, int flags,
	       const struct sockaddr *to, socklen_t tolen)
{
	return syscall_result(raw_syscall6(SYS_sendto, fd, (long)buf, (long)len,
					   flags, (long)to, tolen));
}

ssize_t recvfrom(int fd, void *buf, size_t len, int flags,
		 struct sockaddr *from, socklen_t *fromlen)
{
	return syscall_result(raw_syscall6(SYS_recvfrom, fd, (long)buf, (long)len,
					   flags, (long)from, (long)fromlen));
}

ssize_t send(int fd, const void *buf, size_t len, int flags)
{
	return sendto(fd, buf, len, flags, NULL, 0);
}

ssize_t recv(int fd, void *buf, size_t len, int flags)
{
	return recvfrom(fd, buf, len, flags, NULL, NULL);
}

ssize_t sendmsg(int fd, const struct msghdr *msg, int flags)
{
	return syscall_result(raw_syscall3(SYS_sendmsg, fd, msg, flags));
}

ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
	return syscall_result(raw_syscall3(SYS_recvmsg, fd, msg, flags));
}

int setsockopt(int fd, int level, int name, const void *val, socklen_t len)
{
	return syscall_result(raw_syscall5(SYS_setsockopt, fd, level, name, val, len));
}

int getsockopt(int fd, int level, int name, void *val, socklen_t *len)
{
	return syscall_result(raw_syscall5(SYS_getsockopt, fd, level, name, val, len));
}

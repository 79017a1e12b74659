/*
 * uapi/socket.h - UNIX-domain socket constants and structs (Linux values
 * and layouts).
 *
 * vmos has only AF_UNIX sockets: SOCK_STREAM (a byte stream, like a
 * two-way pipe), SOCK_DGRAM (messages) and SOCK_SEQPACKET (messages over a
 * connection).  Ancillary data ("control messages") travel with sendmsg()
 * and recvmsg(): SCM_RIGHTS passes open file descriptors to another
 * process, SCM_CREDENTIALS passes a struct ucred.
 */
#ifndef UAPI_SOCKET_H
#define UAPI_SOCKET_H

#include "uapi/types.h"
#include "uapi/uio.h"

/* Address families (socket() domain). */
#define AF_UNSPEC   0
#define AF_UNIX     1           /* local sockets, named by a path */
#define AF_LOCAL    AF_UNIX
#define AF_INET     2           /* not supported: EAFNOSUPPORT */
#define AF_INET6   10           /* not supported: EAFNOSUPPORT */
#define PF_UNSPEC   AF_UNSPEC
#define PF_UNIX     AF_UNIX
#define PF_LOCAL    AF_LOCAL
#define PF_INET     AF_INET
#define PF_INET6    AF_INET6

/* Socket types, optionally or-ed with SOCK_NONBLOCK and SOCK_CLOEXEC. */
#define SOCK_STREAM     1
#define SOCK_DGRAM      2
#define SOCK_SEQPACKET  5
#define SOCK_NONBLOCK   04000           /* = O_NONBLOCK */
#define SOCK_CLOEXEC    02000000        /* = O_CLOEXEC */

/* Generic socket address; every real address type starts like this. */
struct sockaddr {
	sa_family_t sa_family;
	char        sa_data[14];
};

/* Room for any address type. */
struct sockaddr_storage {
	sa_family_t ss_family;
	char        __ss_pad[126];
} __attribute__((aligned(8)));

/*
 * A UNIX-domain address: a path in the file name space.  The length passed
 * to bind()/connect() is offsetof(struct sockaddr_un, sun_path) plus the
 * path length (with or without the NUL).
 */
struct sockaddr_un {
	sa_family_t sun_family;         /* AF_UNIX */
	char        sun_path[108];      /* path, NUL-terminated if it fits */
};

/* The message of sendmsg() / recvmsg() (56 bytes). */
struct msghdr {
	void         *msg_name;         /* peer address, or NULL */
	socklen_t     msg_namelen;      /* its length */
	struct iovec *msg_iov;          /* the data, in pieces */
	size_t        msg_iovlen;       /* number of pieces */
	void         *msg_control;      /* ancillary data: cmsghdr records */
	size_t        msg_controllen;   /* bytes of ancillary data */
	int           msg_flags;        /* recvmsg: MSG_TRUNC, MSG_CTRUNC */
};

/* One ancillary data record; its data follows at CMSG_DATA(). */
struct cmsghdr {
	size_t cmsg_len;        /* header + data, not counting trailing padding */
	int    cmsg_level;      /* SOL_SOCKET */
	int    cmsg_type;       /* SCM_RIGHTS, SCM_CREDENTIALS */
};

/* Credentials of a peer (SO_PEERCRED, SCM_CREDENTIALS). */
struct ucred {
	pid_t pid;
	uid_t uid;
	gid_t gid;
};

/*
 * Walking ancillary data.  Records are aligned to sizeof(size_t):
 *   CMSG_LEN(n)    cmsg_len for n bytes of data
 *   CMSG_SPACE(n)  bytes a record with n bytes of data occupies
 *   CMSG_DATA(c)   the data of record c
 *   CMSG_FIRSTHDR(m), CMSG_NXTHDR(m, c)   iterate; NULL at the end
 */
#define CMSG_ALIGN(len) (((len) + sizeof(size_t) - 1) & ~(sizeof(size_t) - 1))
#define CMSG_LEN(len)   (CMSG_ALIGN(sizeof(struct cmsghdr)) + (len))
#define CMSG_SPACE(len) (CMSG_ALIGN(sizeof(struct cmsghdr)) + CMSG_ALIGN(len))
#define CMSG_DATA(c)    ((unsigned char *)(c) + CMSG_ALIGN(sizeof(struct cmsghdr)))
#define CMSG_FIRSTHDR(m) \
	((m)->msg_controllen >= sizeof(struct cmsghdr) ? \
	 (struct cmsghdr *)(m)->msg_control : (struct cmsghdr *)0)
#define CMSG_NXTHDR(m, c) __cmsg_nxthdr((m), (c))

static inline struct cmsghdr *__cmsg_nxthdr(const struct msghdr *m,
					     const struct cmsghdr *c)
{
	char *base = (char *)m->msg_control;
	size_t next;

	if (c->cmsg_len < sizeof(struct cmsghdr))
		return (struct cmsghdr *)0;     /* malformed: stop */
	next = (size_t)((const char *)c - base) + CMSG_ALIGN(c->cmsg_len);
	if (next + sizeof(struct cmsghdr) > m->msg_controllen)
		return (struct cmsghdr *)0;     /* no room for another header */
	return (struct cmsghdr *)(base + next);
}

/* Socket option levels and options (getsockopt / setsockopt). */
#define SOL_SOCKET      1
#define SO_DEBUG        1
#define SO_REUSEADDR    2
#define SO_TYPE         3       /* int: SOCK_STREAM ... (get only) */
#define SO_ERROR        4       /* int: pending error, cleared by reading */
#define SO_DONTROUTE    5
#define SO_BROADCAST    6
#define SO_SNDBUF       7       /* int: send buffer size */
#define SO_RCVBUF       8       /* int: receive buffer size */
#define SO_KEEPALIVE    9
#define SO_LINGER      13
#define SO_PASSCRED    16       /* int: receive SCM_CREDENTIALS */
#define SO_PEERCRED    17       /* struct ucred of the peer (get only) */
#define SO_RCVLOWAT    18
#define SO_SNDLOWAT    19
#define SO_ACCEPTCONN  30       /* int: is listening (get only) */
#define SO_PROTOCOL    38
#define SO_DOMAIN      39       /* int: AF_UNIX (get only) */

/* Control message types at level SOL_SOCKET. */
#define SCM_RIGHTS      1       /* data: an array of int descriptors */
#define SCM_CREDENTIALS 2       /* data: struct ucred */

/* send / recv flags. */
#define MSG_OOB         0x0001
#define MSG_PEEK        0x0002  /* look at the data but leave it queued */
#define MSG_DONTROUTE   0x0004
#define MSG_CTRUNC      0x0008  /* recvmsg: control data was cut short */
#define MSG_TRUNC       0x0020  /* recvmsg: datagram was longer than the buffer */
#define MSG_DONTWAIT    0x0040  /* this call only: do not block */
#define MSG_EOR         0x0080
#define MSG_WAITALL     0x0100  /* wait for the full amount */
#define MSG_NOSIGNAL    0x4000  /* EPIPE without SIGPIPE */
#define MSG_CMSG_CLOEXEC 0x40000000 /* received descriptors get FD_CLOEXEC */

/* shutdown() how. */
#define SHUT_RD         0
#define SHUT_WR         1
#define SHUT_RDWR       2

/* Longest listen() backlog. */
#define SOMAXCONN       4096

#endif /* UAPI_SOCKET_H */

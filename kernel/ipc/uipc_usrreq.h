/*
 * uipc_usrreq.h - UNIX-domain sockets: the protocol control block, the
 * message records that sit in receive queues, and the calls shared by the
 * files of the socket layer:
 *
 *   uipc_usrreq.c   the essay; sockets, connections, options, file ops
 *   uipc_names.c    the socket name space: owners, permissions, the per-user bound
 *   uipc_socket.c   sending and receiving
 *   uipc_msg.c      message records (data in kernel memory) and the uio
 *                   that copies between them and user iovecs
 *   uipc_gc.c       SCM_RIGHTS: descriptors in flight, their accounting,
 *                   and the garbage collector for cycles
 *   uipc_syscalls.c the socket system calls (sys_*): argument copying
 *
 * Names follow FreeBSD's uipc_usrreq.c (unp_ for the protocol, struct
 * unpcb), which is what a reader who knows BSD will look for; the system
 * call entry points are sys_*.
 */
#ifndef IPC_UIPC_USRREQ_H
#define IPC_UIPC_USRREQ_H

#include "kern/kernel.h"
#include "kern/list.h"
#include "kern/spinlock.h"
#include "kern/copyio.h"
#include "uapi/types.h"
#include "uapi/socket.h"
#include "uapi/uio.h"

struct file;
struct file_ops;
struct vm_page;

/* ------------------------------------------------------------ limits */

#define UNP_RIGHTS_MAX        253       /* descriptors per message (Linux's SCM_MAX_FD) */
#define UNP_INFLIGHT_USER_MAX 512       /* descriptors in flight per user: ETOOMANYREFS */
#define UNP_BUF_DEFAULT       (64 * 1024)  /* SO_SNDBUF / SO_RCVBUF */
#define UNP_BUF_MIN           2048
#define UNP_BUF_MAX           (1024 * 1024)
#define UNP_LOWAT             2048      /* a stream send waits for this much room */
#define UNP_MSGS_MAX          1024      /* records in one receive queue */
#define UNP_CHUNK             (64 * 1024)  /* the most one stream record holds */
#define UNP_INLINE_MAX        1024      /* records up to this size live in the kmalloc block */
#define UNP_STREAM_CAP        256       /* the least room of a small stream record */
#define UNP_CONTROL_MAX       8192      /* bytes of control data in one sendmsg */
#define UNP_NAMES_USER_MAX    512       /* socket names one user may hold: EDQUOT */

/* ------------------------------------------------------ message records */

/*
 * One record in a receive queue: a datagram, a seqpacket record, or a
 * piece of a stream.  Data up to UNP_INLINE_MAX bytes sits after the
 * struct (`inline_data`, `cap` bytes of room, which a stream may fill up
 * by appending small writes); bigger data lives in whole pages.
 *
 * Locking: (c) constant once queued; (g) unp_lock; (r) the receive token
 * of the socket whose queue holds the record (unpcb.reading).
 */
struct unp_msg {
	struct list_node link;          /* (g) in unpcb.rcvq */
	size_t len;                     /* (g) bytes of data (a stream's tail may grow) */
	size_t off;                     /* (r) bytes of a stream record already read */
	size_t cap;                     /* (c) room in inline_data; 0 when paged */
	size_t npages;                  /* (c) pages[] entries */
	struct vm_page **pages;         /* (c) the data when not inline */
	struct file **files;            /* (g) SCM_RIGHTS references, or NULL */
	int nfiles;                     /* (g) how many */
	bool inflight;                  /* (g) counted in flight (uipc_gc.c) */
	uid_t charged;                  /* (g) the user their in-flight count is charged to */
	char *from;                     /* (c) datagrams: sender's sun_path (kmalloc'd) or NULL */
	char inline_data[];
};

/*
 * A kernel view of a user iovec array being walked: how many bytes are
 * left (resid) and where the next byte goes.  Up to UIO_SMALL pieces live
 * in the struct; more are kmalloc'd.
 */
#define UIO_SMALL 8
struct unp_uio {
	struct iovec *iov;
	size_t iovcnt;
	size_t idx;                     /* current piece */
	size_t off;                     /* bytes of it done */
	size_t resid;                   /* bytes left in all pieces */
	size_t total;                   /* bytes in all pieces */
	struct iovec small[UIO_SMALL];
};

/* uipc_msg.c */
/* A uio over one user buffer (read/write/send/recv). */
void unp_uio_single(struct unp_uio *uio, void __user *buf, size_t len);
/* Copy in iovcnt iovecs from user space: 0, -EFAULT, -EINVAL (count or
 * total too big), -ENOMEM.  unp_uio_free() after. */
int unp_uio_copyin(struct unp_uio *uio, const struct iovec __user *uiov, size_t iovcnt);
void unp_uio_free(struct unp_uio *uio);
/* Put the uio back to done bytes from its start (a stream send that
 * copied in more than it could queue). */
void unp_uio_rewind(struct unp_uio *uio, size_t done);
/* A record with room for len bytes (stream: at least UNP_STREAM_CAP inline
 * even if shorter, so later small writes can append), or NULL. */
struct unp_msg *unp_msg_alloc(size_t len, bool stream);
/* Free the record's memory.  Its rights must have been taken off already. */
void unp_msg_free(struct unp_msg *m);
/* Fill the record's first len bytes from the uio: 0 or -EFAULT.  May sleep. */
int unp_msg_copyin(struct unp_msg *m, struct unp_uio *uio);
/* Copy n bytes of the record's data from offset off out to the uio:
 * 0 or -EFAULT.  May sleep. */
int unp_msg_copyout(struct unp_msg *m, size_t off, size_t n, struct unp_uio *uio);
/* Drop the record's data past len (a stream send that only partly fit). */
void unp_msg_trim(struct unp_msg *m, size_t len);
/* A kmalloc'd copy of s, or NULL. */
char *unp_strdup(const char *s);
/* Append tail's data to the inline record m if it has room: true if done.
 * unp_lock held; m is a stream queue's last record. */
bool unp_msg_append_locked(struct unp_msg *m, const struct unp_msg *tail);

/* ------------------------------------------------------------ sockets */

/* unpcb.flags */
#define UNP_LISTENING     0x01          /* listen() was called */
#define UNP_CONNECTED     0x02          /* peer is set */
#define UNP_WASCONNECTED  0x04          /* was connected once (EPIPE/EOF rather than ENOTCONN) */
#define UNP_CANTSEND      0x08          /* shutdown(SHUT_WR), or the peer is gone or shut reading */
#define UNP_CANTRCV       0x10          /* no more data will arrive: EOF once the queue drains */
#define UNP_HAVEPEERCRED  0x20          /* peercred is valid */
#define UNP_BINDING       0x40          /* a bind() is making our name: another is EALREADY */

/* A bound name: one entry in the socket name space (uipc_names.c). */
struct unp_name;

/*
 * The protocol control block: one per socket.  A socket that has a
 * descriptor has a struct file whose data points here; a connection that
 * is waiting in a listener's queue for accept() has none yet.
 *
 * Locking: every field but the (c) ones is guarded by unp_lock (see the
 * essay in uipc_usrreq.c); (r) fields are touched only by the holder of
 * this socket's receive token.
 */
struct unpcb {
	struct list_node all;           /* (g) on unp_all */
	int type;                       /* (c) SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET */
	unsigned flags;                 /* (g) UNP_* */
	struct file *file;              /* (g) NULL while pending accept */
	struct unpcb *peer;             /* (g) the connected peer */
	struct list refs;               /* (g) datagram sockets connected to this one */
	struct list_node reflink;       /* (g) in peer->refs (datagram) */
	struct unp_name *name;          /* (g) our entry in the name space, or NULL */
	char *path;                     /* (g) the sun_path bound (kept after unlink) */
	int so_error;                   /* (g) pending error (SO_ERROR) */

	/* receive side: records sent to this socket */
	struct list rcvq;               /* (g) struct unp_msg, oldest first */
	size_t rcv_cc;                  /* (g) data bytes queued */
	int rcv_msgs;                   /* (g) records queued */
	size_t rcv_hiwat;               /* (g) SO_RCVBUF: the bound on rcv_cc */
	size_t snd_hiwat;               /* (g) SO_SNDBUF: the largest datagram we send */
	bool reading;                   /* (g) the receive token is taken */

	/* listening */
	struct list pendq;              /* (g) connections waiting for accept() */
	struct list_node pendlink;      /* (g) in head->pendq while pending */
	struct unpcb *head;             /* (g) our listener while pending */
	int qlen, qlimit;               /* (g) pendq length, listen() backlog */

	/* credentials (SO_PEERCRED) */
	struct ucred cred;              /* (g) ours: at socket(), or listen() for listeners */
	struct ucred peercred;          /* (g) the peer's, taken when connecting */

	/* the garbage collector (uipc_gc.c) */
	bool gc_marked;                 /* (g) reachable in this pass */
	bool gc_scanned;                /* (g) its queues have been walked */
};

/* The one lock of the socket layer (see the essay). */
extern struct spinlock unp_lock;
/* Every socket (struct unpcb.all), for the garbage collector. */
extern struct list unp_all;
/* Is fp a UNIX socket?  Its unpcb is then fp->data. */
bool unp_is_socket(const struct file *fp);
bool unp_is_socket_ops(const struct file_ops *ops);     /* the same, by the file's type */

static inline bool unp_connection_oriented(const struct unpcb *unp)
{
	return unp->type != SOCK_DGRAM;
}

/* The name bound at abspath, found in the file tree, with a reference the
 * caller drops with unp_name_put: 0, -ENOENT, -ECONNREFUSED (the name is
 * not a socket's), or what the path walk says (ENOTDIR, EACCES ...).  No
 * spinlock held: the walk sleeps (uipc_names.c). */
int unp_name_find(const char *abspath, struct unp_name **namep);
void unp_name_put(struct unp_name *name);
/* The live socket bound to name, for the caller to connect or send to: 0,
 * -EACCES (no write permission on the name), -ECONNREFUSED (a dead name),
 * or -EPROTOTYPE (another type).  unp_lock held. */
int unp_lookup_locked(struct unp_name *name, int type, struct unpcb **out);
/* At boot: the file systems' socket nodes hold our names (vfs.h). */
void unp_names_init(void);
/* A sun_path for the VFS to resolve: a kmalloc'd copy, or -errno. */
int unp_normalize(const char *path, char **out);
/* unp is going away: its name, if any, becomes a dead name.  unp_lock held. */
void unp_name_detach_locked(struct unpcb *unp);
/* Free bytes in dst's queue (0 when over its bound or out of records), and
 * whether a record of need bytes fits (an empty queue takes any one).
 * unp_lock held (uipc_socket.c). */
size_t unp_room_locked(const struct unpcb *dst);
bool unp_fits_locked(const struct unpcb *dst, size_t need);

/* Sleep channels. */
#define UNP_CHAN_RCV(u)    ((void *)&(u)->rcvq)      /* data, EOF, the receive token */
#define UNP_CHAN_SPACE(u)  ((void *)&(u)->rcv_cc)    /* room in u's receive queue */
#define UNP_CHAN_ACCEPT(u) ((void *)&(u)->pendq)     /* a connection to accept */

/*
 * Take a socket off every list and out of every connection, and move its
 * queued records (and, for a listener, the pending connections with
 * theirs) onto reap.  unp_lock held.  After the lock is dropped the caller
 * passes reap to unp_reap(), which frees everything outside the lock.
 */
void unp_drop_locked(struct unpcb *unp, struct list *reap);
/* Move every record of unp's receive queue onto reap (rights taken off
 * the in-flight counts).  unp_lock held. */
void unp_flush_locked(struct unpcb *unp, struct list *reap);
/* Free what unp_drop_locked/unp_flush_locked collected.  No lock held;
 * may sleep (releasing files may close them). */
void unp_reap(struct list *reap);

/* ------------------------------------------- SCM_RIGHTS (uipc_gc.c) */

/*
 * Turn the SCM_RIGHTS records of a control buffer (already in kernel
 * memory) into file references: *filesp (kmalloc'd) and *np.  0 (with
 * *filesp NULL when there are none), -EINVAL (malformed, a type other than
 * SCM_RIGHTS, more than UNP_RIGHTS_MAX), -EBADF (then no reference is kept).
 */
int unp_internalize(const void *control, size_t len, struct file ***filesp, int *np);
/* Release n references taken by unp_internalize and free the array. */
void unp_rights_free(struct file **files, int n);
/* Put m's rights in flight, charged to uid: -ETOOMANYREFS past the per-user
 * bound.  unp_lock held. */
int unp_rights_enter_locked(struct unp_msg *m, uid_t uid);
/* Take m's rights out of flight (they are being received or disposed of);
 * the references stay in m->files for the caller to install or release.
 * unp_lock held. */
void unp_rights_leave_locked(struct unp_msg *m);
/* Release the references of m's files (after unp_rights_leave_locked);
 * no lock held; may sleep. */
void unp_rights_release(struct unp_msg *m);
/* Run the garbage collector (see uipc_gc.c).  No lock held; may sleep. */
void unp_gc(void);
/* Register unp_gc with the file layer's in-flight hook (at boot:
 * uipc_usrreq.c:unp_init). */
void unp_gc_init(void);

/* ------------------- the protocol (uipc_usrreq.c, uipc_socket.c) */

/* What sendmsg/recvmsg exchange with the protocol. */
struct unp_sendargs {
	struct unp_uio *uio;
	const char *to;                 /* datagram destination path, or NULL */
	struct unp_name *to_name;       /* (unp_send) to, found and held, or NULL */
	int to_err;                     /* (unp_send) why to was not found */
	struct file **files;            /* rights (ownership passes to unp_send) */
	int nfiles;
	int flags;                      /* MSG_* */
};

struct unp_recvargs {
	struct unp_uio *uio;
	int flags;                      /* MSG_* asked for */
	void __user *control;           /* where SCM_RIGHTS go, or NULL */
	size_t controllen;              /* room there */
	size_t control_used;            /* out: bytes of it used */
	int msg_flags;                  /* out: MSG_TRUNC, MSG_CTRUNC */
	char from[sizeof(((struct sockaddr_un *)0)->sun_path) + 1];  /* out: sender */
	bool have_from;
};

int unp_create(int type, int flags, struct file **fpp);
int unp_socketpair(int type, int flags, struct file **fpa, struct file **fpb);
int unp_bind(struct unpcb *unp, const char *path);
int unp_listen(struct unpcb *unp, int backlog);
int unp_connect(struct unpcb *unp, const char *path, bool nonblock);
int unp_accept(struct unpcb *unp, bool nonblock, int flags, struct file **fpp,
    char *peerpath, size_t peerpath_size);
int unp_shutdown(struct unpcb *unp, int how);
long unp_send(struct file *fp, struct unp_sendargs *sa);
long unp_recv(struct file *fp, struct unp_recvargs *ra);
/* sun_path of our name (sockname) or the peer's: 0 with "" when none. */
int unp_getaddr(struct unpcb *unp, bool peer, char *out, size_t size);
int unp_getsockopt(struct unpcb *unp, int name, void *val, size_t *len);
int unp_setsockopt(struct unpcb *unp, int name, const void *val, size_t len);
/* At boot, before any process: the names in the tree, the collector. */
void unp_init(void);

/* ----------------------------- system calls (uipc_syscalls.c) */

long sys_socket(int domain, int type, int protocol);
long sys_socketpair(int domain, int type, int protocol, int __user *usv);
long sys_bind(int fd, const void __user *uaddr, socklen_t len);
long sys_listen(int fd, int backlog);
long sys_accept(int fd, void __user *uaddr, socklen_t __user *ulen);
long sys_accept4(int fd, void __user *uaddr, socklen_t __user *ulen, int flags);
long sys_connect(int fd, const void __user *uaddr, socklen_t len);
long sys_getsockname(int fd, void __user *uaddr, socklen_t __user *ulen);
long sys_getpeername(int fd, void __user *uaddr, socklen_t __user *ulen);
long sys_shutdown(int fd, int how);
long sys_sendto(int fd, const void __user *buf, size_t len, int flags,
    const void __user *uto, socklen_t tolen);
long sys_recvfrom(int fd, void __user *buf, size_t len, int flags,
    void __user *ufrom, socklen_t __user *ufromlen);
long sys_sendmsg(int fd, const struct msghdr __user *umsg, int flags);
long sys_recvmsg(int fd, struct msghdr __user *umsg, int flags);
long sys_setsockopt(int fd, int level, int name, const void __user *val, socklen_t len);
long sys_getsockopt(int fd, int level, int name, void __user *val, socklen_t __user *ulen);

#endif

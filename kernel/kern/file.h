/*
 * file.h - open files: struct file, the file_ops every file type provides,
 * and the per-process descriptor calls (fd_*) that reach them.
 *
 * A struct file is what open(), pipe(), shm_open() and socket() create and
 * what a descriptor names.  Several descriptors (dup, fork, SCM_RIGHTS) may
 * name the same struct file: they share its offset and status flags.  See
 * the essay at the top of file.c for who holds references and when a file
 * dies.
 *
 * A file type is a `const struct file_ops` table with designated
 * initializers.  Every slot must be filled: an operation the type does not
 * support points at one of the shared file_*_notsupp stubs below, so the
 * system calls never test for NULL and never switch on the type.
 * (file_alloc() checks this.)  Four slots are optional: `getdents`, which
 * only directories have (NULL: "not a directory", ENOTDIR); `pread`
 * and `pwrite`, which only files with a position have (NULL: ESPIPE, as
 * for a pipe or a socket); and `seals`, which only shm objects have (NULL:
 * EINVAL, Linux's answer to F_ADD_SEALS on a file that cannot be sealed).
 */
#ifndef KERN_FILE_H
#define KERN_FILE_H

#include "kern/kernel.h"
#include "kern/copyio.h"
#include "kern/mutex.h"
#include "kern/list.h"
#include "uapi/types.h"
#include "uapi/stat.h"
#include "uapi/fcntl.h"

struct vm_object;

/*
 * Locking: (a) atomic; (c) constant after file_alloc; (l) f_lock, a
 * sleeping mutex that seekable types hold across a read or seek so that
 * two readers sharing the file cannot both use one offset (POSIX 2.9.7).
 */
struct file {
	int refcount;                 /* (a) the file lives while > 0 */
	int flags;                    /* (a) O_ACCMODE bits + O_NONBLOCK + O_APPEND (F_GETFL) */
	const struct file_ops *ops;   /* (c) */
	void *data;                   /* (c) the type's private pointer */
	int64_t offset;               /* (l) for seekable types */
	struct mutex f_lock;          /* protects offset */
	int msgcount;                 /* references held by SCM_RIGHTS messages in
	                               * flight; kept by ipc/uipc_usrreq.c under its
	                               * unp_lock (FreeBSD's f_msgcount) */
	struct list_node close_link;  /* on the closing thread's list of files whose
	                               * close was deferred (file.c) */
};

/* The status flags F_SETFL may change; everything else in flags is fixed. */
#define FILE_SETFL_MASK   (O_APPEND | O_NONBLOCK)
/* What file_alloc keeps of the open() flags. */
#define FILE_FLAGS_MASK   (O_ACCMODE | O_APPEND | O_NONBLOCK)

struct file_ops {
	const char *name;
	long (*read)(struct file *fp, void __user *buf, size_t n);
	long (*write)(struct file *fp, const void __user *buf, size_t n);
	long (*lseek)(struct file *fp, int64_t off, int whence);
	int  (*stat)(struct file *fp, struct stat *st);
	int  (*ioctl)(struct file *fp, unsigned long cmd, void __user *arg);
	int  (*poll)(struct file *fp, int events);     /* returns revents now */
	/* The object to map, with a reference for the map entry; *max_prot
	 * (what mprotect may ever allow) may be narrowed.  For MAP_SHARED with
	 * write in *max_prot on return, also one writable mapping counted
	 * (vm_object_count_writers), taken where the file decides whether
	 * writers are allowed: vm_mmap gives it back once the entry counts
	 * its own, so that a seal cannot slip in between. */
	int  (*mmap)(struct file *fp, uint64_t offset, uint64_t len, int prot, int flags,
	    int *max_prot, struct vm_object **objp);
	int  (*truncate)(struct file *fp, int64_t length);
	int  (*chmod)(struct file *fp, mode_t mode);
	int  (*chown)(struct file *fp, uid_t uid, gid_t gid);
	void (*close)(struct file *fp);               /* the last reference went away */
	/* Optional: directories only.  Fill buf with whole struct linux_dirent64
	 * records from fp->offset on; return bytes used, 0 at the end. */
	long (*getdents)(struct file *fp, void __user *buf, size_t n);
	/* Optional: read or write at byte offset off (>= 0), leaving the
	 * file's own offset alone (pread64, pwrite64). */
	long (*pread)(struct file *fp, void __user *buf, size_t n, int64_t off);
	long (*pwrite)(struct file *fp, const void __user *buf, size_t n, int64_t off);
	/* Optional: fcntl's F_ADD_SEALS (add arg) and F_GET_SEALS. */
	long (*seals)(struct file *fp, int cmd, unsigned long arg);
};

/*
 * The shared stubs for unsupported operations.  The errno each answers is
 * the one POSIX (and Linux, where POSIX is silent) gives for "this kind of
 * file cannot do that":
 *   read, write   EINVAL      Linux's answer for an fd "attached to an object
 *                             which is unsuitable for reading/writing"
 *   lseek         ESPIPE      "fildes is associated with a pipe, FIFO or socket"
 *   stat          EOPNOTSUPP  (every real type implements stat)
 *   ioctl         ENOTTY      "fildes is not associated with a character
 *                             special device" / request does not apply
 *   poll          POLLNVAL    reported in revents, not as an error
 *   mmap          ENODEV      "fildes refers to a file whose type is not
 *                             supported by mmap()"
 *   truncate      EINVAL      "fildes does not refer to a file on which this
 *                             operation is possible"
 *   chmod, chown  EINVAL      "fildes refers to a pipe and the implementation
 *                             disallows fchmod()/fchown() on a pipe" (also
 *                             FreeBSD's invfo_chmod/invfo_chown)
 *   close         nothing to do
 */
long file_read_notsupp(struct file *fp, void __user *buf, size_t n);
long file_write_notsupp(struct file *fp, const void __user *buf, size_t n);
long file_lseek_notsupp(struct file *fp, int64_t off, int whence);
int  file_stat_notsupp(struct file *fp, struct stat *st);
int  file_ioctl_notsupp(struct file *fp, unsigned long cmd, void __user *arg);
int  file_poll_notsupp(struct file *fp, int events);
int  file_mmap_notsupp(struct file *fp, uint64_t offset, uint64_t len, int prot, int flags,
    int *max_prot, struct vm_object **objp);
int  file_truncate_notsupp(struct file *fp, int64_t length);
int  file_chmod_notsupp(struct file *fp, mode_t mode);
int  file_chown_notsupp(struct file *fp, uid_t uid, gid_t gid);
void file_close_nop(struct file *fp);

/*
 * Make a file of type ops with private pointer data and open flags (only
 * FILE_FLAGS_MASK is kept).  Returns it with refcount 1, owned by the
 * caller, or NULL when out of memory.  Does not sleep.
 */
struct file *file_alloc(const struct file_ops *ops, void *data, int flags);
/* Take another reference.  The caller must already hold one. */
void file_hold(struct file *fp);
/*
 * Drop a reference; the last one calls ops->close (which may sleep) and
 * frees.  A last release that happens inside another file's close is
 * deferred to the end of the outermost one (see "Closing without
 * recursion" in file.c), so the stack never grows with a chain of files
 * that hold each other.
 */
void file_release(struct file *fp);

/* Access-mode tests on fp->flags. */
bool file_readable(struct file *fp);
bool file_writable(struct file *fp);
int file_get_flags(struct file *fp);
/* Set the F_SETFL-changeable status bits (FILE_SETFL_MASK) to those in flags. */
void file_set_status_flags(struct file *fp, int flags);
/* Is O_NONBLOCK set on the file now? */
bool file_nonblocking(struct file *fp);

/* lseek's new offset from the current one, the end and (off, whence):
 * the offset, or -EINVAL (bad whence, a negative result) / -EOVERFLOW. */
int64_t file_seek_target(int64_t cur, int64_t end, int64_t off, int whence);

/* Fill *st with the fields every type leaves the same (blksize, zeros). */
void file_stat_init(struct stat *st);


/*
 * The in-flight hook: file_release() calls it when a release leaves a file
 * whose every remaining reference is inside SCM_RIGHTS messages (refcount
 * == msgcount > 0) -- its last outside reference just went, so it may now
 * be garbage in a cycle of sockets.  The socket layer registers its
 * garbage collector here (ipc/uipc_gc.c).  Called with no lock held, with
 * the file's type only: the caller holds no reference any more, and
 * another CPU may have closed and freed the file meanwhile.
 */
typedef void (*file_inflight_hook_t)(const struct file_ops *ops);
void file_register_inflight_hook(file_inflight_hook_t hook);

#endif

/*
 * vfs.h - the file name space: mounted file systems and path lookup.
 *
 * The tree a process sees is made of file systems mounted at absolute
 * paths: the boot cpio (bootfs.h) at "/", read-only, and a tmpfs
 * (tmpfs.h) at "/tmp".  A call on a path normalises it (vfs_normalize:
 * relative to the caller's directory, "//", "." and ".." resolved
 * lexically), picks the mount with the longest prefix, and hands the rest
 * of the path -- absolute inside that file system, "/" for its root, with
 * the caller's trailing slash kept -- to the file system's vfs_ops.
 *
 * What the seam does not have (said so that nobody looks for it): vnodes
 * shared between file systems, mounting at run time, ".." that climbs out
 * of a file system other than lexically, and symbolic links.  A file
 * system's open makes a struct file with its own file_ops; everything an
 * open descriptor does goes through those, not through here.
 */
#ifndef FS_VFS_H
#define FS_VFS_H

#include "kern/kernel.h"
#include "uapi/types.h"
#include "uapi/stat.h"
#include "kern/copyio.h"
#include "uapi/dirent.h"
#include "uapi/limits.h"

struct file;

struct vfs_ops {
	const char *name;
	/* open(2): a new file (one reference, the caller's), honouring
	 * O_CREAT (with mode, already masked), O_EXCL, O_TRUNC, O_APPEND,
	 * O_DIRECTORY and O_ACCMODE. */
	int (*open)(void *fs, const char *path, int flags, mode_t mode, struct file **fpp);
	int (*stat)(void *fs, const char *path, struct stat *st);
	int (*unlink)(void *fs, const char *path);
	int (*mkdir)(void *fs, const char *path, mode_t mode);
	int (*rmdir)(void *fs, const char *path);
	/* 0 if path is a directory the caller may make its working directory. */
	int (*chdir)(void *fs, const char *path);
	/* rename(2) of from to to, both inside this file system. */
	int (*rename)(void *fs, const char *from, const char *to);
	/* bind(2): a socket node at path, holding sock (the node keeps the
	 * caller's reference).  EADDRINUSE if the name exists. */
	int (*mksock)(void *fs, const char *path, mode_t mode, void *sock);
	/* connect(2), sendto(2): the sock of the socket node at path, with a
	 * reference taken for the caller (vfs_socket_ops.hold).  ENOENT,
	 * ECONNREFUSED for a name that is not a socket's. */
	int (*socket)(void *fs, const char *path, void **sockp);
	/*
	 * The rest may be NULL in a file system without symbolic links, hard
	 * links or changeable attributes (the boot file system): the VFS then
	 * answers from stat -- EINVAL from readlink for a name that exists,
	 * EEXIST or EROFS from the others.
	 *
	 * readlink(2) of the symbolic link at path (the last component is not
	 * followed): the target's length, with the first min(length, size)
	 * bytes of it copied to buf (no NUL); -EINVAL if path names anything
	 * else.  buf may be NULL when size is 0.
	 */
	long (*readlink)(void *fs, const char *path, char *buf, size_t size);
	/* symlink(2): a symbolic link at path holding target (a NUL-terminated
	 * string of 1 to PATH_MAX - 1 bytes). */
	int (*symlink)(void *fs, const char *path, const char *target);
	/* link(2): a new name to for what from names, both inside this file
	 * system, from's last component not followed. */
	int (*link)(void *fs, const char *from, const char *to);
	/* chmod(2), chown(2) (-1 leaves an id alone) and utimensat(2) of what
	 * path names (its last component already followed or not, as the
	 * caller asked).  times[i].tv_nsec may be UTIME_NOW or UTIME_OMIT;
	 * times NULL is both now.  The credential rules are fchmod's and
	 * fchown's. */
	int (*chmod)(void *fs, const char *path, mode_t mode);
	int (*chown)(void *fs, const char *path, uid_t uid, gid_t gid);
	int (*utimens)(void *fs, const char *path, const struct timespec *times);
};

/* Linux's limit on the symbolic links one lookup follows (ELOOP past it). */
#define VFS_MAXSYMLINKS 40

/*
 * Socket nodes.  The socket layer (ipc/uipc_names.c) keeps what a bound
 * name means in an object of its own; a file system only stores the
 * pointer in the node, and calls these when it takes or drops a reference
 * (a lookup in progress; the node itself, when it is unlinked).  Set once,
 * at boot, before any process runs.
 */
struct vfs_socket_ops {
	void (*hold)(void *sock);
	void (*release)(void *sock);
};
void vfs_set_socket_ops(const struct vfs_socket_ops *ops);
void vfs_socket_hold(void *sock);
void vfs_socket_release(void *sock);

int vfs_mksock(const char *path, mode_t mode, void *sock);
int vfs_socket(const char *path, void **sockp);

/* Mount fs (with its ops) at the absolute, normalised path where.  At
 * boot, before any process runs.  0, -EBUSY (taken) or -ENOSPC (full). */
int vfs_mount(const char *where, const struct vfs_ops *ops, void *fs);

/* open(2): follows a final symbolic link unless O_NOFOLLOW (then ELOOP,
 * from the file system) or O_CREAT|O_EXCL (then EEXIST). */
int vfs_open(const char *path, int flags, mode_t mode, struct file **fpp);
int vfs_stat(const char *path, struct stat *st);
int vfs_lstat(const char *path, struct stat *st);
/* readlink(2) into a kernel buffer: as the vfs_ops readlink. */
long vfs_readlink(const char *path, char *buf, size_t size);
int vfs_symlink(const char *target, const char *path);
/* link(2): -EXDEV when from and to are in different file systems, -EPERM
 * for a directory. */
int vfs_link(const char *from, const char *to);
int vfs_chmod(const char *path, mode_t mode);
/* chown(2) (follow true) and lchown(2) (false). */
int vfs_chown(const char *path, uid_t uid, gid_t gid, bool follow);
/* utimensat(2) with AT_FDCWD: follow false for AT_SYMLINK_NOFOLLOW. */
int vfs_utimens(const char *path, const struct timespec *times, bool follow);
int vfs_unlink(const char *path);
int vfs_mkdir(const char *path, mode_t mode);
int vfs_rmdir(const char *path);
int vfs_chdir(const char *path);
/* rename(2): -EXDEV when from and to are in different file systems. */
int vfs_rename(const char *from, const char *to);

/*
 * getdents(2) for a file system's directories.  record(fp, pos, rec) puts
 * the record of entry pos (0 ".", 1 "..", then the names) in rec, a
 * buffer of VFS_DIRENT_MAX bytes, with vfs_dirent_build, and returns its
 * length, or 0 past the last entry; it is called without locks but the
 * file's f_lock, so it may take its file system's own.  vfs_getdents
 * copies records out while they fit and moves fp->offset past them.
 */
#define VFS_DIRENT_MAX  ROUNDUP(offsetof(struct linux_dirent64, d_name) + NAME_MAX + 1, 8)
long vfs_getdents(struct file *fp, void __user *buf, size_t n,
    size_t (*record)(struct file *fp, int64_t pos, uint64_t *rec));
/* The record of one entry in rec (padding zeroed); returns its length. */
size_t vfs_dirent_build(uint64_t *rec, uint64_t ino, int64_t pos, unsigned char type,
    const char *name);

/*
 * The absolute form of path (relative to the current process's directory),
 * with "//", "." and ".." resolved lexically -- without looking at the
 * tree, so without following symbolic links -- in out (size bytes).  For
 * the names a socket reports (getsockname), and the test of the lexical
 * rules.  0 or -ENAMETOOLONG,
 * -ENOMEM, -ENOENT (empty path).
 */
int vfs_normalize(const char *path, char *out, size_t size);

/* Path components: the next one after *pathp (skipping slashes), its
 * length in *len, and *pathp moved past it; false at the end. */
bool vfs_path_next(const char **pathp, const char **comp, size_t *len);
bool vfs_path_has_trailing_slash(const char *path);

#endif

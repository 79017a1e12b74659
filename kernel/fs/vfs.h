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
};

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

int vfs_open(const char *path, int flags, mode_t mode, struct file **fpp);
int vfs_stat(const char *path, struct stat *st);
int vfs_unlink(const char *path);
int vfs_mkdir(const char *path, mode_t mode);
int vfs_rmdir(const char *path);
int vfs_chdir(const char *path);
/* rename(2): -EXDEV when from and to are in different file systems. */
int vfs_rename(const char *from, const char *to);

/*
 * The absolute form of path (relative to the current process's directory),
 * with "//", "." and ".." resolved lexically, in out (size bytes).  Also
 * for the name spaces beside the tree (socket names).  0 or -ENAMETOOLONG,
 * -ENOMEM, -ENOENT (empty path).
 */
int vfs_normalize(const char *path, char *out, size_t size);

/* Path components: the next one after *pathp (skipping slashes), its
 * length in *len, and *pathp moved past it; false at the end. */
bool vfs_path_next(const char **pathp, const char **comp, size_t *len);
bool vfs_path_has_trailing_slash(const char *path);

#endif

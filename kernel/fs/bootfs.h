/*
 * bootfs.h - the boot file system: the cpio ("newc") archive GRUB loaded as
 * a module, read-only, all in memory (file data stays in the archive), plus
 * the device nodes of /dev (devfs.h).
 *
 * Paths are absolute, or relative to the current process's directory (the
 * cwd its fdtable holds).  "//", "." and ".." are normalised while walking
 * ("/.." is "/"); a trailing slash on something that is not a directory
 * is ENOTDIR; a component longer than NAME_MAX is ENAMETOOLONG.  The tree
 * never changes after bootfs_init, so lookups take no lock.
 */
#ifndef FS_BOOTFS_H
#define FS_BOOTFS_H

#include "kern/kernel.h"
#include "uapi/types.h"
#include "uapi/stat.h"

struct file;
struct vfs_ops;

/* Parse the archive into the tree and add /dev.  Once only (-EBUSY after);
 * -EINVAL for a malformed archive (nothing is kept), -ENOMEM. */
int bootfs_init(const void *archive, size_t len);
/* For exec: a regular file's bytes (which live as long as the kernel), and
 * its VM object (its pages, bootfs_pager.h) with a new reference for the
 * caller in *objp (NULL for an empty file).  -ENOENT, -ENOTDIR, -EISDIR,
 * -EACCES (a device). */
struct vm_object;
int bootfs_lookup_object(const char *path, const void **data, size_t *size,
    struct vm_object **objp);

/* The name-space operations, for vfs_mount at "/" (vfs.h): open honours
 * O_CREAT/O_EXCL/O_TRUNC/O_DIRECTORY/O_ACCMODE the way Linux does on a
 * read-only file system (EROFS); unlink, mkdir and rmdir are EROFS for a
 * name that exists, mkdir EEXIST. */
extern const struct vfs_ops bootfs_vfs_ops;

/* A private tree, for the self-tests (bootfs_test.c). */
struct bootfs_tree;
int bootfs_tree_parse(const void *archive, size_t len, struct bootfs_tree **out);
void bootfs_tree_free(struct bootfs_tree *t);
/* Walk an absolute path in t: 0 and the node's mode and size, or -errno. */
int bootfs_tree_stat(struct bootfs_tree *t, const char *path, mode_t *mode, size_t *size);

#endif

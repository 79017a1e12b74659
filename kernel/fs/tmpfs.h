/*
 * tmpfs.h - a writable file system whose files live in VM objects.
 *
 * Mounted at /tmp (vfs.h).  Directories, regular files, symbolic links
 * and socket names; a node other than a directory may have several names
 * (hard links).  Each regular
 * file's bytes are an anonymous, swap-backed VM object, the same kind of
 * object as an shm object's, so a file in /tmp pages to swap like any
 * other memory, and mmap of it maps the file's own object: a write(2) and
 * a store through a MAP_SHARED mapping see each other at once.
 */
#ifndef FS_TMPFS_H
#define FS_TMPFS_H

#include "kern/kernel.h"

struct vfs_ops;
struct tmpfs;

/* A new, empty tmpfs whose root has mode 01777 (like /tmp: anyone may
 * create, only an owner may remove).  NULL when out of memory. */
struct tmpfs *tmpfs_create(void);

extern const struct vfs_ops tmpfs_vfs_ops;

#endif

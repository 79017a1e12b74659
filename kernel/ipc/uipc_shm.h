/*
 * uipc_shm.h - POSIX shared memory objects (uipc_shm.c).
 *
 * The system calls of the shm name space.  Each returns a non-negative
 * result or a negative errno (see kern/syscall.h); the semantics, the
 * order of the checks and the object's lifetimes are described at the top
 * of uipc_shm.c.  Nothing else in the kernel calls into this file: mmap,
 * ftruncate, fstat, fchmod and fchown reach shm objects through the file
 * ops table of the descriptor (docs/design.md, "Files and descriptors").
 */
#ifndef IPC_UIPC_SHM_H
#define IPC_UIPC_SHM_H

#include "kern/kernel.h"
#include "kern/copyio.h"
#include "uapi/types.h"

/* Longest shm path including its NUL (FreeBSD's MAXPATHLEN): a path of
 * SHM_PATH_MAX bytes or more is ENAMETOOLONG. */
#define SHM_PATH_MAX 1024
/* Paths shorter than this are copied in on the stack, longer ones into a
 * heap buffer of SHM_PATH_MAX bytes. */
#define SHM_PATH_INLINE 128

/* Names one user may hold at once: shm_open(O_CREAT) past it is EDQUOT. */
#define SHM_NAMES_USER_MAX 512

/* Buckets of the name space's hash table (a power of two). */
#define SHM_HASH_BUCKETS 1024

long sys_shm_open(const char __user *path, int flags, mode_t mode);
long sys_memfd_create(const char __user *name, unsigned int flags);
long sys_shm_unlink(const char __user *path);
long sys_shm_rename(const char __user *from, const char __user *to, int flags);
/* Fill buf[0..max) with struct kshm_info (uapi/vmos.h) for the named
 * objects; returns how many were filled. */
long sys_shm_list(void __user *buf, int max);

#endif

/*
 * sys/mman.h - memory mappings and POSIX shared memory.
 *
 * shm_open() returns a descriptor for a shared memory object: size it with
 * ftruncate(), map it with mmap(MAP_SHARED).  shm_open(SHM_ANON, ...) makes
 * one with no name; shm_rename() renames one (FreeBSD's interface).
 */
#ifndef _SYS_MMAN_H
#define _SYS_MMAN_H

#include "uapi/types.h"
#include "uapi/mman.h"
#include "uapi/memfd.h"

void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset);
int   munmap(void *addr, size_t length);
int   mprotect(void *addr, size_t length, int prot);
int   mlockall(int flags);
int   munlockall(void);

int   shm_open(const char *path, int flags, mode_t mode);
/* An anonymous object that read, write and lseek also reach, and that can
 * be sealed (MFD_ALLOW_SEALING, then fcntl F_ADD_SEALS). */
int   memfd_create(const char *name, unsigned int flags);
int   shm_unlink(const char *path);
int   shm_rename(const char *path_from, const char *path_to, int flags);

#endif /* _SYS_MMAN_H */

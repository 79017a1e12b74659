/*
 * uapi/types.h - the basic types of the system call ABI.
 *
 * How kernel/uapi/ names things (read this once, it explains every uapi
 * header):
 *
 *   - Constants that a C library header also defines (EINVAL, O_CREAT,
 *     SIGKILL, ...) are defined here under their standard names, with the
 *     Linux x86-64 values.  The C library's <errno.h>, <fcntl.h>, ...
 *     include these headers instead of repeating the numbers, so there is
 *     exactly one definition of each.
 *   - Types and structs that POSIX names (pid_t, off_t, struct stat,
 *     struct timespec, ...) are defined here under their standard names
 *     too; the C library re-exports them by including the uapi header.
 *     A typedef may legally be repeated in C11 if it names the same type,
 *     so a kernel header that also says "typedef unsigned long size_t"
 *     does no harm.
 *   - Things no C library header has (struct linux_dirent64, the vmos
 *     calls) keep their Linux or vmos-specific names.
 *
 * Every uapi header uses only compiler built-ins (__INT64_TYPE__ and so
 * on) and other uapi headers, so both the freestanding kernel and the C
 * library can include it.  The ABI is x86-64 LP64 only: int is 32 bits,
 * long and pointers are 64 bits.
 */
#ifndef UAPI_TYPES_H
#define UAPI_TYPES_H

typedef __SIZE_TYPE__      size_t;     /* sizes of objects */
typedef __INT64_TYPE__     ssize_t;    /* a size or -1 */
typedef __INT64_TYPE__     off_t;      /* file offsets, file sizes */
typedef int                pid_t;      /* process ids */
typedef unsigned int       uid_t;      /* user ids */
typedef unsigned int       gid_t;      /* group ids */
typedef unsigned int       id_t;       /* any of pid_t, uid_t, gid_t */
typedef unsigned int       mode_t;     /* file type and permission bits */
typedef __UINT64_TYPE__    dev_t;      /* device numbers */
typedef __UINT64_TYPE__    ino_t;      /* inode numbers */
typedef __UINT64_TYPE__    nlink_t;    /* link counts */
typedef __INT64_TYPE__     blksize_t;  /* preferred I/O block size */
typedef __INT64_TYPE__     blkcnt_t;   /* counts of 512-byte blocks */
typedef __INT64_TYPE__     time_t;     /* seconds since 1970-01-01 UTC */
typedef __INT64_TYPE__     suseconds_t;/* microseconds, in struct timeval */
typedef int                clockid_t;  /* CLOCK_REALTIME, CLOCK_MONOTONIC, ... */
typedef unsigned int       socklen_t;  /* lengths of socket addresses */
typedef unsigned short     sa_family_t;/* AF_UNIX, ... */
typedef __UINT64_TYPE__    nfds_t;     /* number of entries given to poll() */

#endif /* UAPI_TYPES_H */

/*
 * uapi/mman.h - flags for mmap(), mprotect() and POSIX shared memory.
 *
 * The mmap values are Linux's.  shm_open() with SHM_ANON and shm_rename()
 * come from FreeBSD, whose VM system vmos follows, and use FreeBSD's values.
 */
#ifndef UAPI_MMAN_H
#define UAPI_MMAN_H

/* Page protection (mmap prot, mprotect). */
#define PROT_NONE        0x0        /* no access: any touch faults */
#define PROT_READ        0x1
#define PROT_WRITE       0x2
#define PROT_EXEC        0x4

/* mmap flags: exactly one of SHARED and PRIVATE ... */
#define MAP_SHARED       0x01       /* writes go to the object, seen by all mappers */
#define MAP_PRIVATE      0x02       /* copy-on-write: writes stay in this process */
#define MAP_TYPE         0x0f       /* mask for the two above */
/* ... plus any of these. */
#define MAP_FIXED        0x10       /* use addr exactly, replacing what is there */
#define MAP_ANONYMOUS    0x20       /* zero-filled memory, no file (fd = -1) */
#define MAP_ANON         MAP_ANONYMOUS
#define MAP_NORESERVE    0x4000
#define MAP_POPULATE     0x8000     /* fault every page in now */
#define MAP_FIXED_NOREPLACE 0x100000 /* like MAP_FIXED, but EEXIST if in use */

/*
 * mlockall() flags.  In vmos only the superuser may lock memory (as in
 * FreeBSD), and a locked process keeps every page it maps in memory: the
 * pageout daemon passes over them (vm/vm_pageout.c).  MCL_CURRENT also
 * brings back now every page of its own that is on swap.
 */
#define MCL_CURRENT      1
#define MCL_FUTURE       2

/* What mmap() returns on failure (the C library's view: -1 as a pointer). */
#define MAP_FAILED       ((void *)-1)

/*
 * shm_open(SHM_ANON, ...) makes an anonymous shm object that has no name;
 * it lives while descriptors or mappings refer to it.  The kernel checks
 * for this exact pointer value before reading the path.
 */
#define SHM_ANON                 ((char *)1)

/* shm_rename() flags. */
#define SHM_RENAME_NOREPLACE     1  /* fail with EEXIST if `to` exists */
#define SHM_RENAME_EXCHANGE      2  /* atomically swap the two names */

#endif /* UAPI_MMAN_H */

/*
 * fdtable.h - a process's descriptor table.
 *
 * Slot i holds a referenced struct file (or NULL) and the close-on-exec
 * flag of descriptor i.  New descriptors take the lowest free slot (POSIX).
 * fork copies the table (the files are shared, one more reference each);
 * exec closes the close-on-exec ones; exit frees the table.
 *
 * The table also holds the current directory as a normalised absolute path
 * string ("/" or "/bin", never a trailing slash), the way FreeBSD's filedesc
 * holds fd_cdir: it is per-process state that fork copies and exec keeps.
 *
 * The fd_* calls work on the current process's table; the fdtable_* calls
 * on a table given to them.
 */
#ifndef KERN_FDTABLE_H
#define KERN_FDTABLE_H

#include "kern/kernel.h"
#include "uapi/limits.h"

#define OPEN_MAX 256

struct file;
struct fdtable;

/* An empty table whose cwd is "/"; NULL when out of memory.  May not sleep. */
struct fdtable *fdtable_alloc(void);
/* A copy of src sharing every struct file (file_hold) with the same
 * close-on-exec flags and cwd; NULL when out of memory. */
struct fdtable *fdtable_fork(struct fdtable *src);
/* Close everything and free the table (may sleep in the files' close). */
void fdtable_free(struct fdtable *fdt);
/* Close the descriptors marked close-on-exec. */
void fdtable_exec(struct fdtable *fdt);

/* A kmalloc'd copy of the current directory (the caller kfrees it), or
 * NULL when out of memory. */
char *fdtable_cwd_dup(struct fdtable *fdt);
/* Replace the current directory with abspath (already normalised). */
int fdtable_setcwd(struct fdtable *fdt, const char *abspath);

/* More descriptor calls on curproc's table (see also kern/file.h). */
/* Remove fd from the table and drop its reference: 0 or -EBADF. */
int fd_close(int fd);
/* Install fp (a reference the table takes over) at the lowest free slot
 * >= minfd: the fd, -EINVAL (minfd out of range) or -EMFILE. */
int fd_install_from(struct file *fp, int minfd, int flags);
/* dup2/dup3: make newfd name the same file as oldfd, closing what newfd
 * held.  flags is FD_CLOEXEC or 0.  Returns newfd or -EBADF. */
int fd_dup2(int oldfd, int newfd, int flags);
/* The FD_CLOEXEC flag of fd (F_GETFD), or -EBADF. */
int fd_get_cloexec(int fd);
/* Set fd's descriptor flags (F_SETFD): 0 or -EBADF. */
int fd_set_cloexec(int fd, int flags);

/*
 * More calls on the current process's table.  All take and drop the
 * table's spinlock and never sleep, except that the ones that close a file
 * may sleep in its ops->close.
 */
/* The file at fd with a reference the caller now owns, or -EBADF. */
int fd_get(int fd, struct file **fpp);
/* Put fp in the lowest free slot; on success the table owns the caller's
 * reference and the fd is returned; -EMFILE (reference still the caller's). */
int fd_install(struct file *fp, int flags /* FD_CLOEXEC or 0 */);
/* 0 if curproc has a free slot, else -EMFILE (shm_open checks this first). */
int fd_reserve_check(void);

#endif

/*
 * fdtable.c - per-process descriptor tables (see fdtable.h).
 *
 * Locking: each table has a spinlock, fdt_lock, that guards the slots and
 * the cwd pointer.  It is held only to look at or change slots, never
 * across a file operation: a file leaves the table under the lock, and its
 * reference is dropped (file_release, which may sleep in ops->close) after
 * the lock is released.  Today only the owning process touches its table;
 * the lock makes the code right for threads, and for SCM_RIGHTS code that
 * installs descriptors into the receiver's table from its own context.
 *
 * RLIMIT_NOFILE: new descriptors are made only below the caller's soft
 * limit (at most OPEN_MAX, the table's size): EMFILE when none is free
 * there, EINVAL for F_DUPFD at or past it, EBADF for dup2 to it (POSIX).
 * Descriptors already open above a lowered limit stay usable, as in Linux.
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/string.h"
#include "kern/spinlock.h"
#include "kern/proc.h"
#include "kern/file.h"
#include "kern/rlimit.h"
#include "kern/fdtable.h"
#include "vm/kmem.h"
#include "uapi/fcntl.h"

struct fdtable {
	struct spinlock fdt_lock;
	struct file *files[OPEN_MAX];   /* (l) a referenced file, or NULL */
	uint8_t cloexec[OPEN_MAX];      /* (l) FD_CLOEXEC of each slot */
	char *cwd;                      /* (l) kmalloc'd normalised absolute path */
};

static char *string_dup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *copy = kmalloc(n, 0);
	if (copy != NULL)
		memcpy(copy, s, n);
	return copy;
}

static struct fdtable *fdtable_new(const char *cwd)
{
	struct fdtable *fdt = kmalloc(sizeof(*fdt), KM_ZERO);
	if (fdt == NULL)
		return NULL;
	spinlock_init(&fdt->fdt_lock, "fdtable");
	fdt->cwd = string_dup(cwd);
	if (fdt->cwd == NULL) {
		kfree(fdt);
		return NULL;
	}
	return fdt;
}

struct fdtable *fdtable_alloc(void)
{
	return fdtable_new("/");
}

/* The files are shared: one more reference each.  May not sleep... except
 * in kmalloc. */
struct fdtable *fdtable_fork(struct fdtable *src)
{
	char *cwd = fdtable_cwd_dup(src);
	if (cwd == NULL)
		return NULL;
	struct fdtable *fdt = fdtable_new(cwd);
	kfree(cwd);
	if (fdt == NULL)
		return NULL;
	spinlock_acquire(&src->fdt_lock);
	for (int fd = 0; fd < OPEN_MAX; fd++) {
		if (src->files[fd] == NULL)
			continue;
		file_hold(src->files[fd]);
		fdt->files[fd] = src->files[fd];
		fdt->cloexec[fd] = src->cloexec[fd];
	}
	spinlock_release(&src->fdt_lock);
	return fdt;
}

/* Take slot fd out of the table; its reference is now the caller's. */
static struct file *fdtable_detach(struct fdtable *fdt, int fd)
{
	KASSERT(spinlock_held(&fdt->fdt_lock), "fdtable_detach: lock not held");
	struct file *fp = fdt->files[fd];
	fdt->files[fd] = NULL;
	fdt->cloexec[fd] = 0;
	return fp;
}

/* Close every slot for which `all` is set or the slot is close-on-exec. */
static void fdtable_close_some(struct fdtable *fdt, bool all)
{
	for (int fd = 0; fd < OPEN_MAX; fd++) {
		spinlock_acquire(&fdt->fdt_lock);
		struct file *fp = NULL;
		if (all || fdt->cloexec[fd])
			fp = fdtable_detach(fdt, fd);
		spinlock_release(&fdt->fdt_lock);
		if (fp != NULL)
			file_release(fp);
	}
}

void fdtable_free(struct fdtable *fdt)
{
	fdtable_close_some(fdt, true);
	kfree(fdt->cwd);
	kfree(fdt);
}

void fdtable_exec(struct fdtable *fdt)
{
	fdtable_close_some(fdt, false);
}

/* kmalloc is not called under the spinlock (it may one day wait for memory):
 * size, allocate, then copy if the cwd did not change length meanwhile. */
char *fdtable_cwd_dup(struct fdtable *fdt)
{
	for (;;) {
		spinlock_acquire(&fdt->fdt_lock);
		size_t len = strlen(fdt->cwd);
		spinlock_release(&fdt->fdt_lock);
		char *copy = kmalloc(len + 1, 0);
		if (copy == NULL)
			return NULL;
		spinlock_acquire(&fdt->fdt_lock);
		bool same = strlen(fdt->cwd) == len;
		if (same)
			memcpy(copy, fdt->cwd, len + 1);
		spinlock_release(&fdt->fdt_lock);
		if (same)
			return copy;
		kfree(copy);
	}
}

int fdtable_setcwd(struct fdtable *fdt, const char *abspath)
{
	char *copy = string_dup(abspath);
	if (copy == NULL)
		return -ENOMEM;
	spinlock_acquire(&fdt->fdt_lock);
	char *old = fdt->cwd;
	fdt->cwd = copy;
	spinlock_release(&fdt->fdt_lock);
	kfree(old);
	return 0;
}

/* ------------------------------------------------ calls on curproc's table */

static struct fdtable *cur_fdtable(void)
{
	struct proc *p = curproc();
	KASSERT(p != NULL && p->fdtable != NULL, "cur_fdtable: no process or no table");
	return p->fdtable;
}

static bool fd_valid(int fd)
{
	return fd >= 0 && fd < OPEN_MAX;
}

/* The first descriptor number the caller may not make (RLIMIT_NOFILE). */
static int fd_limit(void)
{
	return (int)MIN(rlimit_cur(curproc(), RLIMIT_NOFILE), (rlim_t)OPEN_MAX);
}

int fd_get(int fd, struct file **fpp)
{
	struct fdtable *fdt = cur_fdtable();
	int ret = -EBADF;
	if (!fd_valid(fd))
		return -EBADF;
	spinlock_acquire(&fdt->fdt_lock);
	if (fdt->files[fd] != NULL) {
		file_hold(fdt->files[fd]);
		*fpp = fdt->files[fd];
		ret = 0;
	}
	spinlock_release(&fdt->fdt_lock);
	return ret;
}

int fd_install_from(struct file *fp, int minfd, int flags)
{
	struct fdtable *fdt = cur_fdtable();
	int ret = -EMFILE, limit = fd_limit();
	if (minfd < 0 || minfd >= limit)
		return -EINVAL;
	spinlock_acquire(&fdt->fdt_lock);
	for (int fd = minfd; fd < limit; fd++) {
		if (fdt->files[fd] == NULL) {
			fdt->files[fd] = fp;
			fdt->cloexec[fd] = (flags & FD_CLOEXEC) ? 1 : 0;
			ret = fd;
			break;
		}
	}
	spinlock_release(&fdt->fdt_lock);
	return ret;
}

int fd_install(struct file *fp, int flags)
{
	return fd_install_from(fp, 0, flags);
}

int fd_reserve_check(void)
{
	struct fdtable *fdt = cur_fdtable();
	int ret = -EMFILE, limit = fd_limit();
	spinlock_acquire(&fdt->fdt_lock);
	for (int fd = 0; fd < limit; fd++) {
		if (fdt->files[fd] == NULL) {
			ret = 0;
			break;
		}
	}
	spinlock_release(&fdt->fdt_lock);
	return ret;
}

int fd_close(int fd)
{
	struct fdtable *fdt = cur_fdtable();
	if (!fd_valid(fd))
		return -EBADF;
	spinlock_acquire(&fdt->fdt_lock);
	struct file *fp = fdtable_detach(fdt, fd);
	spinlock_release(&fdt->fdt_lock);
	if (fp == NULL)
		return -EBADF;
	file_release(fp);
	return 0;
}

/*
 * The replaced file is released after the lock is dropped.  oldfd == newfd
 * is the caller's business (dup2 returns newfd, dup3 says EINVAL); here it
 * only sets the close-on-exec flag.
 */
int fd_dup2(int oldfd, int newfd, int flags)
{
	struct fdtable *fdt = cur_fdtable();
	struct file *old = NULL;
	if (!fd_valid(oldfd) || newfd < 0 || newfd >= fd_limit())
		return -EBADF;
	spinlock_acquire(&fdt->fdt_lock);
	struct file *fp = fdt->files[oldfd];
	if (fp == NULL) {
		spinlock_release(&fdt->fdt_lock);
		return -EBADF;
	}
	file_hold(fp);
	old = fdtable_detach(fdt, newfd);
	fdt->files[newfd] = fp;
	fdt->cloexec[newfd] = (flags & FD_CLOEXEC) ? 1 : 0;
	spinlock_release(&fdt->fdt_lock);
	if (old != NULL)
		file_release(old);
	return newfd;
}

int fd_get_cloexec(int fd)
{
	struct fdtable *fdt = cur_fdtable();
	int ret = -EBADF;
	if (!fd_valid(fd))
		return -EBADF;
	spinlock_acquire(&fdt->fdt_lock);
	if (fdt->files[fd] != NULL)
		ret = fdt->cloexec[fd] ? FD_CLOEXEC : 0;
	spinlock_release(&fdt->fdt_lock);
	return ret;
}

int fd_set_cloexec(int fd, int flags)
{
	struct fdtable *fdt = cur_fdtable();
	int ret = -EBADF;
	if (!fd_valid(fd))
		return -EBADF;
	spinlock_acquire(&fdt->fdt_lock);
	if (fdt->files[fd] != NULL) {
		fdt->cloexec[fd] = (flags & FD_CLOEXEC) ? 1 : 0;
		ret = 0;
	}
	spinlock_release(&fdt->fdt_lock);
	return ret;
}

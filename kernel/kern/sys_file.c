/*
 * sys_file.c - the system calls on descriptors and file names.
 *
 * Each call is thin: copy the arguments in (paths through path_copyin,
 * which gives ENOENT for "" and ENAMETOOLONG past PATH_MAX), take a
 * reference on the file with fd_get (EBADF for a descriptor that is not
 * open), check the access mode where POSIX asks for it, and hand over to
 * the file's ops.  A call that makes a descriptor checks for a free slot
 * first and installs the descriptor last; if installing fails anyway, the
 * new file is released.
 *
 * Names go to the file system mounted where they are (fs/vfs.h): the
 * read-only boot file system at "/", tmpfs at "/tmp".
 *
 * Socket names are nodes of the tree like any other name (bind makes
 * them: ipc/uipc_names.c), so unlink and rename need nothing special.
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/string.h"
#include "kern/proc.h"
#include "kern/copyio.h"
#include "kern/file.h"
#include "kern/fdtable.h"
#include "kern/pipe.h"
#include "kern/sys_file.h"
#include "fs/vfs.h"
#include "vm/kmem.h"
#include "uapi/fcntl.h"
#include "uapi/limits.h"

/* Linux's MAX_RW_COUNT: the most one read or write moves. */
#define RW_MAX 0x7ffff000ul

/* Copy a path in: a kmalloc'd string the caller kfrees, or -errno. */
static int path_copyin(const char __user *upath, char **out)
{
	char *path = kmalloc(PATH_MAX, 0);
	if (path == NULL)
		return -ENOMEM;
	long len = copyinstr(upath, path, PATH_MAX);
	if (len == 0)
		len = -ENOENT;
	if (len < 0) {
		kfree(path);
		return (int)len;
	}
	*out = path;
	return 0;
}

static int cloexec_of(int oflags)
{
	return (oflags & O_CLOEXEC) ? FD_CLOEXEC : 0;
}

/* Install a new file, or release it if that fails.  Returns the fd or -errno. */
static long install_or_release(struct file *fp, int fdflags)
{
	int fd = fd_install(fp, fdflags);
	if (fd < 0)
		file_release(fp);
	return fd;
}

/* ------------------------------------------------------------- read, write */

long sys_read(int fd, void __user *buf, size_t n)
{
	struct file *fp;
	long r = fd_get(fd, &fp);
	if (r < 0)
		return r;
	r = file_readable(fp) ? fp->ops->read(fp, buf, MIN(n, RW_MAX)) : -EBADF;
	file_release(fp);
	return r;
}

/* pread64 and pwrite64: as read and write at offset off, which stays the
 * caller's (the file's own offset does not move). */
long sys_pread64(int fd, void __user *buf, size_t n, int64_t off)
{
	struct file *fp;
	long r = fd_get(fd, &fp);
	if (r < 0)
		return r;
	if (!file_readable(fp))
		r = -EBADF;
	else if (fp->ops->pread == NULL)
		r = -ESPIPE;
	else if (off < 0)
		r = -EINVAL;
	else
		r = fp->ops->pread(fp, buf, MIN(n, RW_MAX), off);
	file_release(fp);
	return r;
}

long sys_pwrite64(int fd, const void __user *buf, size_t n, int64_t off)
{
	struct file *fp;
	long r = fd_get(fd, &fp);
	if (r < 0)
		return r;
	if (!file_writable(fp))
		r = -EBADF;
	else if (fp->ops->pwrite == NULL)
		r = -ESPIPE;
	else if (off < 0)
		r = -EINVAL;
	else
		r = fp->ops->pwrite(fp, buf, MIN(n, RW_MAX), off);
	file_release(fp);
	return r;
}

long sys_write(int fd, const void __user *buf, size_t n)
{
	struct file *fp;
	long r = fd_get(fd, &fp);
	if (r < 0)
		return r;
	r = file_writable(fp) ? fp->ops->write(fp, buf, MIN(n, RW_MAX)) : -EBADF;
	file_release(fp);
	return r;
}

long sys_lseek(int fd, int64_t offset, int whence)
{
	struct file *fp;
	long r = fd_get(fd, &fp);
	if (r < 0)
		return r;
	r = fp->ops->lseek(fp, offset, whence);
	file_release(fp);
	return r;
}

long sys_getdents64(int fd, void __user *buf, size_t n)
{
	struct file *fp;
	long r = fd_get(fd, &fp);
	if (r < 0)
		return r;
	r = fp->ops->getdents ? fp->ops->getdents(fp, buf, MIN(n, RW_MAX)) : -ENOTDIR;
	file_release(fp);
	return r;
}

long sys_ioctl(int fd, unsigned long cmd, void __user *arg)
{
	struct file *fp;
	long r = fd_get(fd, &fp);
	if (r < 0)
		return r;
	r = fp->ops->ioctl(fp, cmd, arg);
	file_release(fp);
	return r;
}

/* ------------------------------------------------------- open, close, stat */

long sys_open(const char __user *upath, int flags, mode_t mode)
{
	struct file *fp;
	char *path = NULL;
	long r = fd_reserve_check();
	if (r == 0)
		r = path_copyin(upath, &path);
	if (r < 0)
		return r;
	r = vfs_open(path, flags, mode & 07777, &fp);
	kfree(path);
	if (r < 0)
		return r;
	return install_or_release(fp, cloexec_of(flags));
}

long sys_close(int fd)
{
	return fd_close(fd);
}

long sys_fstat(int fd, struct stat __user *ust)
{
	struct stat st;
	struct file *fp;
	long r = fd_get(fd, &fp);
	if (r < 0)
		return r;
	r = fp->ops->stat(fp, &st);
	file_release(fp);
	if (r == 0)
		r = copyout(&st, ust, sizeof(st));
	return r;
}

static long stat_common(const char __user *upath, struct stat __user *ust, bool follow)
{
	struct stat st;
	char *path = NULL;
	long r = path_copyin(upath, &path);
	if (r < 0)
		return r;
	r = follow ? vfs_stat(path, &st) : vfs_lstat(path, &st);
	kfree(path);
	if (r == 0)
		r = copyout(&st, ust, sizeof(st));
	return r;
}

/* stat follows a final symbolic link; lstat describes the link itself. */
long sys_stat(const char __user *upath, struct stat __user *ust)
{
	return stat_common(upath, ust, true);
}

long sys_lstat(const char __user *upath, struct stat __user *ust)
{
	return stat_common(upath, ust, false);
}

/* ------------------------------------------------------------ dup, fcntl */

long sys_dup(int fd)
{
	struct file *fp;
	long r = fd_get(fd, &fp);
	if (r < 0)
		return r;
	return install_or_release(fp, 0);
}

long sys_dup2(int oldfd, int newfd)
{
	struct file *fp;
	if (oldfd != newfd)
		return fd_dup2(oldfd, newfd, 0);
	long r = fd_get(oldfd, &fp);       /* dup2(fd, fd): just check fd */
	if (r < 0)
		return r;
	file_release(fp);
	return newfd;
}

long sys_dup3(int oldfd, int newfd, int flags)
{
	if ((flags & ~O_CLOEXEC) != 0 || oldfd == newfd)
		return -EINVAL;
	return fd_dup2(oldfd, newfd, cloexec_of(flags));
}

/* F_DUPFD / F_DUPFD_CLOEXEC: the lowest free fd >= minfd. */
static long fcntl_dupfd(int fd, unsigned long minfd, int fdflags)
{
	struct file *fp;
	if (minfd >= OPEN_MAX)
		return -EINVAL;
	long r = fd_get(fd, &fp);
	if (r < 0)
		return r;
	r = fd_install_from(fp, (int)minfd, fdflags);
	if (r < 0)
		file_release(fp);
	return r;
}

/* F_ADD_SEALS / F_GET_SEALS: only shm objects have seals (ipc/uipc_shm.c). */
static long fcntl_seals(int fd, int cmd, unsigned long arg)
{
	struct file *fp;
	long r = fd_get(fd, &fp);
	if (r < 0)
		return r;
	r = fp->ops->seals ? fp->ops->seals(fp, cmd, arg) : -EINVAL;
	file_release(fp);
	return r;
}

/* F_GETFL / F_SETFL: the status flags live in the file, shared by dups. */
static long fcntl_fl(int fd, int cmd, unsigned long arg)
{
	struct file *fp;
	long r = fd_get(fd, &fp);
	if (r < 0)
		return r;
	if (cmd == F_GETFL)
		r = file_get_flags(fp);
	else
		file_set_status_flags(fp, (int)arg);
	file_release(fp);
	return r;
}

long sys_fcntl(int fd, int cmd, unsigned long arg)
{
	switch (cmd) {
	case F_DUPFD:
		return fcntl_dupfd(fd, arg, 0);
	case F_DUPFD_CLOEXEC:
		return fcntl_dupfd(fd, arg, FD_CLOEXEC);
	case F_GETFD:
		return fd_get_cloexec(fd);
	case F_SETFD:
		return fd_set_cloexec(fd, (int)arg);
	case F_GETFL:
	case F_SETFL:
		return fcntl_fl(fd, cmd, arg);
	case F_ADD_SEALS:
	case F_GET_SEALS:
		return fcntl_seals(fd, cmd, arg);
	default:
		return -EINVAL;
	}
}

/* -------------------------------------------------------------------- pipe */

long sys_pipe2(int __user *ufds, int flags)
{
	struct file *rfp, *wfp;
	int fds[2];
	if ((flags & ~(O_CLOEXEC | O_NONBLOCK)) != 0)
		return -EINVAL;
	long r = pipe_create(flags, &rfp, &wfp);
	if (r < 0)
		return r;
	fds[0] = fd_install(rfp, cloexec_of(flags));
	if (fds[0] < 0) {
		file_release(rfp);
		file_release(wfp);
		return fds[0];
	}
	fds[1] = (int)install_or_release(wfp, cloexec_of(flags));
	if (fds[1] < 0) {
		fd_close(fds[0]);
		return fds[1];
	}
	r = copyout(fds, ufds, sizeof(fds));
	if (r < 0) {
		fd_close(fds[0]);
		fd_close(fds[1]);
	}
	return r;
}

long sys_pipe(int __user *ufds)
{
	return sys_pipe2(ufds, 0);
}

/* ---------------------------------------------- truncate, chmod, chown */

long sys_ftruncate(int fd, int64_t length)
{
	struct file *fp;
	if (length < 0)
		return -EINVAL;
	long r = fd_get(fd, &fp);
	if (r < 0)
		return r;
	r = file_writable(fp) ? fp->ops->truncate(fp, length) : -EINVAL;
	file_release(fp);
	return r;
}

long sys_fchmod(int fd, mode_t mode)
{
	struct file *fp;
	long r = fd_get(fd, &fp);
	if (r < 0)
		return r;
	r = fp->ops->chmod(fp, mode & 07777);
	file_release(fp);
	return r;
}

long sys_fchown(int fd, uid_t uid, gid_t gid)
{
	struct file *fp;
	long r = fd_get(fd, &fp);
	if (r < 0)
		return r;
	r = fp->ops->chown(fp, uid, gid);
	file_release(fp);
	return r;
}

/* ------------------------------------------------------ the name space */

long sys_chdir(const char __user *upath)
{
	char *path = NULL;
	long r = path_copyin(upath, &path);
	if (r < 0)
		return r;
	r = vfs_chdir(path);
	kfree(path);
	return r;
}

/* Linux's getcwd system call returns the length including the NUL. */
long sys_getcwd(char __user *buf, size_t size)
{
	char *cwd = fdtable_cwd_dup(curproc()->fdtable);
	if (cwd == NULL)
		return -ENOMEM;
	size_t len = strlen(cwd) + 1;
	long r = len > size ? -ERANGE : copyout(cwd, buf, len);
	kfree(cwd);
	return r < 0 ? r : (long)len;
}

long sys_unlink(const char __user *upath)
{
	char *path = NULL;
	long r = path_copyin(upath, &path);
	if (r < 0)
		return r;
	r = vfs_unlink(path);
	kfree(path);
	return r;
}

long sys_mkdir(const char __user *upath, mode_t mode)
{
	char *path = NULL;
	long r = path_copyin(upath, &path);
	if (r < 0)
		return r;
	r = vfs_mkdir(path, mode & 07777);
	kfree(path);
	return r;
}

long sys_rmdir(const char __user *upath)
{
	char *path = NULL;
	long r = path_copyin(upath, &path);
	if (r < 0)
		return r;
	r = vfs_rmdir(path);
	kfree(path);
	return r;
}

/* A call on two paths (rename, link, symlink): both copied in, then op. */
static long two_paths(const char __user *ua, const char __user *ub,
    int (*op)(const char *a, const char *b))
{
	char *a = NULL, *b = NULL;
	long r = path_copyin(ua, &a);
	if (r == 0)
		r = path_copyin(ub, &b);
	if (r == 0)
		r = op(a, b);
	kfree(a);
	kfree(b);
	return r;
}

long sys_rename(const char __user *ufrom, const char __user *uto)
{
	return two_paths(ufrom, uto, vfs_rename);
}

/* ------------------------------------------------- links and attributes */

long sys_link(const char __user *ufrom, const char __user *uto)
{
	return two_paths(ufrom, uto, vfs_link);
}

/* The target is a string, not a path looked up now: copied in with the
 * same rules (ENOENT for "", ENAMETOOLONG past PATH_MAX - 1 bytes). */
long sys_symlink(const char __user *utarget, const char __user *upath)
{
	return two_paths(utarget, upath, vfs_symlink);
}

/*
 * readlink(2): the link's target in buf, cut to size bytes, with no NUL
 * added; the count of bytes placed.  A size of 0 (or past INT_MAX) is
 * EINVAL, as on Linux.
 */
long sys_readlink(const char __user *upath, char __user *buf, size_t size)
{
	char *path = NULL, *target = NULL;
	if (size == 0 || size > 0x7fffffff)
		return -EINVAL;
	long r = path_copyin(upath, &path);
	if (r == 0 && (target = kmalloc(PATH_MAX, 0)) == NULL)
		r = -ENOMEM;
	if (r == 0)
		r = vfs_readlink(path, target, PATH_MAX);
	if (r > 0) {
		size_t n = MIN((size_t)r, size);
		r = copyout(target, buf, n);
		if (r == 0)
			r = (long)n;
	}
	kfree(path);
	kfree(target);
	return r;
}

long sys_chmod(const char __user *upath, mode_t mode)
{
	char *path = NULL;
	long r = path_copyin(upath, &path);
	if (r < 0)
		return r;
	r = vfs_chmod(path, mode & 07777);
	kfree(path);
	return r;
}

static long chown_common(const char __user *upath, uid_t uid, gid_t gid, bool follow)
{
	char *path = NULL;
	long r = path_copyin(upath, &path);
	if (r < 0)
		return r;
	r = vfs_chown(path, uid, gid, follow);
	kfree(path);
	return r;
}

long sys_chown(const char __user *upath, uid_t uid, gid_t gid)
{
	return chown_common(upath, uid, gid, true);
}

/* lchown: of a symbolic link itself. */
long sys_lchown(const char __user *upath, uid_t uid, gid_t gid)
{
	return chown_common(upath, uid, gid, false);
}

/*
 * utimensat(2).  vmos has no other *at calls, so the directory descriptor
 * must be AT_FDCWD unless the path is absolute (EINVAL otherwise; Linux
 * would look the name up in that directory), and a NULL path -- Linux's
 * futimens -- is EFAULT.  times NULL: both now.
 */
long sys_utimensat(int dirfd, const char __user *upath, const struct timespec __user *utimes,
    int flags)
{
	struct timespec times[2];
	char *path = NULL;
	if (flags & ~AT_SYMLINK_NOFOLLOW)
		return -EINVAL;
	if (upath == NULL)
		return -EFAULT;
	long r = utimes != NULL ? copyin(utimes, times, sizeof(times)) : 0;
	if (r == 0)
		r = path_copyin(upath, &path);
	if (r < 0)
		return r;
	if (dirfd != AT_FDCWD && path[0] != '/')
		r = -EINVAL;
	else
		r = vfs_utimens(path, utimes != NULL ? times : NULL, !(flags & AT_SYMLINK_NOFOLLOW));
	kfree(path);
	return r;
}

/*
 * fsync and fdatasync: nothing to do.  Every file system here lives in
 * memory (tmpfs's pages may go to swap, but swap does not survive a boot,
 * so there is no stable storage to reach).  As on Linux, a descriptor of
 * something that cannot be synced -- a pipe, a socket -- is EINVAL; a
 * file with a position (pread) can.
 */
long sys_fsync(int fd)
{
	struct file *fp;
	long r = fd_get(fd, &fp);
	if (r < 0)
		return r;
	r = fp->ops->pread != NULL || fp->ops->getdents != NULL ? 0 : -EINVAL;
	file_release(fp);
	return r;
}

long sys_fdatasync(int fd)
{
	return sys_fsync(fd);
}

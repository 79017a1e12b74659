/*
 * tmpfs_file.c - what an open tmpfs file does: read, write, pread,
 * pwrite, lseek, mmap, ftruncate, fstat, getdents.
 *
 * A regular file's bytes are the pages of its VM object: read and write
 * copy through them (vm_object_read/vm_object_write, as FreeBSD's
 * uiomove_object), and mmap hands out the object itself, so a write(2)
 * and a store through a MAP_SHARED mapping are the same bytes.  The
 * node's lock is held across a read or write, so that the size a reader
 * sees and the bytes it reads agree and two appends cannot write at the
 * same offset; the file's f_lock (the offset) is taken before it.  The
 * tree -- nodes, names, lookups, lifetimes -- is tmpfs.c's.
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/string.h"
#include "kern/proc.h"
#include "kern/file.h"
#include "kern/copyio.h"
#include "fs/vfs.h"
#include "fs/tmpfs_node.h"
#include "vm/vm_object.h"
#include "vm/vm_object_io.h"
#include "uapi/mman.h"
#include "vm/vm_page.h"
#include "uapi/fcntl.h"
#include "uapi/limits.h"
#include "uapi/dirent.h"
#include "uapi/poll.h"

/*
 * Set a file's size to length (>= 0).  Shrinking frees the whole pages past
 * the end (unmapping them everywhere) and zeroes the tail of a partial
 * last page; growing zeroes the tail of the old last page first, since a
 * mapping may have written there.  0, or -ENOSPC past the file system's
 * limit (nothing changed).  (n) held.
 */
int tmpfs_file_resize(struct tmpfs_node *n, int64_t length)
{
	uint64_t npages = tmpfs_size_pages(length);
	if (tmpfs_space_resize(n->fs, n->size, length) < 0)
		return -ENOSPC;
	if (length < n->size) {
		vm_object_set_size(n->object, npages);
		vm_object_zero_tail(n->object, (uint64_t)length);
	} else if (length > n->size) {
		vm_object_zero_tail(n->object, (uint64_t)n->size);
		vm_object_set_size(n->object, npages);
	}
	n->size = length;
	n->mtime = n->ctime = tmpfs_now();
	return 0;
}

/* Read up to n bytes at off.  (n) held. */
static long node_read(struct tmpfs_node *node, void __user *buf, size_t n, int64_t off)
{
	if (off >= node->size)
		return 0;
	long ret = vm_object_read(node->object, (uint64_t)off, buf,
	    MIN(n, (size_t)(node->size - off)));
	node->atime = tmpfs_now();
	return ret;
}

/* Write n bytes at off, growing the file as needed.  (n) held. */
static long node_write(struct tmpfs_node *node, const void __user *buf, size_t n, int64_t off)
{
	int64_t old = node->size;
	if (n == 0)
		return 0;
	if (off >= TMPFS_FILE_MAX || (int64_t)n > TMPFS_FILE_MAX - off)
		return -EFBIG;
	if (off + (int64_t)n > node->size && tmpfs_file_resize(node, off + (int64_t)n) < 0)
		return -ENOSPC;
	long ret = vm_object_write(node->object, (uint64_t)off, buf, n);
	if (ret == -ENOMEM)
		ret = -ENOSPC;                  /* no page left in memory or on swap */
	int64_t end = ret > 0 ? off + ret : off;
	if (node->size > MAX(end, old))
		(void)tmpfs_file_resize(node, MAX(end, old));         /* give back what was not written */
	if (ret > 0)
		node->mtime = node->ctime = tmpfs_now();
	return ret;
}

static long tmpfs_read(struct file *fp, void __user *buf, size_t n)
{
	struct tmpfs_node *node = fp->data;
	mutex_lock(&fp->f_lock);
	mutex_lock(&node->lock);
	long ret = node_read(node, buf, n, fp->offset);
	if (ret > 0)
		fp->offset += ret;
	mutex_unlock(&node->lock);
	mutex_unlock(&fp->f_lock);
	return ret;
}

static long tmpfs_write(struct file *fp, const void __user *buf, size_t n)
{
	struct tmpfs_node *node = fp->data;
	mutex_lock(&fp->f_lock);
	mutex_lock(&node->lock);
	int64_t off = (fp->flags & O_APPEND) ? node->size : fp->offset;
	long ret = node_write(node, buf, n, off);
	if (ret > 0)
		fp->offset = off + ret;
	mutex_unlock(&node->lock);
	mutex_unlock(&fp->f_lock);
	return ret;
}

static long tmpfs_pread(struct file *fp, void __user *buf, size_t n, int64_t off)
{
	struct tmpfs_node *node = fp->data;
	mutex_lock(&node->lock);
	long ret = node_read(node, buf, n, off);
	mutex_unlock(&node->lock);
	return ret;
}

/* As Linux: on a file opened with O_APPEND, pwrite appends too. */
static long tmpfs_pwrite(struct file *fp, const void __user *buf, size_t n, int64_t off)
{
	struct tmpfs_node *node = fp->data;
	mutex_lock(&node->lock);
	long ret = node_write(node, buf, n, (fp->flags & O_APPEND) ? node->size : off);
	mutex_unlock(&node->lock);
	return ret;
}

static long tmpfs_lseek(struct file *fp, int64_t off, int whence)
{
	struct tmpfs_node *node = fp->data;
	mutex_lock(&fp->f_lock);
	mutex_lock(&node->lock);
	int64_t end = tmpfs_node_is_dir(node) ? -1 : node->size;
	int64_t target = end < 0 && whence == SEEK_END ? -EINVAL :
	    file_seek_target(fp->offset, end, off, whence);
	mutex_unlock(&node->lock);
	if (target >= 0)
		fp->offset = target;
	mutex_unlock(&fp->f_lock);
	return target;
}

static int tmpfs_fstat(struct file *fp, struct stat *st)
{
	tmpfs_node_stat(fp->data, st);
	return 0;
}

static int tmpfs_poll(struct file *fp __unused, int events)
{
	return events & (POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM);
}

/* The file's own object, with a reference for the map entry (as shm). */
static int tmpfs_mmap(struct file *fp, uint64_t offset __unused, uint64_t len __unused,
    int prot __unused, int flags, int *max_prot, struct vm_object **objp)
{
	struct tmpfs_node *node = fp->data;
	if ((flags & MAP_TYPE) == MAP_SHARED && (*max_prot & PROT_WRITE))
		vm_object_count_writers(node->object, 1);       /* file.h: fo_mmap */
	vm_object_reference(node->object);
	*objp = node->object;
	return 0;
}

/* ftruncate: sys_ftruncate has refused a negative length and a descriptor
 * not open for writing. */
static int tmpfs_truncate(struct file *fp, int64_t length)
{
	struct tmpfs_node *node = fp->data;
	if (length > TMPFS_FILE_MAX)
		return -EFBIG;
	mutex_lock(&node->lock);
	int r = tmpfs_file_resize(node, length);
	mutex_unlock(&node->lock);
	return r;
}

static int tmpfs_chmod(struct file *fp, mode_t mode)
{
	return tmpfs_node_chmod(fp->data, mode);
}

static int tmpfs_chown(struct file *fp, uid_t uid, gid_t gid)
{
	return tmpfs_node_chown(fp->data, uid, gid);
}

static void tmpfs_close(struct file *fp)
{
	struct tmpfs_node *node = fp->data;
	mutex_lock(&tmpfs_lock);
	node->opens--;
	tmpfs_node_maybe_free(node->fs, node);
	mutex_unlock(&tmpfs_lock);
}

/* -------------------------------------------------------------- directories */

static long tmpfs_dir_read(struct file *fp __unused, void __user *buf __unused, size_t n __unused)
{
	return -EISDIR;
}

/* Entry pos of dir: ".", "..", then the entries.  (t) held. */
static struct tmpfs_node *dir_entry_at(struct tmpfs_node *dir, int64_t pos, const char **name)
{
	if (pos == 0) {
		*name = ".";
		return dir;
	}
	if (pos == 1) {
		*name = "..";
		return dir->parent ? dir->parent : dir;
	}
	int64_t i = 2;
	list_foreach(&dir->children, it) {
		struct tmpfs_dirent *de = list_entry(it, struct tmpfs_dirent, sibling);
		if (i++ == pos) {
			*name = de->name;
			return de->node;
		}
	}
	return NULL;
}

/* The record of entry pos of fp's directory, or 0 past the last. */
static size_t tmpfs_dirent_record(struct file *fp, int64_t pos, uint64_t *rec)
{
	const char *name;
	size_t reclen = 0;
	mutex_lock(&tmpfs_lock);
	struct tmpfs_node *ent = dir_entry_at(fp->data, pos, &name);
	if (ent != NULL)
		reclen = vfs_dirent_build(rec, ent->ino, pos, tmpfs_node_is_dir(ent) ? DT_DIR :
		    S_ISSOCK(ent->mode) ? DT_SOCK : S_ISLNK(ent->mode) ? DT_LNK : DT_REG, name);
	mutex_unlock(&tmpfs_lock);
	return reclen;
}

static long tmpfs_getdents(struct file *fp, void __user *buf, size_t n)
{
	return vfs_getdents(fp, buf, n, tmpfs_dirent_record);
}

const struct file_ops tmpfs_file_ops = {
	.name = "tmpfs file",
	.read = tmpfs_read,
	.write = tmpfs_write,
	.lseek = tmpfs_lseek,
	.stat = tmpfs_fstat,
	.ioctl = file_ioctl_notsupp,
	.poll = tmpfs_poll,
	.mmap = tmpfs_mmap,
	.truncate = tmpfs_truncate,
	.chmod = tmpfs_chmod,
	.chown = tmpfs_chown,
	.close = tmpfs_close,
	.pread = tmpfs_pread,
	.pwrite = tmpfs_pwrite,
};

const struct file_ops tmpfs_file_dir_ops = {
	.name = "tmpfs directory",
	.read = tmpfs_dir_read,
	.write = file_write_notsupp,
	.lseek = tmpfs_lseek,
	.stat = tmpfs_fstat,
	.ioctl = file_ioctl_notsupp,
	.poll = tmpfs_poll,
	.mmap = file_mmap_notsupp,
	.truncate = file_truncate_notsupp,
	.chmod = tmpfs_chmod,
	.chown = tmpfs_chown,
	.close = tmpfs_close,
	.getdents = tmpfs_getdents,
};

/*
 * bootfs.c - the boot file system (see bootfs.h).
 *
 * The archive.  tools/mkcpio.py writes a cpio archive in the "newc" format:
 * each entry is a 110-byte ASCII header -- the magic "070701" and thirteen
 * fields of exactly eight hex digits (ino, mode, uid, gid, nlink, mtime,
 * filesize, devmajor, devminor, rdevmajor, rdevminor, namesize, check) --
 * then the NUL-terminated name padded to a multiple of 4 bytes (counting
 * from the start of the archive), then the data padded the same way.  The
 * entry named "TRAILER!!!" ends the archive.  Everything in it is checked
 * against the archive's length before use, so a malformed archive is an
 * -EINVAL, never a wild read.  Entries that are neither directories nor
 * regular files (symlinks, devices) are skipped.
 *
 * The tree.  bootfs_init turns the archive into a tree of nodes (name,
 * kind, mode, inode number, children) built once and never changed, so
 * lookups need no lock.  A file's bytes stay in the archive, which GRUB
 * loaded and the page allocator leaves alone.  Directories an entry implies
 * ("bin" for "bin/sh") are made even if the archive does not list them.
 * Inode numbers are ours (1 for the root, then in order of creation), not
 * the archive's, so they are unique even in a careless archive.  Every
 * node is also on one list, so freeing a tree (a failed parse, a test) is a
 * loop, not a recursion a deep archive could overflow the stack with.
 *
 * Program text.  Each regular file of the tree bootfs_init builds gets a
 * VM object whose pages are the file's bytes (bootfs_pager.c), made at
 * boot and kept with one reference for as long as the kernel runs.  exec
 * maps programs from it (bootfs_lookup_object), so every process running
 * a program shares one copy of its text, and a program that ran once finds
 * its pages still in memory the next time.  Making the objects at boot
 * rather than at a file's first exec costs a few dozen small structures
 * and keeps the vm_objects counter still while programs run (the leak
 * checks of the tests compare it around every case).  A private tree (the
 * self-tests') has no objects.
 *
 * /dev is a directory of the tree too; its nodes come from devfs.c's table
 * and opening one calls the device's open function.
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/string.h"
#include "kern/proc.h"
#include "kern/file.h"
#include "kern/fdtable.h"
#include "kern/mutex.h"
#include "fs/bootfs.h"
#include "fs/devfs.h"
#include "fs/vfs.h"
#include "fs/bootfs_pager.h"
#include "vm/vm_object.h"
#include "vm/kmem.h"
#include "uapi/fcntl.h"
#include "uapi/limits.h"
#include "uapi/dirent.h"
#include "uapi/poll.h"

enum bootfs_kind { BK_DIR, BK_REG, BK_DEV };

/* All fields (c): set while the tree is built, then never changed. */
struct bootfs_node {
	char *name;                     /* one component; "" for the root */
	enum bootfs_kind kind;
	mode_t mode;                    /* S_IFMT bits | permissions */
	uint64_t ino;
	const void *data;               /* BK_REG: the bytes, inside the archive */
	size_t size;                    /* BK_REG: their number */
	struct vm_object *object;       /* BK_REG of the live tree: its pages
	                                   (bootfs_pager.c), one reference, forever;
	                                   NULL for an empty file */
	const struct devfs_dev *dev;    /* BK_DEV */
	struct bootfs_node *parent;     /* the root is its own parent */
	struct bootfs_node *first_child, *last_child, *next_sibling;
	size_t nsubdirs;                /* for st_nlink */
	struct bootfs_node *all_next;   /* every node of the tree, for freeing */
};

struct bootfs_tree {
	struct bootfs_node *root;
	struct bootfs_node *all;
	uint64_t next_ino;
};

#define BOOTFS_DEV   1              /* st_dev of every node */

static struct bootfs_tree *bootfs;  /* the tree bootfs_init built (set once) */

/* ----------------------------------------------------------------- nodes */

static bool name_is(const char *s, size_t len, const char *what)
{
	return len == strlen(what) && memcmp(s, what, len) == 0;
}

/* A new node under parent (NULL: the root).  Does not sleep beyond kmalloc. */
static struct bootfs_node *node_new(struct bootfs_tree *t, struct bootfs_node *parent,
    const char *name, size_t len, mode_t mode)
{
	struct bootfs_node *n = kmalloc(sizeof(*n), KM_ZERO);
	if (n == NULL)
		return NULL;
	n->name = kmalloc(len + 1, 0);
	if (n->name == NULL) {
		kfree(n);
		return NULL;
	}
	memcpy(n->name, name, len);
	n->name[len] = '\0';
	n->mode = mode;
	n->kind = S_ISDIR(mode) ? BK_DIR : S_ISREG(mode) ? BK_REG : BK_DEV;
	n->ino = t->next_ino++;
	n->all_next = t->all;
	t->all = n;
	n->parent = parent ? parent : n;
	if (parent == NULL)
		return n;
	if (parent->last_child)
		parent->last_child->next_sibling = n;
	else
		parent->first_child = n;
	parent->last_child = n;
	if (n->kind == BK_DIR)
		parent->nsubdirs++;
	return n;
}

static struct bootfs_node *node_child(struct bootfs_node *dir, const char *name, size_t len)
{
	for (struct bootfs_node *c = dir->first_child; c; c = c->next_sibling)
		if (name_is(name, len, c->name))
			return c;
	return NULL;
}

void bootfs_tree_free(struct bootfs_tree *t)
{
	struct bootfs_node *n = t->all;
	while (n != NULL) {
		struct bootfs_node *next = n->all_next;
		if (n->object != NULL)
			vm_object_deallocate(n->object);
		kfree(n->name);
		kfree(n);
		n = next;
	}
	kfree(t);
}

/* -------------------------------------------------------------- paths */


/* Only slashes left? */
static bool path_at_end(const char *p)
{
	while (*p == '/')
		p++;
	return *p == '\0';
}

static bool path_has_trailing_slash(const char *path)
{
	size_t len = strlen(path);
	return len > 0 && path[len - 1] == '/';
}

/*
 * Walk path from start (or from the root if path is absolute).  0 and
 * *out, or -ENOENT (with *last_missing set when only the final component
 * was missing), -ENOTDIR, -ENAMETOOLONG.
 */
static int bootfs_walk(struct bootfs_tree *t, struct bootfs_node *start, const char *path,
    struct bootfs_node **out, bool *last_missing)
{
	struct bootfs_node *cur = path[0] == '/' ? t->root : start;
	const char *p = path, *comp;
	size_t len;
	*last_missing = false;
	while (vfs_path_next(&p, &comp, &len)) {
		if (cur->kind != BK_DIR)
			return -ENOTDIR;
		if (len > NAME_MAX)
			return -ENAMETOOLONG;
		if (name_is(comp, len, "."))
			continue;
		struct bootfs_node *next = name_is(comp, len, "..") ? cur->parent :
		    node_child(cur, comp, len);
		if (next == NULL) {
			*last_missing = path_at_end(p);
			return -ENOENT;
		}
		cur = next;
	}
	if (path_has_trailing_slash(path) && cur->kind != BK_DIR)
		return -ENOTDIR;
	*out = cur;
	return 0;
}

/* The node of the current process's directory (the root without one). */
static int bootfs_cwd_node(struct bootfs_tree *t, struct bootfs_node **out)
{
	struct proc *p = curproc();
	bool missing;
	*out = t->root;
	if (p == NULL || p->fdtable == NULL)
		return 0;
	char *cwd = fdtable_cwd_dup(p->fdtable);
	if (cwd == NULL)
		return -ENOMEM;
	if (bootfs_walk(t, t->root, cwd, out, &missing) < 0)
		*out = t->root;         /* cannot happen: the tree never changes */
	kfree(cwd);
	return 0;
}

/* Resolve a user-given path in the mounted tree. */
static int bootfs_resolve(const char *path, struct bootfs_node **out, bool *last_missing)
{
	struct bootfs_tree *t = bootfs;
	struct bootfs_node *start;
	*last_missing = false;
	if (t == NULL || path[0] == '\0')
		return -ENOENT;
	int r = bootfs_cwd_node(t, &start);
	if (r < 0)
		return r;
	return bootfs_walk(t, start, path, out, last_missing);
}

/* ------------------------------------------------------------ the archive */

#define CPIO_HDR_LEN    110
#define CPIO_NFIELDS    13
#define CPIO_F_MODE     1
#define CPIO_F_FILESIZE 6
#define CPIO_F_NAMESIZE 11

struct cpio_entry {
	uint32_t mode;
	const char *name;
	const void *data;
	size_t size;
	size_t next;                    /* offset of the following header */
};

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The 13 header fields after the magic: exactly 8 hex digits each. */
static int cpio_fields(const char *h, uint32_t f[CPIO_NFIELDS])
{
	for (int i = 0; i < CPIO_NFIELDS; i++) {
		uint32_t v = 0;
		for (int j = 0; j < 8; j++) {
			int d = hex_digit(h[6 + 8 * i + j]);
			if (d < 0)
				return -EINVAL;
			v = v << 4 | (uint32_t)d;
		}
		f[i] = v;
	}
	return 0;
}

/* Decode the entry at off, checking every length against len. */
static int cpio_entry_at(const char *a, size_t len, size_t off, struct cpio_entry *e)
{
	uint32_t f[CPIO_NFIELDS];
	if (off > len || len - off < CPIO_HDR_LEN)
		return -EINVAL;
	if (memcmp(a + off, "070701", 6) != 0 && memcmp(a + off, "070702", 6) != 0)
		return -EINVAL;
	if (cpio_fields(a + off, f) < 0)
		return -EINVAL;
	size_t name_off = off + CPIO_HDR_LEN, namesize = f[CPIO_F_NAMESIZE];
	if (namesize == 0 || namesize > PATH_MAX || namesize > len - name_off)
		return -EINVAL;
	e->name = a + name_off;
	if (strnlen(e->name, namesize) != namesize - 1)
		return -EINVAL;         /* no NUL at the end, or one inside */
	size_t data_off = ROUNDUP(name_off + namesize, 4);
	if (data_off > len || f[CPIO_F_FILESIZE] > len - data_off)
		return -EINVAL;
	e->mode = f[CPIO_F_MODE];
	e->data = a + data_off;
	e->size = f[CPIO_F_FILESIZE];
	e->next = ROUNDUP(data_off + e->size, 4);
	return 0;
}

/* Find or make the directory component under cur while adding an entry. */
static int tree_step_dir(struct bootfs_tree *t, struct bootfs_node **cur, const char *comp,
    size_t len)
{
	struct bootfs_node *child = node_child(*cur, comp, len);
	if (child == NULL)
		child = node_new(t, *cur, comp, len, S_IFDIR | 0755);
	if (child == NULL)
		return -ENOMEM;
	if (child->kind != BK_DIR)
		return -EINVAL;         /* "a/b" where "a" is a file */
	*cur = child;
	return 0;
}

/* Add one archive entry (a directory or a regular file) to the tree. */
static int tree_add(struct bootfs_tree *t, const struct cpio_entry *e)
{
	struct bootfs_node *cur = t->root, *n;
	const char *p = e->name, *comp;
	size_t len;
	while (vfs_path_next(&p, &comp, &len)) {
		if (len > NAME_MAX || name_is(comp, len, ".."))
			return -EINVAL;
		if (name_is(comp, len, "."))
			continue;
		if (!path_at_end(p)) {
			int r = tree_step_dir(t, &cur, comp, len);
			if (r < 0)
				return r;
			continue;
		}
		n = node_child(cur, comp, len);
		if (n != NULL)          /* a directory listed twice is fine */
			return n->kind == BK_DIR && S_ISDIR(e->mode) ? 0 : -EINVAL;
		n = node_new(t, cur, comp, len, e->mode & (S_IFMT | 07777));
		if (n == NULL)
			return -ENOMEM;
		n->data = e->data;
		n->size = S_ISREG(e->mode) ? e->size : 0;
		return 0;
	}
	/* The name was "." (or only slashes and dots): the root itself. */
	if (!S_ISDIR(e->mode))
		return -EINVAL;
	t->root->mode = S_IFDIR | (e->mode & 07777);
	return 0;
}

static int tree_parse_entries(struct bootfs_tree *t, const char *a, size_t len)
{
	struct cpio_entry e;
	for (size_t off = 0;; off = e.next) {
		int r = cpio_entry_at(a, len, off, &e);
		if (r < 0)
			return r;
		if (strcmp(e.name, "TRAILER!!!") == 0)
			return 0;
		if (!S_ISDIR(e.mode) && !S_ISREG(e.mode))
			continue;       /* symlinks, device nodes: not supported */
		r = tree_add(t, &e);
		if (r < 0)
			return r;
	}
}

int bootfs_tree_parse(const void *archive, size_t len, struct bootfs_tree **out)
{
	struct bootfs_tree *t = kmalloc(sizeof(*t), KM_ZERO);
	if (t == NULL)
		return -ENOMEM;
	t->next_ino = 1;
	t->root = node_new(t, NULL, "", 0, S_IFDIR | 0755);
	int r = t->root ? 0 : -ENOMEM;
	if (r == 0 && archive == NULL)
		r = -EINVAL;
	if (r == 0)
		r = tree_parse_entries(t, archive, len);
	if (r < 0) {
		bootfs_tree_free(t);
		return r;
	}
	*out = t;
	return 0;
}

/* Make /dev and a node for each device of devfs's table. */
static int tree_add_devices(struct bootfs_tree *t)
{
	struct bootfs_node *dir = t->root;
	int r = tree_step_dir(t, &dir, "dev", 3);
	if (r < 0)
		return r;
	const struct devfs_dev *d;
	for (size_t i = 0; (d = devfs_device(i)) != NULL; i++) {
		if (node_child(dir, d->name, strlen(d->name)) != NULL)
			continue;
		struct bootfs_node *n = node_new(t, dir, d->name, strlen(d->name), d->mode);
		if (n == NULL)
			return -ENOMEM;
		n->dev = d;
	}
	return 0;
}

/* Give every non-empty regular file its object (see the top).  0 or -ENOMEM. */
static int tree_add_objects(struct bootfs_tree *t)
{
	for (struct bootfs_node *n = t->all; n != NULL; n = n->all_next) {
		if (n->kind != BK_REG || n->size == 0)
			continue;
		n->object = bootfs_pager_alloc(n->data, n->size);
		if (n->object == NULL)
			return -ENOMEM;
	}
	return 0;
}

int bootfs_init(const void *archive, size_t len)
{
	struct bootfs_tree *t;
	if (bootfs != NULL)
		return -EBUSY;
	int r = bootfs_tree_parse(archive, len, &t);
	if (r < 0)
		return r;
	r = tree_add_devices(t);
	if (r == 0)
		r = tree_add_objects(t);
	if (r < 0) {
		bootfs_tree_free(t);
		return r;
	}
	bootfs = t;
	return 0;
}

int bootfs_tree_stat(struct bootfs_tree *t, const char *path, mode_t *mode, size_t *size)
{
	struct bootfs_node *n;
	bool missing;
	int r = bootfs_walk(t, t->root, path, &n, &missing);
	if (r < 0)
		return r;
	*mode = n->mode;
	*size = n->size;
	return 0;
}

/* --------------------------------------------------------- file types */

static void node_stat(struct bootfs_node *n, struct stat *st)
{
	file_stat_init(st);
	st->st_dev = BOOTFS_DEV;
	st->st_ino = n->ino;
	st->st_mode = n->mode;
	st->st_nlink = n->kind == BK_DIR ? 2 + n->nsubdirs : 1;
	st->st_size = (off_t)n->size;
	st->st_blocks = (blkcnt_t)(ROUNDUP(n->size, 512) / 512);
	st->st_rdev = n->dev ? n->dev->rdev : 0;
}

static int bootfs_fstat(struct file *fp, struct stat *st)
{
	node_stat(fp->data, st);
	return 0;
}

static long bootfs_pread(struct file *fp, void __user *buf, size_t n, int64_t off)
{
	struct bootfs_node *node = fp->data;
	if (off >= (int64_t)node->size)
		return 0;
	size_t len = MIN(n, node->size - (size_t)off);
	long r = copyout((const char *)node->data + off, buf, len);
	return r < 0 ? r : (long)len;
}

static long bootfs_read(struct file *fp, void __user *buf, size_t n)
{
	struct bootfs_node *node = fp->data;
	long ret = 0;
	mutex_lock(&fp->f_lock);
	if (fp->offset < (int64_t)node->size) {
		size_t len = MIN(n, node->size - (size_t)fp->offset);
		ret = copyout((const char *)node->data + fp->offset, buf, len);
		if (ret == 0) {
			fp->offset += (int64_t)len;
			ret = (long)len;
		}
	}
	mutex_unlock(&fp->f_lock);
	return ret;
}

static long bootfs_lseek(struct file *fp, int64_t off, int whence)
{
	struct bootfs_node *node = fp->data;
	mutex_lock(&fp->f_lock);
	int64_t target = file_seek_target(fp->offset, (int64_t)node->size, off, whence);
	if (target >= 0)
		fp->offset = target;
	mutex_unlock(&fp->f_lock);
	return target;
}

/* A directory's offset is an entry index: SEEK_END means nothing. */
static long bootfs_dir_lseek(struct file *fp, int64_t off, int whence)
{
	if (whence == SEEK_END)
		return -EINVAL;
	return bootfs_lseek(fp, off, whence);
}

static long bootfs_dir_read(struct file *fp __unused, void __user *buf __unused,
    size_t n __unused)
{
	return -EISDIR;
}

static int bootfs_poll(struct file *fp __unused, int events)
{
	return events & (POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM);
}

static int bootfs_truncate(struct file *fp __unused, int64_t length __unused)
{
	return -EROFS;
}

static int bootfs_chmod(struct file *fp __unused, mode_t mode __unused)
{
	return -EROFS;
}

static int bootfs_chown(struct file *fp __unused, uid_t uid __unused, gid_t gid __unused)
{
	return -EROFS;
}

/* Entry pos of a directory: 0 ".", 1 "..", then the children in order. */
static struct bootfs_node *dir_entry_at(struct bootfs_node *dir, int64_t pos, const char **name)
{
	if (pos == 0 || pos == 1) {
		*name = pos == 0 ? "." : "..";
		return pos == 0 ? dir : dir->parent;
	}
	struct bootfs_node *c = dir->first_child;
	for (int64_t i = 2; c != NULL && i < pos; i++)
		c = c->next_sibling;
	if (c != NULL)
		*name = c->name;
	return c;
}

static unsigned char node_dtype(const struct bootfs_node *n)
{
	switch (n->kind) {
	case BK_DIR: return DT_DIR;
	case BK_REG: return DT_REG;
	case BK_DEV: return DT_CHR;
	}
	return DT_UNKNOWN;
}

/* The record of entry pos of fp's directory, or 0 past the last. */
static size_t bootfs_dirent_record(struct file *fp, int64_t pos, uint64_t *rec)
{
	const char *name;
	struct bootfs_node *ent = dir_entry_at(fp->data, pos, &name);
	return ent == NULL ? 0 : vfs_dirent_build(rec, ent->ino, pos, node_dtype(ent), name);
}

static long bootfs_getdents(struct file *fp, void __user *buf, size_t n)
{
	return vfs_getdents(fp, buf, n, bootfs_dirent_record);
}

static const struct file_ops bootfs_file_ops = {
	.name = "bootfs file",
	.read = bootfs_read,
	.write = file_write_notsupp,
	.lseek = bootfs_lseek,
	.stat = bootfs_fstat,
	.ioctl = file_ioctl_notsupp,
	.poll = bootfs_poll,
	.mmap = file_mmap_notsupp,
	.truncate = bootfs_truncate,
	.chmod = bootfs_chmod,
	.chown = bootfs_chown,
	.close = file_close_nop,
	.pread = bootfs_pread,
};

static const struct file_ops bootfs_dir_ops = {
	.name = "bootfs directory",
	.read = bootfs_dir_read,
	.write = file_write_notsupp,
	.lseek = bootfs_dir_lseek,
	.stat = bootfs_fstat,
	.ioctl = file_ioctl_notsupp,
	.poll = bootfs_poll,
	.mmap = file_mmap_notsupp,
	.truncate = bootfs_truncate,
	.chmod = bootfs_chmod,
	.chown = bootfs_chown,
	.close = file_close_nop,
	.getdents = bootfs_getdents,
};

/* ------------------------------------------------- name-space operations */

/* The checks open() makes on an existing node, in Linux's order. */
static int open_check(struct bootfs_node *n, int flags)
{
	int acc = flags & O_ACCMODE;
	if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL))
		return -EEXIST;
	if (n->kind == BK_DIR && (flags & O_CREAT))
		return -EISDIR;
	if (n->kind != BK_DIR && (flags & O_DIRECTORY))
		return -ENOTDIR;
	bool writes = acc != O_RDONLY || (flags & O_TRUNC);
	if (n->kind == BK_DIR && writes)
		return -EISDIR;
	if (n->kind == BK_REG && writes)
		return -EROFS;
	return 0;
}

static int node_open(struct bootfs_node *n, int flags, struct file **fpp)
{
	if (n->kind == BK_DEV)
		return n->dev->open(flags, fpp);
	*fpp = file_alloc(n->kind == BK_DIR ? &bootfs_dir_ops : &bootfs_file_ops, n, flags);
	return *fpp ? 0 : -ENOMEM;
}

static int bootfs_vfs_open(void *fs __unused, const char *path, int flags, mode_t mode __unused,
    struct file **fpp)
{
	struct bootfs_node *n;
	bool last_missing;
	if ((flags & O_ACCMODE) == O_ACCMODE)
		return -EINVAL;
	int r = bootfs_resolve(path, &n, &last_missing);
	if (r == -ENOENT && last_missing && (flags & O_CREAT))
		return path_has_trailing_slash(path) ? -EISDIR : -EROFS;
	if (r == 0)
		r = open_check(n, flags);
	if (r == 0)
		r = node_open(n, flags, fpp);
	return r;
}

/* The regular file at path, for exec. */
static int lookup_regular(const char *path, struct bootfs_node **np)
{
	bool last_missing;
	int r = bootfs_resolve(path, np, &last_missing);
	if (r < 0)
		return r;
	if ((*np)->kind == BK_DIR)
		return -EISDIR;
	return (*np)->kind == BK_REG ? 0 : -EACCES;
}

int bootfs_lookup_object(const char *path, const void **data, size_t *size,
    struct vm_object **objp)
{
	struct bootfs_node *n;
	int r = lookup_regular(path, &n);
	if (r < 0)
		return r;
	*data = n->data;
	*size = n->size;
	*objp = n->object;
	if (n->object != NULL)
		vm_object_reference(n->object);
	return 0;
}

static int bootfs_vfs_stat(void *fs __unused, const char *path, struct stat *st)
{
	struct bootfs_node *n;
	bool last_missing;
	int r = bootfs_resolve(path, &n, &last_missing);
	if (r == 0)
		node_stat(n, st);
	return r;
}

static int bootfs_vfs_chdir(void *fs __unused, const char *path)
{
	struct bootfs_node *n;
	bool last_missing;
	int r = bootfs_resolve(path, &n, &last_missing);
	return r < 0 ? r : n->kind != BK_DIR ? -ENOTDIR : 0;
}

/* The tree never changes: a name that exists cannot be removed (EROFS,
 * which Linux checks before EISDIR or ENOTDIR), nor made again (EEXIST);
 * one that does not exist cannot be made (EROFS). */
static int bootfs_vfs_unlink(void *fs __unused, const char *path)
{
	struct bootfs_node *n;
	bool last_missing;
	int r = bootfs_resolve(path, &n, &last_missing);
	return r < 0 ? r : -EROFS;
}

static int bootfs_vfs_mkdir(void *fs __unused, const char *path, mode_t mode __unused)
{
	struct bootfs_node *n;
	bool last_missing;
	int r = bootfs_resolve(path, &n, &last_missing);
	return r == 0 ? -EEXIST : r == -ENOENT && last_missing ? -EROFS : r;
}

static int bootfs_vfs_rmdir(void *fs __unused, const char *path)
{
	struct bootfs_node *n;
	bool last_missing;
	int r = bootfs_resolve(path, &n, &last_missing);
	return r < 0 ? r : -EROFS;
}

static int bootfs_vfs_rename(void *fs __unused, const char *from, const char *to __unused)
{
	struct bootfs_node *n;
	bool last_missing;
	int r = bootfs_resolve(from, &n, &last_missing);
	return r < 0 ? r : -EROFS;
}

/* No socket can be bound in a read-only tree, and none is there to find. */
static int bootfs_vfs_mksock(void *fs __unused, const char *path, mode_t mode __unused,
    void *sock __unused)
{
	struct bootfs_node *n;
	bool last_missing;
	int r = bootfs_resolve(path, &n, &last_missing);
	return r == 0 ? -EADDRINUSE : r == -ENOENT && last_missing ? -EROFS : r;
}

static int bootfs_vfs_socket(void *fs __unused, const char *path, void **sockp __unused)
{
	struct bootfs_node *n;
	bool last_missing;
	int r = bootfs_resolve(path, &n, &last_missing);
	return r < 0 ? r : -ECONNREFUSED;
}

const struct vfs_ops bootfs_vfs_ops = {
	.name = "bootfs",
	.open = bootfs_vfs_open,
	.stat = bootfs_vfs_stat,
	.unlink = bootfs_vfs_unlink,
	.mkdir = bootfs_vfs_mkdir,
	.rmdir = bootfs_vfs_rmdir,
	.chdir = bootfs_vfs_chdir,
	.rename = bootfs_vfs_rename,
	.mksock = bootfs_vfs_mksock,
	.socket = bootfs_vfs_socket,
};

/*
 * vfs.c - mounts and path lookup (see vfs.h).
 *
 * The mount table is written at boot only (vfs_mount, before the first
 * process), so lookups read it without a lock.  Mount points are matched
 * on whole components: "/tmp" covers "/tmp" and "/tmp/x", not "/tmpx".
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/string.h"
#include "kern/proc.h"
#include "kern/fdtable.h"
#include "fs/vfs.h"
#include "vm/kmem.h"
#include "uapi/limits.h"

#define VFS_MOUNTS 4

struct mount {
	char where[64];                 /* absolute, normalised; "/" for the root */
	size_t len;                     /* strlen(where), 0 for "/" */
	const struct vfs_ops *ops;
	void *fs;
};

static struct mount mounts[VFS_MOUNTS];
static int nmounts;

bool vfs_path_next(const char **pathp, const char **comp, size_t *len)
{
	const char *p = *pathp;
	while (*p == '/')
		p++;
	if (*p == '\0') {
		*pathp = p;
		return false;
	}
	*comp = p;
	while (*p != '\0' && *p != '/')
		p++;
	*len = (size_t)(p - *comp);
	*pathp = p;
	return true;
}

bool vfs_path_has_trailing_slash(const char *path)
{
	size_t n = strlen(path);
	return n > 0 && path[n - 1] == '/';
}

static bool comp_is(const char *s, size_t len, const char *what)
{
	return len == strlen(what) && memcmp(s, what, len) == 0;
}

/* Append path's components to out[0..*len), resolving "." and ".." lexically. */
static int normalize_append(char *out, size_t size, size_t *len, const char *path)
{
	const char *p = path, *comp;
	size_t clen;
	while (vfs_path_next(&p, &comp, &clen)) {
		if (comp_is(comp, clen, "."))
			continue;
		if (comp_is(comp, clen, "..")) {
			while (*len > 0 && out[--(*len)] != '/')
				;
			out[*len] = '\0';
			continue;
		}
		if (*len + 1 + clen + 1 > size)
			return -ENAMETOOLONG;
		out[(*len)++] = '/';
		memcpy(out + *len, comp, clen);
		*len += clen;
		out[*len] = '\0';
	}
	return 0;
}

int vfs_normalize(const char *path, char *out, size_t size)
{
	struct proc *p = curproc();
	size_t len = 0;
	int r = 0;
	if (path[0] == '\0')
		return -ENOENT;
	if (size < 2)
		return -ENAMETOOLONG;
	out[0] = '\0';
	if (path[0] != '/' && p != NULL && p->fdtable != NULL) {
		char *cwd = fdtable_cwd_dup(p->fdtable);
		if (cwd == NULL)
			return -ENOMEM;
		r = normalize_append(out, size, &len, cwd);
		kfree(cwd);
	}
	if (r == 0)
		r = normalize_append(out, size, &len, path);
	if (r == 0 && len == 0)
		strlcpy(out, "/", size);
	return r;
}

int vfs_mount(const char *where, const struct vfs_ops *ops, void *fs)
{
	size_t len = strcmp(where, "/") == 0 ? 0 : strlen(where);
	if (len >= sizeof(mounts[0].where))
		return -ENAMETOOLONG;
	for (int i = 0; i < nmounts; i++)
		if (mounts[i].len == len && strcmp(mounts[i].where, where) == 0)
			return -EBUSY;
	if (nmounts == VFS_MOUNTS)
		return -ENOSPC;
	struct mount *m = &mounts[nmounts++];
	strlcpy(m->where, where, sizeof(m->where));
	m->len = len;
	m->ops = ops;
	m->fs = fs;
	return 0;
}

/* The mount covering the absolute path abs (the longest prefix). */
static struct mount *mount_of(const char *abs)
{
	struct mount *best = NULL;
	for (int i = 0; i < nmounts; i++) {
		struct mount *m = &mounts[i];
		bool covers = m->len == 0 || (strncmp(abs, m->where, m->len) == 0 &&
		    (abs[m->len] == '\0' || abs[m->len] == '/'));
		if (covers && (best == NULL || m->len > best->len))
			best = m;
	}
	return best;
}

/*
 * A lookup in progress: the normalised path (kmalloc'd) and, inside it,
 * the part the file system sees.  The caller's trailing slash is put back,
 * for the file system's ENOTDIR ("file/").
 */
struct vfs_lookup {
	char *abs;
	const char *rel;
	struct mount *m;
};

static int lookup(const char *path, struct vfs_lookup *l)
{
	l->abs = kmalloc(PATH_MAX + 1, 0);
	if (l->abs == NULL)
		return -ENOMEM;
	int r = vfs_normalize(path, l->abs, PATH_MAX);
	l->m = r == 0 ? mount_of(l->abs) : NULL;
	if (r == 0 && l->m == NULL)
		r = -ENOENT;
	if (r < 0) {
		kfree(l->abs);
		return r;
	}
	size_t n = strlen(l->abs);
	if (vfs_path_has_trailing_slash(path) && n > 1) {
		l->abs[n] = '/';
		l->abs[n + 1] = '\0';
	}
	l->rel = l->abs + l->m->len;
	if (l->rel[0] == '\0')
		l->rel = "/";
	return 0;
}

int vfs_open(const char *path, int flags, mode_t mode, struct file **fpp)
{
	struct vfs_lookup l;
	int r = lookup(path, &l);
	if (r < 0)
		return r;
	r = l.m->ops->open(l.m->fs, l.rel, flags, mode, fpp);
	kfree(l.abs);
	return r;
}

int vfs_stat(const char *path, struct stat *st)
{
	struct vfs_lookup l;
	int r = lookup(path, &l);
	if (r < 0)
		return r;
	r = l.m->ops->stat(l.m->fs, l.rel, st);
	kfree(l.abs);
	return r;
}

int vfs_unlink(const char *path)
{
	struct vfs_lookup l;
	int r = lookup(path, &l);
	if (r < 0)
		return r;
	r = l.m->ops->unlink(l.m->fs, l.rel);
	kfree(l.abs);
	return r;
}

int vfs_mkdir(const char *path, mode_t mode)
{
	struct vfs_lookup l;
	int r = lookup(path, &l);
	if (r < 0)
		return r;
	r = l.rel[1] == '\0' ? -EEXIST : l.m->ops->mkdir(l.m->fs, l.rel, mode);
	kfree(l.abs);
	return r;
}

int vfs_rmdir(const char *path)
{
	struct vfs_lookup l;
	int r = lookup(path, &l);
	if (r < 0)
		return r;
	/* A file system's root is its mount point: busy. */
	r = l.rel[1] == '\0' ? -EBUSY : l.m->ops->rmdir(l.m->fs, l.rel);
	kfree(l.abs);
	return r;
}

int vfs_chdir(const char *path)
{
	struct vfs_lookup l;
	int r = lookup(path, &l);
	if (r < 0)
		return r;
	r = l.m->ops->chdir(l.m->fs, l.rel);
	if (r == 0) {
		size_t n = strlen(l.abs);
		if (n > 1 && l.abs[n - 1] == '/')
			l.abs[n - 1] = '\0';
		r = fdtable_setcwd(curproc()->fdtable, l.abs);
	}
	kfree(l.abs);
	return r;
}

int vfs_rename(const char *from, const char *to)
{
	struct vfs_lookup a, b;
	int r = lookup(from, &a);
	if (r < 0)
		return r;
	r = lookup(to, &b);
	if (r < 0) {
		kfree(a.abs);
		return r;
	}
	if (a.m != b.m)
		r = -EXDEV;
	else if (a.rel[1] == '\0' || b.rel[1] == '\0')
		r = -EBUSY;             /* a file system's root is its mount point */
	else
		r = a.m->ops->rename(a.m->fs, a.rel, b.rel);
	kfree(a.abs);
	kfree(b.abs);
	return r;
}

static const struct vfs_socket_ops *socket_ops;        /* (c) set at boot */

void vfs_set_socket_ops(const struct vfs_socket_ops *ops)
{
	socket_ops = ops;
}

void vfs_socket_hold(void *sock)
{
	socket_ops->hold(sock);
}

void vfs_socket_release(void *sock)
{
	socket_ops->release(sock);
}

int vfs_mksock(const char *path, mode_t mode, void *sock)
{
	struct vfs_lookup l;
	int r = lookup(path, &l);
	if (r < 0)
		return r;
	r = l.rel[1] == '\0' ? -EADDRINUSE : l.m->ops->mksock(l.m->fs, l.rel, mode, sock);
	kfree(l.abs);
	return r;
}

int vfs_socket(const char *path, void **sockp)
{
	struct vfs_lookup l;
	int r = lookup(path, &l);
	if (r < 0)
		return r;
	r = l.rel[1] == '\0' ? -ECONNREFUSED : l.m->ops->socket(l.m->fs, l.rel, sockp);
	kfree(l.abs);
	return r;
}

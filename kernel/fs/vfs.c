/*
 * vfs.c - mounts and path lookup (see vfs.h).
 *
 * The mount table is written at boot only (vfs_mount, before the first
 * process), so lookups read it without a lock.  Mount points are matched
 * on whole components: "/tmp" covers "/tmp" and "/tmp/x", not "/tmpx".
 *
 * Resolving a path (resolve()).  The seam has no vnodes to walk, only
 * strings, so it resolves a path as a string, one component at a time,
 * into `out`, which never holds a symbolic link but perhaps its last
 * component.  A name is appended to out and, if its file system has
 * symbolic links, that file system is asked (readlink) whether out names
 * one; if so, the name is taken off again and the link's target is put in
 * front of what is still to walk -- from the root for "/target", from
 * the link's own directory otherwise.  Because out holds no link, ".."
 * can simply take off its last component and still mean the directory
 * above in the tree: "/tmp/l/.." with l -> /bin is "/", as on Linux, not
 * the lexical "/tmp".  Each question is a walk from the file system's
 * root, so a path of n components costs O(n^2) steps in tmpfs where
 * FreeBSD's namei, holding the vnode it stands on, costs O(n); paths are
 * short, and mounts without links (the boot file system) cost nothing.
 *
 * Between the resolution and the operation the tree may change (another
 * process replaces a directory with a link).  Then the file system meets
 * a link where the VFS saw none, and answers ENOTDIR (a link in the
 * middle is not a directory) or ELOOP (open of a final link): an error,
 * never a link followed without the checks above.
 *
 * Mount points, and the directories above them, are not symbolic links:
 * a path is given to the file system of its longest mounted prefix.
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/string.h"
#include "kern/proc.h"
#include "kern/fdtable.h"
#include "kern/file.h"
#include "kern/mutex.h"
#include "kern/copyio.h"
#include "fs/vfs.h"
#include "vm/kmem.h"
#include "uapi/limits.h"
#include "uapi/fcntl.h"

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

/* Take the last component off out[0..*len) ("/a/b" -> "/a", "/a" -> ""). */
static void pop_component(char *out, size_t *len)
{
	while (*len > 0 && out[--(*len)] != '/')
		;
	out[*len] = '\0';
}

/* Append "/comp" to out[0..*len).  0 or -ENAMETOOLONG. */
static int push_component(char *out, size_t size, size_t *len, const char *comp, size_t clen)
{
	if (*len + 1 + clen + 1 > size)
		return -ENAMETOOLONG;
	out[(*len)++] = '/';
	memcpy(out + *len, comp, clen);
	*len += clen;
	out[*len] = '\0';
	return 0;
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
			pop_component(out, len);
			continue;
		}
		int r = push_component(out, size, len, comp, clen);
		if (r < 0)
			return r;
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

/* Is the rest of a path only slashes (or nothing)? */
static bool path_at_end(const char *p)
{
	while (*p == '/')
		p++;
	return *p == '\0';
}

/* The part of the absolute path abs that m's file system sees. */
static const char *path_in(struct mount *m, const char *abs)
{
	const char *rel = abs + m->len;
	return rel[0] == '\0' ? "/" : rel;
}

/* Ask the file system whether the resolved path abs (no trailing slash)
 * is a symbolic link: as the vfs_ops readlink, -EINVAL for "no". */
static long readlink_at(const char *abs, char *buf, size_t size)
{
	struct mount *m = mount_of(abs);
	if (m == NULL || m->ops->readlink == NULL)
		return -EINVAL;
	const char *rel = path_in(m, abs);
	return rel[1] == '\0' ? -EINVAL : m->ops->readlink(m->fs, rel, buf, size);
}

/*
 * Is the resolved path abs (no link in it) a directory?  0, -ENOTDIR, or
 * the file system's error finding it (ENOENT, EACCES).  Asked before "."
 * and ".." are taken lexically, so that "file/.." fails as on Linux,
 * where ".." is an entry that only a directory has.
 */
static int directory_at(const char *abs)
{
	struct mount *m = mount_of(abs);
	struct stat st;
	if (m == NULL)
		return -ENOENT;
	int r = m->ops->stat(m->fs, path_in(m, abs), &st);
	if (r < 0)
		return r;
	return S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
}

/*
 * The work space of a resolution that met a symbolic link: the target
 * (PATH_MAX) and two buffers for what is still to walk (target + rest),
 * used in turn since the rest lies in the other one.  Made at the first
 * link only, so that the common path without links allocates nothing.
 */
#define TODO_MAX        (2 * PATH_MAX)

struct resolve_work {
	char target[PATH_MAX];
	char todo[2][TODO_MAX];
	int which;
};

/*
 * A link was found at the last component of out, with a target of tlen
 * bytes: take the component off, fetch the target, and make target + rest
 * the new path to walk (*pp).  0, or -ENOENT (empty target, as Linux),
 * -ENAMETOOLONG, -ENOMEM.
 */
static int splice_link(struct resolve_work **wp, char *out, size_t *len, long tlen,
    const char **pp)
{
	if (tlen == 0)
		return -ENOENT;
	if (*wp == NULL && (*wp = kmalloc(sizeof(**wp), KM_ZERO)) == NULL)
		return -ENOMEM;
	struct resolve_work *w = *wp;
	long again = readlink_at(out, w->target, sizeof(w->target));
	if (again != tlen)
		return again < 0 ? (int)again : -ENOENT;        /* changed under us */
	size_t rest = strlen(*pp);
	if ((size_t)tlen + rest + 1 > TODO_MAX)
		return -ENAMETOOLONG;
	char *next = w->todo[w->which ^= 1];
	memcpy(next, w->target, (size_t)tlen);
	memcpy(next + tlen, *pp, rest + 1);
	*pp = next;
	pop_component(out, len);
	if (next[0] == '/') {
		*len = 0;
		out[0] = '\0';
	}
	return 0;
}

/*
 * Resolve path (see the top of the file) into out, size bytes: absolute,
 * without ".", ".." or "//", no symbolic link in it but perhaps the last
 * component when follow is false, and the trailing slash of the path
 * finally walked kept (it makes the file system check for a directory,
 * and it follows a final link, as POSIX says).  0, or -ENAMETOOLONG,
 * -ELOOP (more than VFS_MAXSYMLINKS links), -ENOMEM, -ENOENT (empty path
 * or link), or the error met looking at a component in the middle
 * (ENOENT, ENOTDIR, EACCES).  May sleep.
 */
static int resolve(const char *path, bool follow, char *out, size_t size)
{
	struct proc *proc = curproc();
	struct resolve_work *w = NULL;
	const char *p = path, *comp;
	size_t len = 0, clen;
	int links = 0, r = 0;
	if (path[0] == '\0')
		return -ENOENT;
	out[0] = '\0';
	if (path[0] != '/' && proc != NULL && proc->fdtable != NULL) {
		char *cwd = fdtable_cwd_dup(proc->fdtable);    /* resolved by chdir */
		if (cwd == NULL)
			return -ENOMEM;
		r = normalize_append(out, size, &len, cwd);
		kfree(cwd);
	}
	const char *walked = path;      /* the string p walks: path, or a todo */
	while (r == 0 && vfs_path_next(&p, &comp, &clen)) {
		bool dot = comp_is(comp, clen, "."), dotdot = comp_is(comp, clen, "..");
		if ((dot || dotdot) && len > 0 && (r = directory_at(out)) < 0)
			break;                  /* "file/.." is ENOTDIR, "gone/." ENOENT */
		if (dot)
			continue;
		if (dotdot) {
			pop_component(out, &len);
			continue;
		}
		if ((r = push_component(out, size, &len, comp, clen)) < 0)
			break;
		bool last = path_at_end(p);
		if (last && !follow && *p == '\0')
			continue;               /* the name itself is wanted */
		long t = readlink_at(out, NULL, 0);
		if (t == -EINVAL || (t < 0 && last))
			continue;               /* not a link; the operation reports the rest */
		if (t < 0)
			r = (int)t;
		else if (++links > VFS_MAXSYMLINKS)
			r = -ELOOP;
		else if ((r = splice_link(&w, out, &len, t, &p)) == 0)
			walked = p;
	}
	if (r == 0 && len == 0)
		strlcpy(out, "/", size);
	else if (r == 0 && vfs_path_has_trailing_slash(walked))
		r = push_component(out, size, &len, "", 0);     /* "/a" -> "/a/" */
	kfree(w);
	return r;
}

/*
 * A lookup in progress: the resolved path (kmalloc'd) and, inside it,
 * the part the file system sees.  The trailing slash of the path is kept,
 * for the file system's ENOTDIR ("file/").
 */
struct vfs_lookup {
	char *abs;
	const char *rel;
	struct mount *m;
};

static int lookup(const char *path, bool follow, struct vfs_lookup *l)
{
	l->abs = kmalloc(PATH_MAX + 1, 0);
	if (l->abs == NULL)
		return -ENOMEM;
	int r = resolve(path, follow, l->abs, PATH_MAX);
	l->m = r == 0 ? mount_of(l->abs) : NULL;
	if (r == 0 && l->m == NULL)
		r = -ENOENT;
	if (r < 0) {
		kfree(l->abs);
		return r;
	}
	l->rel = path_in(l->m, l->abs);
	return 0;
}

int vfs_open(const char *path, int flags, mode_t mode, struct file **fpp)
{
	struct vfs_lookup l;
	bool excl = (flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL);
	int r = lookup(path, !(flags & O_NOFOLLOW) && !excl, &l);
	if (r < 0)
		return r;
	r = l.m->ops->open(l.m->fs, l.rel, flags, mode, fpp);
	kfree(l.abs);
	return r;
}

static int stat_common(const char *path, bool follow, struct stat *st)
{
	struct vfs_lookup l;
	int r = lookup(path, follow, &l);
	if (r < 0)
		return r;
	r = l.m->ops->stat(l.m->fs, l.rel, st);
	kfree(l.abs);
	return r;
}

int vfs_stat(const char *path, struct stat *st)
{
	return stat_common(path, true, st);
}

int vfs_lstat(const char *path, struct stat *st)
{
	return stat_common(path, false, st);
}

int vfs_unlink(const char *path)
{
	struct vfs_lookup l;
	int r = lookup(path, false, &l);
	if (r < 0)
		return r;
	r = l.m->ops->unlink(l.m->fs, l.rel);
	kfree(l.abs);
	return r;
}

int vfs_mkdir(const char *path, mode_t mode)
{
	struct vfs_lookup l;
	int r = lookup(path, false, &l);
	if (r < 0)
		return r;
	r = l.rel[1] == '\0' ? -EEXIST : l.m->ops->mkdir(l.m->fs, l.rel, mode);
	kfree(l.abs);
	return r;
}

int vfs_rmdir(const char *path)
{
	struct vfs_lookup l;
	int r = lookup(path, false, &l);
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
	int r = lookup(path, true, &l);
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

/* Both names of rename or link, final links not followed; on an error
 * neither is left allocated. */
static int lookup_pair(const char *from, const char *to, struct vfs_lookup *a,
    struct vfs_lookup *b)
{
	int r = lookup(from, false, a);
	if (r == 0 && (r = lookup(to, false, b)) < 0)
		kfree(a->abs);
	return r;
}

int vfs_rename(const char *from, const char *to)
{
	struct vfs_lookup a, b;
	int r = lookup_pair(from, to, &a, &b);
	if (r < 0)
		return r;
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

/*
 * What a file system without the operation answers (the boot file
 * system): a name that exists is there to stay -- EROFS for a change,
 * EINVAL for readlink of what cannot be a link -- and one that does not
 * is an error from its stat (ENOENT, ENOTDIR, EACCES).
 */
static int answer_without_op(struct vfs_lookup *l, int if_exists)
{
	struct stat st;
	int r = l->m->ops->stat(l->m->fs, l->rel, &st);
	return r < 0 ? r : if_exists;
}

long vfs_readlink(const char *path, char *buf, size_t size)
{
	struct vfs_lookup l;
	int r = lookup(path, false, &l);
	if (r < 0)
		return r;
	long n = l.m->ops->readlink == NULL || l.rel[1] == '\0' ?
	    answer_without_op(&l, -EINVAL) : l.m->ops->readlink(l.m->fs, l.rel, buf, size);
	kfree(l.abs);
	return n;
}

/* symlink(2): the target is stored as it is, never looked at here; a
 * link to a name that does not exist (yet) is allowed, and dangles. */
int vfs_symlink(const char *target, const char *path)
{
	struct vfs_lookup l;
	if (target[0] == '\0')
		return -ENOENT;
	if (strlen(target) >= PATH_MAX)
		return -ENAMETOOLONG;
	int r = lookup(path, false, &l);
	if (r < 0)
		return r;
	if (l.rel[1] == '\0')
		r = -EEXIST;
	else if (l.m->ops->symlink == NULL)
		r = answer_without_op(&l, -EEXIST);
	else
		r = l.m->ops->symlink(l.m->fs, l.rel, target);
	if (r == -ENOENT && l.m->ops->symlink == NULL)
		r = -EROFS;
	kfree(l.abs);
	return r;
}

int vfs_link(const char *from, const char *to)
{
	struct vfs_lookup a, b;
	int r = lookup_pair(from, to, &a, &b);
	if (r < 0)
		return r;
	if (a.m != b.m)
		r = -EXDEV;             /* a name holds no node of another file system */
	else if (a.rel[1] == '\0')
		r = -EPERM;             /* the root is a directory */
	else if (b.rel[1] == '\0')
		r = -EEXIST;
	else if (a.m->ops->link == NULL)
		r = answer_without_op(&a, -EROFS);
	else
		r = a.m->ops->link(a.m->fs, a.rel, b.rel);
	kfree(a.abs);
	kfree(b.abs);
	return r;
}

int vfs_chmod(const char *path, mode_t mode)
{
	struct vfs_lookup l;
	int r = lookup(path, true, &l);
	if (r < 0)
		return r;
	r = l.m->ops->chmod == NULL ? answer_without_op(&l, -EROFS) :
	    l.m->ops->chmod(l.m->fs, l.rel, mode);
	kfree(l.abs);
	return r;
}

int vfs_chown(const char *path, uid_t uid, gid_t gid, bool follow)
{
	struct vfs_lookup l;
	int r = lookup(path, follow, &l);
	if (r < 0)
		return r;
	r = l.m->ops->chown == NULL ? answer_without_op(&l, -EROFS) :
	    l.m->ops->chown(l.m->fs, l.rel, uid, gid);
	kfree(l.abs);
	return r;
}

int vfs_utimens(const char *path, const struct timespec *times, bool follow)
{
	struct vfs_lookup l;
	int r = lookup(path, follow, &l);
	if (r < 0)
		return r;
	r = l.m->ops->utimens == NULL ? answer_without_op(&l, -EROFS) :
	    l.m->ops->utimens(l.m->fs, l.rel, times);
	kfree(l.abs);
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
	int r = lookup(path, false, &l);
	if (r < 0)
		return r;
	r = l.rel[1] == '\0' ? -EADDRINUSE : l.m->ops->mksock(l.m->fs, l.rel, mode, sock);
	kfree(l.abs);
	return r;
}

int vfs_socket(const char *path, void **sockp)
{
	struct vfs_lookup l;
	int r = lookup(path, true, &l);
	if (r < 0)
		return r;
	r = l.rel[1] == '\0' ? -ECONNREFUSED : l.m->ops->socket(l.m->fs, l.rel, sockp);
	kfree(l.abs);
	return r;
}

/* ------------------------------------------------------- directory records */

size_t vfs_dirent_build(uint64_t *rec, uint64_t ino, int64_t pos, unsigned char type,
    const char *name)
{
	struct linux_dirent64 *d = (struct linux_dirent64 *)rec;
	size_t namelen = strlen(name);
	size_t reclen = ROUNDUP(offsetof(struct linux_dirent64, d_name) + namelen + 1, 8);
	memset(rec, 0, reclen);
	d->d_ino = ino;
	d->d_off = pos + 1;
	d->d_reclen = (unsigned short)reclen;
	d->d_type = type;
	memcpy(d->d_name, name, namelen + 1);
	return reclen;
}

long vfs_getdents(struct file *fp, void __user *buf, size_t n,
    size_t (*record)(struct file *fp, int64_t pos, uint64_t *rec))
{
	uint64_t rec[VFS_DIRENT_MAX / 8];
	size_t used = 0, reclen;
	long ret = 0;
	mutex_lock(&fp->f_lock);
	while ((reclen = record(fp, fp->offset, rec)) != 0) {
		if (used + reclen > n) {
			ret = used == 0 ? -EINVAL : 0;  /* buffer too small */
			break;
		}
		/* No lock of the file system's is held here: the copy may
		 * fault, and the fault may need to sleep. */
		ret = copyout(rec, (char __user *)buf + used, reclen);
		if (ret < 0)
			break;
		used += reclen;
		fp->offset++;
	}
	mutex_unlock(&fp->f_lock);
	return ret < 0 ? ret : (long)used;
}

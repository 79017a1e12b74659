/*
 * uipc_names.c - the socket name space: what bind() creates and what
 * connect(), sendto() and unlink() find.
 *
 * A name is a node of the file tree (fs/vfs.h, "socket nodes"): bind
 * makes a socket node in the file system mounted there -- tmpfs, so in
 * practice under /tmp; the read-only boot file system answers EROFS, and
 * any name that exists already is EADDRINUSE -- and the node holds a
 * struct unp_name, which connect and sendto find through the tree.  So
 * `ls -l /tmp` shows a bound name with type `s`, unlink(2) and rename(2)
 * work on it as on any name, and the directory's permissions and sticky
 * bit apply.  As in every UNIX, a name outlives its socket: after close it
 * is a dead name (connect: ECONNREFUSED, bind: EADDRINUSE) until unlink
 * removes the node.
 *
 * Names belong to someone.  On a UNIX system a socket's name is a file,
 * usually in /tmp, and the file's owner and mode decide who may do what
 * with it.  So each name records the effective uid and gid that bound it
 * and a mode of 0777 & ~umask (what Linux gives a socket's inode), and:
 *   - in a sticky directory such as /tmp only its owner or the superuser
 *     may unlink or rename it (EPERM: the file system's rule).  Without
 *     it any user could remove root's listening socket's name and bind an
 *     impostor there;
 *   - connect() and sendto() need write permission on it by the usual
 *     owner / group / other classes, the superuser passing (EACCES).  As
 *     in Linux the order is: no such name (ENOENT), no permission
 *     (EACCES), then nobody listening (ECONNREFUSED);
 *   - each user may hold UNP_NAMES_USER_MAX names, bound or dead, until
 *     they are unlinked (EDQUOT past it, charged to the owner through
 *     kern/uidinfo.h; the superuser is exempt): names cost kernel memory
 *     that outlives every process, so they need a bound of their own.
 *
 * Lifetime: a struct unp_name has a reference count: one for its node,
 * one for each lookup in progress (taken by the file system under its own
 * lock, so the name cannot go between the lookup and its use).  The last
 * reference frees it and, if a socket is still bound to it, unbinds it.
 *
 * Locking: unp_name.unp and unpcb.name are guarded by unp_lock (see the
 * essay in uipc_usrreq.c): a connect finds the name first, with no
 * spinlock held (the tree's lock is a sleeping one), then takes unp_lock
 * and looks at the socket bound to it.  A name's owner and mode never
 * change once it exists.
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/string.h"
#include "kern/proc.h"
#include "kern/uidinfo.h"
#include "ipc/uipc_usrreq.h"
#include "fs/vfs.h"
#include "vm/kmem.h"
#include "uapi/limits.h"
#include "uapi/stat.h"

/* One bound name.  It outlives its socket (unp NULL) until unlink. */
struct unp_name {
	int refs;                       /* (a) the socket node's, and lookups' */
	struct unpcb *unp;              /* (g) the bound socket, NULL once it closed */
	uid_t uid;                      /* (c) the binder's effective ids: the owner */
	gid_t gid;                      /* (c) */
	mode_t mode;                    /* (c) permission bits */
};

/*
 * Not normalised any more: the VFS resolves the path itself, following
 * symbolic links and taking ".." after them as every other call does, so
 * that bind, connect and unlink agree on what "/tmp/d/../s" names (ENOENT
 * when d does not exist, as on Linux).  A kernel copy, and ENOENT for "".
 */
int unp_normalize(const char *path, char **out)
{
	if (path[0] == '\0')
		return -ENOENT;
	size_t n = strlen(path) + 1;
	char *copy = kmalloc(n, 0);
	if (copy == NULL)
		return -ENOMEM;
	strlcpy(copy, path, n);
	*out = copy;
	return 0;
}

/* May the caller write to (connect to, send to) name?  POSIX's classes. */
static bool unp_name_writable(const struct unp_name *name)
{
	const struct proc *p = curproc();
	if (p->euid == 0)
		return true;
	if (p->euid == name->uid)
		return name->mode & S_IWUSR;
	if (p->egid == name->gid)
		return name->mode & S_IWGRP;
	return name->mode & S_IWOTH;
}

static long unp_names_limit(uid_t uid)
{
	return uid == 0 ? UIDINFO_NO_LIMIT : UNP_NAMES_USER_MAX;
}

/* A new name owned by the caller, charged to it, with one reference
 * (the one its node will keep): 0 or -errno. */
static int unp_name_alloc(struct unp_name **namep)
{
	const struct proc *p = curproc();
	struct unp_name *name = kmalloc(sizeof(*name), KM_ZERO);
	if (name == NULL)
		return -ENOMEM;
	int err = uidinfo_charge(p->euid, UI_SOCK_NAMES, 1, unp_names_limit(p->euid));
	if (err) {
		kfree(name);
		return err;
	}
	name->refs = 1;
	name->uid = p->euid;
	name->gid = p->egid;
	name->mode = 0777 & ~p->umask;
	*namep = name;
	return 0;
}

static void unp_name_hold(void *sock)
{
	struct unp_name *name = sock;
	__atomic_add_fetch(&name->refs, 1, __ATOMIC_RELAXED);
}

/* Drop a reference; the last one unbinds a socket still bound and frees. */
void unp_name_put(struct unp_name *name)
{
	int left = __atomic_sub_fetch(&name->refs, 1, __ATOMIC_ACQ_REL);
	KASSERT(left >= 0, "unp_name_put: refcount went negative");
	if (left > 0)
		return;
	spinlock_acquire(&unp_lock);
	if (name->unp != NULL)
		name->unp->name = NULL;         /* unlinked while bound */
	spinlock_release(&unp_lock);
	uidinfo_charge(name->uid, UI_SOCK_NAMES, -1, UIDINFO_NO_LIMIT);
	kfree(name);
}

static void unp_name_release(void *sock)
{
	unp_name_put(sock);
}

static const struct vfs_socket_ops unp_vfs_socket_ops = {
	.hold = unp_name_hold,
	.release = unp_name_release,
};

void unp_names_init(void)
{
	vfs_set_socket_ops(&unp_vfs_socket_ops);
}

/*
 * bind(2): a socket node at path, holding a new name bound to unp.
 *
 * Two threads may bind one socket at once (it is one file after fork).
 * The node is made with no spinlock held, so as in FreeBSD the first
 * marks the socket UNP_BINDING before it starts and the second is
 * refused at once with EALREADY (POSIX: "an assignment request is
 * already in progress"), before it has made anything.  Without the mark
 * both would make a node and the loser would leave its name in the tree,
 * a name nobody bound.
 */
int unp_bind(struct unpcb *unp, const char *path)
{
	struct unp_name *name = NULL;
	char *abspath = NULL, *pathcopy = NULL;
	spinlock_acquire(&unp_lock);
	int r = unp->path != NULL ? -EINVAL : (unp->flags & UNP_BINDING) ? -EALREADY : 0;
	if (r == 0)
		unp->flags |= UNP_BINDING;
	spinlock_release(&unp_lock);
	if (r < 0)
		return r;
	r = unp_normalize(path, &abspath);
	if (r == 0 && (pathcopy = unp_strdup(path)) == NULL)
		r = -ENOMEM;
	if (r == 0)
		r = unp_name_alloc(&name);
	if (r == 0) {
		/* Our own reference, besides the node's: once the node is in
		 * the tree, another CPU may unlink it (dropping the node's) at
		 * any moment, and we still write name->unp below. */
		unp_name_hold(name);
		r = vfs_mksock(abspath, name->mode, name);
		if (r < 0)
			unp_name_put(name);     /* never in the tree: the node's goes too */
	}
	spinlock_acquire(&unp_lock);
	KASSERT(unp->path == NULL, "unp_bind: bound while UNP_BINDING");
	unp->flags &= ~UNP_BINDING;
	if (r == 0) {
		name->unp = unp;
		unp->name = name;
		unp->path = pathcopy;
	}
	spinlock_release(&unp_lock);
	if (name != NULL)
		unp_name_put(name);             /* ours (unlinked meanwhile: the last; unbinds) */
	if (r < 0)
		kfree(pathcopy);
	kfree(abspath);
	return r;
}

void unp_name_detach_locked(struct unpcb *unp)
{
	spinlock_assert_held(&unp_lock);
	KASSERT(spinlock_held(&unp_lock), "unp_name_detach_locked: unp_lock not held");
	if (unp->name != NULL) {
		unp->name->unp = NULL;          /* a dead name until unlink */
		unp->name = NULL;
	}
}

int unp_name_find(const char *abspath, struct unp_name **namep)
{
	void *sock;
	int r = vfs_socket(abspath, &sock);
	if (r == 0)
		*namep = sock;
	return r;
}

int unp_lookup_locked(struct unp_name *name, int type, struct unpcb **out)
{
	spinlock_assert_held(&unp_lock);
	if (!unp_name_writable(name))
		return -EACCES;
	if (name->unp == NULL)
		return -ECONNREFUSED;
	if (name->unp->type != type)
		return -EPROTOTYPE;
	*out = name->unp;
	return 0;
}
